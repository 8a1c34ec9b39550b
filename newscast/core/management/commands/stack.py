"""`newscast stack`: the production topology on this machine's loopback, until Ctrl-C."""

import signal
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newscast.core.stack import Stack, StackConfig, StackError

defaults = StackConfig()


class Command(BaseCommand):
    help = (
        "Start nginx (caching proxy), gunicorn, the jobs worker, PostgreSQL and Redis on "
        "127.0.0.1 with production settings and the demo station; Ctrl-C stops them all."
    )
    # The stack migrates its own database; the calling settings' database is not used.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=defaults.port, help="nginx port")
        parser.add_argument("--web-port", type=int, default=defaults.web_port)
        parser.add_argument(
            "--web-processes", type=int, default=defaults.web_processes,
            help="gunicorn masters on consecutive ports (2 = the scale-out topology)",
        )  # fmt: skip
        parser.add_argument("--web-workers", type=int, default=defaults.web_workers)
        parser.add_argument("--job-workers", type=int, default=defaults.job_workers)
        parser.add_argument("--database-url", default=defaults.database_url)
        parser.add_argument("--redis-url", default=defaults.redis_url)
        parser.add_argument("--run-dir", type=Path, default=defaults.run_dir)
        parser.add_argument("--no-demo", action="store_true", help="migrate only")

    def handle(self, *args, **options):
        config = StackConfig(
            port=options["port"],
            web_port=options["web_port"],
            web_processes=options["web_processes"],
            web_workers=options["web_workers"],
            job_workers=options["job_workers"],
            database_url=options["database_url"],
            redis_url=options["redis_url"],
            run_dir=options["run_dir"],
            load_demo=not options["no_demo"],
        )
        # A supervisor's SIGTERM stops the stack the same way as Ctrl-C (also when started in
        # the background, where a shell leaves SIGINT ignored).
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stack = Stack(config, say=self.stdout.write)
        try:
            with stack:
                self.stdout.write(self.style.SUCCESS(self.summary(config, stack)))
                self.watch(stack)
        except StackError as exc:
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            pass
        self.stdout.write("Stack stopped.")

    def summary(self, config, stack) -> str:
        web = ", ".join(f"http://{bind}" for bind in config.web_binds)
        return (
            f"Newscast stack up: {config.base_url}/ (nginx, cached)\n"
            f"  web (gunicorn x{config.web_workers}): {web}   metrics: <web>/metrics\n"
            f"  jobs workers: {config.job_workers}   health: {config.base_url}/healthz\n"
            f"  database: {config.database_url}   cache and jobs queue: {config.redis_url}\n"
            f"  logs: {stack.run_dir / 'logs'}   Ctrl-C stops everything."
        )

    def watch(self, stack):
        """Stay up; a part that dies is restarted with backoff, each event in one line."""
        while True:
            for line in stack.supervise():
                self.stderr.write(line)
            time.sleep(1)
