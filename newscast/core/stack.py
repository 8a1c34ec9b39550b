"""The production topology on one machine, on loopback: nginx -> gunicorn -> Django, the jobs
worker, PostgreSQL and Redis. Used by `newscast stack`, bench/serve.py and bench/drills/.

Every process it starts is its own child in its own session (so a Ctrl-C reaches only the
stack, which then stops them in order) and writes its log under the run folder. A part that
dies is started again after a delay that doubles with each quick death (`Stack.supervise`).
PostgreSQL and Redis are the machine's own when they answer; when they do not, the stack
starts them and stops them again on the way out, but only a PostgreSQL cluster of this
machine configured for the URL's port: it never starts or stops another one.
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from config.env import BASE_DIR, DATA_DIR
from newscast.core.baking import BakedHeaders

DEPLOY_DIR = BASE_DIR / "deploy"
NGINX_TEMPLATE = DEPLOY_DIR / "nginx.conf.template"
GUNICORN_CONFIG = DEPLOY_DIR / "gunicorn.conf.py"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# Debian's libnginx-mod-http-cache-purge (Makefile: system-packages).
CACHE_PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
NGINX_TEMP_FOLDERS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")
BAKED_FOLDER = "nginx-baked"  # news pages nginx serves as files (core/baking.py)
READY_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 15
POSTGRES_CONF_DIR = Path("/etc/postgresql")
# Restarting a part that died: 1 s, 2 s, 4 s ... up to a minute; a part that stayed up this
# long starts again from the first delay.
RESTART_FIRST_DELAY_SECONDS = 1.0
RESTART_MAX_DELAY_SECONDS = 60.0
RESTART_STABLE_SECONDS = 60.0


class StackError(RuntimeError):
    """The stack could not start; the message says which part and where its log is."""


@dataclass
class StackConfig:
    port: int = 8080  # nginx, where readers arrive
    purge_port: int | None = None  # nginx's purge listener; None: the port after `port`
    # The scheme readers reach nginx by ("https" behind TLS): what a refresh tells Django.
    reader_scheme: str = "http"
    web_port: int = 8001  # the first gunicorn; more web processes take the next ports
    web_processes: int = 1  # gunicorn masters (each one a "machine" in the scale-out drill)
    web_workers: int = 2  # gunicorn workers in each
    job_workers: int = 1  # Huey consumers
    database_url: str = "postgres://postgres@127.0.0.1:5432/newscast_stack"
    redis_url: str = "redis://127.0.0.1:6379/5"
    run_dir: Path = field(default_factory=lambda: DATA_DIR / "stack")
    load_demo: bool = True

    @property
    def web_binds(self) -> list[str]:
        return [f"127.0.0.1:{self.web_port + n}" for n in range(self.web_processes)]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def purge_url(self) -> str:
        return f"http://127.0.0.1:{self.purge_port or self.port + 1}"


def render_nginx_config(
    config: StackConfig, template: Path = NGINX_TEMPLATE, baked: BakedHeaders | None = None
) -> str:
    """deploy/nginx.conf.template with this stack's ports and folders filled in; news pages
    are baked when given the headers the web processes give them (core/baking.py)."""
    run_dir = config.run_dir.resolve()
    values = {
        "BAKED_DIR": str(run_dir / BAKED_FOLDER),
        # Without the web processes' headers nothing is baked: no page carries this digest.
        "EDGE_BAKE_DIGEST": baked.digest if baked else "baking-off",
        "EDGE_BAKED_HEADERS": baked.nginx_lines() if baked else "",
        "USER": "nobody nogroup" if os.geteuid() == 0 else getpass.getuser(),
        "RUN_DIR": str(run_dir),
        "CACHE_DIR": str(run_dir / "nginx-cache"),
        "STATIC_ROOT": str(run_dir / "static"),
        "MEDIA_ROOT": str(run_dir / "media"),
        "LISTEN": f"127.0.0.1:{config.port}",
        "CACHE_PURGE_MODULE": str(CACHE_PURGE_MODULE),
        "PURGE_LISTEN": config.purge_url.removeprefix("http://"),
        # Who may purge: the jobs worker, here on this machine (one allow line per address).
        "PURGE_ALLOW": "        allow 127.0.0.1;",
        "READER_SCHEME": config.reader_scheme,
        "UPSTREAM_SERVERS": "\n".join(
            f"        server {bind} max_fails=3 fail_timeout=5s;" for bind in config.web_binds
        ),
    }
    text = template.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    if "{{" in text:
        missing = text[text.index("{{") :].split("}}")[0] + "}}"
        raise StackError(f"{template}: no value for {missing}")
    return text


def nginx_config_test(config_path: Path, prefix: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on a rendered configuration."""
    for folder in NGINX_TEMP_FOLDERS:
        (prefix / "tmp" / folder).mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(config_path)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip


