"""`newscast data list [--json]`"""

from django.core.management.base import BaseCommand

from newscast.core.commandline import add_json_flag, rows_json, rows_text
from newscast.datadesk.selectors import dataset_list

COLUMNS = ["slug", "name", "format", "rows", "last_loaded_at", "source"]


class Command(BaseCommand):
    help = "List the datasets with their source, row count and last good load."

    def add_arguments(self, parser):
        add_json_flag(parser)

    def handle(self, *args, as_json, **options):
        rows = [
            {
                "slug": dataset.slug,
                "name": dataset.name,
                "format": dataset.source_format,
                "source": dataset.source or None,
                "nightly": dataset.nightly,
                "is_sample": dataset.is_sample,
                "rows": dataset.row_count or 0,
                "last_loaded_at": dataset.last_loaded_at,
            }
            for dataset in dataset_list()
        ]
        if as_json:
            self.stdout.write(rows_json(rows))
        else:
            self.stdout.write(rows_text(rows, COLUMNS, "No datasets yet (newscast data add)."))
