"""`newscast station show [--json]`"""

from django.core.management.base import BaseCommand, CommandError

from newscast.core.commandline import add_json_flag, rows_json
from newscast.core.selectors import station_as_dict, station_for_default_site


class Command(BaseCommand):
    help = "Print the station settings, by the keys `newscast station set` takes."

    def add_arguments(self, parser):
        add_json_flag(parser)

    def handle(self, *args, as_json, **options):
        station = station_for_default_site()
        if station is None:
            raise CommandError("No site yet: run `newscast migrate` first.")
        values = station_as_dict(station)
        if as_json:
            self.stdout.write(rows_json(values))
            return
        width = max(len(key) for key in values)
        for key, value in values.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            self.stdout.write(f"{key.ljust(width)}  {'' if shown is None else shown}")
