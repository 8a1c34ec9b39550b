"""`newscast data add SLUG --name TEXT --format nyt|jhu|csv [--url URL]`"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newscast.core.commandline import validation_text
from newscast.datadesk.models import SourceFormat
from newscast.datadesk.services import dataset_add


class Command(BaseCommand):
    help = (
        "Add a dataset of county counts. With --url it is loaded every night at 02:00 station "
        "time; without, load it with `newscast data load --dataset SLUG FILE`. Labels, states "
        "and the generic CSV's columns are set in the admin. Exits 1 (and adds nothing) on a "
        "taken slug or a URL that is not http(s)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Used in URLs: /data/SLUG/.")
        parser.add_argument("--name", required=True, help='As readers see it: "Flu Cases".')
        parser.add_argument(
            "--format",
            dest="source_format",
            required=True,
            choices=SourceFormat.values,
            help="nyt, jhu or csv (generic; columns date,state,county,fips,confirmed,deaths).",
        )
        parser.add_argument("--url", default="", help="The source's http(s) address.")

    def handle(self, *args, slug, name, source_format, url, **options):
        try:
            dataset = dataset_add(slug=slug, name=name, source_format=source_format, source_url=url)
        except ValidationError as invalid:
            raise CommandError(validation_text(invalid)) from None
        schedule = "loaded nightly" if dataset.source_url else "no source yet: load a file"
        self.stdout.write(
            self.style.SUCCESS(
                f"Added dataset {dataset.slug!r} ({dataset.name}, {source_format}); {schedule}. "
                f"Its page: {dataset.get_absolute_url()}"
            )
        )
