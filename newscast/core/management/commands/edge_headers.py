"""`newscast edge_headers [--scheme https] [--json]`"""

from django.core.management.base import BaseCommand, CommandError

from newscast.core.baking import baked_headers
from newscast.core.commandline import add_json_flag, rows_json


class Command(BaseCommand):
    help = (
        "Print the headers nginx adds to baked news pages (add_header lines) and the digest "
        "Django marks such pages by: the values of {{EDGE_BAKED_HEADERS}} and "
        "{{EDGE_BAKE_DIGEST}} in deploy/nginx.conf.template. Run it with the web processes' "
        "settings, and again after changing any security or cache setting."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scheme", choices=("http", "https"), default="http",
            help="The scheme readers use (https adds Strict-Transport-Security).",
        )  # fmt: skip
        add_json_flag(parser)

    def handle(self, *args, scheme, as_json, **options):
        try:
            headers = baked_headers(scheme)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(rows_json({"digest": headers.digest, "headers": headers.headers}))
            return
        self.stdout.write(f"# EDGE_BAKE_DIGEST: {headers.digest}")
        self.stdout.write(headers.nginx_lines(indent=0))
