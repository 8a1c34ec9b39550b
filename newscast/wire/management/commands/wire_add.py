"""`newscast wire add NAME URL --section SLUG --credit TEXT [--format F] [--hold]`"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newscast.core.commandline import validation_text
from newscast.news.models import SectionPage
from newscast.wire.models import WireFeed
from newscast.wire.services.feeds import feed_add


class Command(BaseCommand):
    help = (
        "Add a wire feed: where to fetch it, the section its stories go to and the credit shown "
        "on them. It is polled from the next wire_poll on. Exits 1 (and adds nothing) on a "
        "taken name, a URL that is not http(s), or an unknown section."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='As the newsroom calls it, for example "AP Top News".')
        parser.add_argument("url", help="The feed's http(s) address.")
        parser.add_argument("--section", required=True, metavar="SLUG", help="Section slug.")
        parser.add_argument(
            "--credit", required=True, metavar="TEXT", help='Shown on every story, e.g. "AP".'
        )
        parser.add_argument(
            "--format",
            dest="feed_format",
            choices=WireFeed.Format.values,
            default=WireFeed.Format.AUTO,
            help="auto (default) detects RSS, Atom or ninjs from the answer.",
        )
        parser.add_argument(
            "--hold",
            action="store_true",
            help="Hold new stories for an editor instead of publishing them.",
        )

    def handle(self, *args, name, url, section, credit, feed_format, hold, **options):
        target = SectionPage.objects.filter(slug=section).first()
        if target is None:
            known = ", ".join(SectionPage.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No section {section!r} (sections: {known}).")
        try:
            feed = feed_add(
                name=name,
                url=url,
                section=target,
                credit_line=credit,
                format=feed_format,
                hold=hold,
            )
        except ValidationError as invalid:
            raise CommandError(validation_text(invalid)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Added wire feed {feed.name!r}: {feed.url} -> /{target.slug}/ "
                f"({feed.get_policy_display().lower()})."
            )
        )
