"""`newscast station set KEY VALUE`"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newscast.core.commandline import validation_text
from newscast.core.selectors import station_as_dict, station_for_default_site
from newscast.core.services import station_keys, station_set


class Command(BaseCommand):
    help = (
        "Set one station setting; pages show it at once. Exits 1 (changing nothing) on a bad value."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        keys = "\n".join(f"  {key}: {meaning}" for key, meaning in station_keys().items())
        parser.epilog = f"Keys:\n{keys}"
        return parser

    def add_arguments(self, parser):
        parser.add_argument("key", help="A setting's key (see below, or `newscast station show`).")
        parser.add_argument("value", help="Its new value; '' clears a text or the logo.")

    def handle(self, *args, key, value, **options):
        station = station_for_default_site()
        if station is None:
            raise CommandError("No site yet: run `newscast migrate` first.")
        try:
            station_set(station, key, value)
        except ValidationError as invalid:
            raise CommandError(validation_text(invalid)) from None
        shown = station_as_dict(station)[key]
        shown = ", ".join(shown) if isinstance(shown, list) else shown
        self.stdout.write(self.style.SUCCESS(f"{key} = {shown}"))