def stack_environment(config: StackConfig) -> dict[str, str]:
    """The environment every process of the stack shares: production settings, loopback."""
    run_dir = config.run_dir.resolve()
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=env.get("SECRET_KEY") or _local_secret_key(run_dir),
        DATABASE_URL=config.database_url,
        REDIS_URL=config.redis_url,
        # Loopback has no certificate; a real deployment keeps HTTPS_ONLY on.
        HTTPS_ONLY="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=config.base_url,
        WAGTAILADMIN_BASE_URL=config.base_url,
        # The worker purges changed news pages from this nginx (docs/decisions/
        # stack-purge-on-publish.md); several machines list every one of them.
        EDGE_PURGE_URLS=config.purge_url,
        # The demo's sample wire feeds live on this loopback stack; otherwise nothing inside.
        FETCH_ALLOWED_PRIVATE_HOSTS=env.get("FETCH_ALLOWED_PRIVATE_HOSTS")
        or ("127.0.0.1,localhost" if config.load_demo else ""),
        STATIC_ROOT=str(run_dir / "static"),
        MEDIA_ROOT=str(run_dir / "media"),
        PROMETHEUS_MULTIPROC_DIR=str(run_dir / "prometheus"),
        WEB_CONCURRENCY=str(config.web_workers),
        GUNICORN_ACCESS_LOG="",  # nginx keeps the access log
        PYTHONUNBUFFERED="1",
    )
    return env


def _local_secret_key(run_dir: Path) -> str:
    """A key for this machine's loopback stack, made once and kept in its run folder."""
    key_file = run_dir / "secret_key"
    if not key_file.exists():
        run_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


@dataclass
class PartRestarts:
    """How often one part was restarted in a row, and when it may be next."""

    count: int = 0
    started_at: float = 0.0
    restart_at: float | None = None  # set when its death is noticed


