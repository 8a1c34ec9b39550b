"""`newscast news section SLUG --title TEXT [--intro TEXT] [--hidden]`"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

from newscast.core.commandline import validation_text
from newscast.home.demo_newsroom import home_page_ensure
from newscast.news.models import SectionPage


class Command(BaseCommand):
    help = (
        "Make a section (published, in the header menu) or update the one with that slug, so a "
        "script can set up a new site and run again safely. On a fresh install it first makes "
        "the home page, replacing Wagtail's welcome page. Exits 1 on a bad slug or title."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The section's address: /SLUG/.")
        parser.add_argument("--title", required=True, help='As readers see it: "Local".')
        parser.add_argument("--intro", default="", help="One or two lines under the heading.")
        parser.add_argument("--hidden", action="store_true", help="Leave it out of the menu.")

    @transaction.atomic
    def handle(self, *args, slug, title, intro, hidden, **options):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("No site yet: run `newscast migrate` first.")
        home = home_page_ensure(site)
        section = SectionPage.objects.child_of(home).filter(slug=slug).first()
        made = section is None
        if made:
            section = SectionPage(slug=slug)
        section.title, section.introduction, section.show_in_menus = title, intro, not hidden
        try:
            if made:
                home.add_child(instance=section)
            else:
                section.full_clean()
        except ValidationError as invalid:
            raise CommandError(validation_text(invalid)) from None
        section.save_revision().publish()
        verb = "Made" if made else "Updated"
        address = section.relative_url(site)
        self.stdout.write(self.style.SUCCESS(f"{verb} section {title!r} at {address}"))
