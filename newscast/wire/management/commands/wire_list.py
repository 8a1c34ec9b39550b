"""`newscast wire list [--json]`"""

from django.core.management.base import BaseCommand

from newscast.core.commandline import add_json_flag, rows_json, rows_text
from newscast.wire.selectors import feed_list

COLUMNS = ["name", "format", "section", "policy", "active", "status", "url"]


class Command(BaseCommand):
    help = "List the wire feeds with their section, policy and how their last poll went."

    def add_arguments(self, parser):
        add_json_flag(parser)

    def handle(self, *args, as_json, **options):
        rows = [
            {
                "name": feed.name,
                "url": feed.url,
                "format": feed.format,
                "section": feed.section.slug if feed.section else None,
                "credit": feed.credit_line,
                "policy": feed.policy,
                "active": feed.active,
                "status": feed.status_line,
                "last_success_at": feed.last_success_at,
            }
            for feed in feed_list()
        ]
        if as_json:
            self.stdout.write(rows_json(rows))
        else:
            self.stdout.write(rows_text(rows, COLUMNS, "No wire feeds yet (newscast wire add)."))