class Stack:
    """Start and stop the whole topology. Use as a context manager, or start()/stop()."""

    def __init__(self, config: StackConfig, say=print):
        self.config = config
        self.say = say
        self.run_dir = config.run_dir.resolve()
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, tuple[list[str], dict | None]] = {}
        self.restarts: dict[str, PartRestarts] = {}
        self.stop_postgres_cluster: list[str] | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self._prepare_run_dir()
        self.env = stack_environment(self.config)
        self.ensure_postgres()
        self.ensure_redis()
        self.setup_database()
        for number, bind in enumerate(self.config.web_binds):
            self.start_web(number, bind)
        for number in range(self.config.job_workers):
            self.start_job_worker(number)
        self.start_nginx()
        self.wait_until_ready()

    def stop(self) -> None:
        """Stop what this stack started, front to back: nginx, web, workers, then Redis."""
        for name in sorted(self.processes, key=_stop_order):
            self.stop_process(name)
        if self.stop_postgres_cluster:
            self.say("Stopping the PostgreSQL cluster the stack started.")
            subprocess.run(self.stop_postgres_cluster, check=False, timeout=60)
            self.stop_postgres_cluster = None

    def stop_process(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    # --- the parts -------------------------------------------------------------------------

    def _prepare_run_dir(self) -> None:
        for folder in ("logs", "static", "media", "nginx-cache", "prometheus"):
            (self.run_dir / folder).mkdir(parents=True, exist_ok=True)
        # Stale figures of last run's gunicorn workers would be summed with this run's.
        for stale in (self.run_dir / "prometheus").glob("*.db"):
            stale.unlink()

    def ensure_postgres(self) -> None:
        import psycopg

        url = urlsplit(self.config.database_url)
        if url.scheme not in ("postgres", "postgresql", "pgsql"):
            raise StackError(f"The stack runs on PostgreSQL; DATABASE_URL is {url.scheme}://")
        server = _maintenance_dsn(url)
        try:
            psycopg.connect(server, connect_timeout=3).close()
        except psycopg.OperationalError:
            self._start_local_postgres(url)
            psycopg.connect(server, connect_timeout=10).close()
        name = url.path.lstrip("/")
        with psycopg.connect(server, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                self.say(f"Creating database {name}.")
                conn.execute(f'CREATE DATABASE "{name}"')

    def _start_local_postgres(self, url) -> None:
        """Start this machine's PostgreSQL cluster for the URL's port, when it is down."""
        port = url.port or 5432
        where = f"{url.hostname}:{port}"
        if url.hostname not in ("127.0.0.1", "localhost"):
            raise StackError(f"PostgreSQL does not answer at {where}")
        cluster = _cluster_for_port(port)
        if cluster is None:
            raise StackError(
                f"PostgreSQL does not answer at {where}, and no cluster of this machine is set "
                f"to port {port}; start that server, or give a DATABASE_URL that answers."
            )
        version, name = cluster
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name]
        self.say(f"PostgreSQL is down; starting cluster {version}/{name} (port {port}).")
        subprocess.run([*command, "start"], check=True, timeout=60)
        self.stop_postgres_cluster = [*command, "stop"]

    def ensure_redis(self) -> None:
        import redis

        url = urlsplit(self.config.redis_url)
        try:
            redis.Redis.from_url(self.config.redis_url, socket_connect_timeout=1).ping()
            return
        except redis.RedisError:
            if url.hostname not in ("127.0.0.1", "localhost"):
                raise StackError(f"Redis does not answer at {url.hostname}:{url.port}") from None
        self.say(f"Redis is down; starting redis-server on port {url.port or 6379}.")
        self.spawn(
            "redis",
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(url.port or 6379),
             "--save", "", "--appendonly", "no", "--dir", str(self.run_dir)],
        )  # fmt: skip
        wait_for(
            lambda: redis.Redis.from_url(self.config.redis_url).ping(), "Redis", self.processes
        )

    def setup_database(self) -> None:
        """Migrate, load the demo station (if asked) and collect static files."""
        self.say("Migrating and loading the demo station (newscast demo --no-serve).")
        # Static files first: the demo's sample video names its files by the manifest.
        steps = [["collectstatic", "--no-input", "-v", "0"]]
        steps.append(["demo", "--no-serve"] if self.config.load_demo else ["migrate"])
        for step in steps:
            self.run_newscast(*step)

    def run_newscast(self, *args: str, capture: bool = False, timeout: int = 600) -> str:
        """Run a newscast command against the stack's database; its output if `capture`."""
        log = self.run_dir / "logs" / "setup.log"
        with log.open("a") as out:
            result = subprocess.run(
                [sys.executable, "-m", "newscast.cli", *args], cwd=BASE_DIR, env=self.env,
                stdout=subprocess.PIPE if capture else out, stderr=out, text=True,
                timeout=timeout,
            )  # fmt: skip
        if result.returncode:
            raise StackError(f"`newscast {' '.join(args)}` failed; see {log}")
        return result.stdout or ""

    def start_web(self, number: int, bind: str) -> None:
        env = {**self.env, "GUNICORN_BIND": bind}
        command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG)]
        self.spawn(f"web{number}", [*command, "config.wsgi:application"], env=env)

    def start_job_worker(self, number: int) -> None:
        self.spawn(f"worker{number}", [sys.executable, "-m", "newscast.cli", "worker"])

    def baked_headers(self) -> BakedHeaders:
        """The headers the web processes give a news page (their settings, not this one's)."""
        answer = self.run_newscast(
            "edge_headers", "--json", "--scheme", self.config.reader_scheme, capture=True
        )
        return BakedHeaders(tuple(tuple(pair) for pair in json.loads(answer)["headers"]))

    def _prepare_baked_folders(self) -> None:
        """nginx's folders for baked pages, empty and writable by its workers."""
        for folder in (self.run_dir / BAKED_FOLDER, self.run_dir / "tmp" / "unbaked"):
            shutil.rmtree(folder, ignore_errors=True)  # last run's pages are not this run's
            folder.mkdir(parents=True)
            if os.geteuid() == 0:
                shutil.chown(folder, "nobody", "nogroup")  # the user nginx's workers run as

    def start_nginx(self) -> None:
        if not Path(NGINX).exists():
            raise StackError("nginx is missing: install Debian's (apt-get install nginx)")
        if not CACHE_PURGE_MODULE.exists():
            raise StackError("apt-get install libnginx-mod-http-cache-purge (the purge listener)")
        config_path = self.run_dir / "nginx.conf"
        config_path.write_text(render_nginx_config(self.config, baked=self.baked_headers()))
        self._prepare_baked_folders()
        checked = nginx_config_test(config_path, self.run_dir)
        if checked.returncode:
            raise StackError(f"nginx -t refused {config_path}:\n{checked.stderr}")
        self.spawn(
            "nginx",
            [NGINX, "-p", str(self.run_dir), "-c", str(config_path), "-g", "daemon off;"],
        )

    def spawn(self, name: str, command: list[str], env: dict | None = None) -> None:
        self.commands[name] = (command, env)
        self.restarts.setdefault(name, PartRestarts()).started_at = time.monotonic()
        log = (self.run_dir / "logs" / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(
            command, cwd=BASE_DIR, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        log.close()

    def wait_until_ready(self) -> None:
        for bind in self.config.web_binds:
            wait_for(lambda b=bind: _get(f"http://{b}/healthz"), f"gunicorn {bind}", self.processes)
        wait_for(lambda: _get(f"{self.config.base_url}/"), "nginx", self.processes)

    # --- watching --------------------------------------------------------------------------

    def supervise(self, now: float | None = None) -> list[str]:
        """Restart the parts that died, each after its backoff; one line per event."""
        now = time.monotonic() if now is None else now
        lines = []
        for name in self.dead_processes():
            state = self.restarts.setdefault(name, PartRestarts())
            if state.restart_at is None:
                if now - state.started_at >= RESTART_STABLE_SECONDS:
                    state.count = 0
                delay = min(RESTART_MAX_DELAY_SECONDS, RESTART_FIRST_DELAY_SECONDS * 2**state.count)
                state.restart_at = now + delay
                code = self.processes[name].returncode
                lines.append(
                    f"{name} stopped (exit {code}); restarting in {delay:.0f}s. "
                    f"See {self.log_path(name)}"
                )
            elif now >= state.restart_at:
                command, env = self.commands[name]
                self.spawn(name, command, env)
                state.count += 1
                state.restart_at = None
                lines.append(f"{name} restarted (restart {state.count} in a row).")
        return lines

    def dead_processes(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.poll() is not None]

    def log_path(self, name: str) -> Path:
        return self.run_dir / "logs" / f"{name}.log"

    def rss_kib(self) -> dict[str, int]:
        """Resident memory of each part, its child processes included (gunicorn's workers)."""
        return {
            name: _tree_rss_kib(p.pid) for name, p in self.processes.items() if p.poll() is None
        }


def _stop_order(name: str) -> int:
    order = ("nginx", "web", "worker", "redis")
    return next((n for n, prefix in enumerate(order) if name.startswith(prefix)), len(order))


def _cluster_for_port(port: int) -> tuple[str, str] | None:
    """(version, name) of this machine's PostgreSQL cluster set to port, if there is one."""
    for conf in sorted(POSTGRES_CONF_DIR.glob("*/*/postgresql.conf"), reverse=True):
        configured = 5432
        for line in conf.read_text(errors="replace").splitlines():
            key, _, value = line.split("#", 1)[0].partition("=")
            if key.strip() == "port" and value.strip().isdigit():
                configured = int(value.strip())
        if configured == port:
            return conf.parent.parent.name, conf.parent.name
    return None


def _maintenance_dsn(url) -> str:
    user = url.username or "postgres"
    password = f" password={url.password}" if url.password else ""
    return f"host={url.hostname} port={url.port or 5432} user={user}{password} dbname=postgres"


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def wait_for(probe, what: str, processes: dict) -> None:
    """Call probe() until it returns without raising (a part is ready); StackError when one
    of `processes` stops meanwhile, or after READY_TIMEOUT_SECONDS (a busy machine is slow
    to start, a broken part never does)."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        dead = [name for name, p in processes.items() if p.poll() is not None]
        if dead:
            raise StackError(f"{', '.join(dead)} stopped while starting; see its log")
        try:
            probe()
            return
        except Exception as exc:  # not up yet: connection refused, 502 from nginx, ...
            if time.monotonic() > deadline:
                message = f"{what} was not ready after {READY_TIMEOUT_SECONDS}s: {exc}"
                raise StackError(message) from exc
            time.sleep(0.2)


def _tree_rss_kib(pid: int) -> int:
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
    return total
