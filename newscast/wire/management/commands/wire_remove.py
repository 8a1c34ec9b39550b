"""`newscast wire remove NAME`"""

from django.core.management.base import BaseCommand, CommandError

from newscast.wire.models import WireFeed
from newscast.wire.selectors import feed_get_by_name, no_such_feed_message
from newscast.wire.services.feeds import feed_remove


class Command(BaseCommand):
    help = (
        "Remove a wire feed and its queue items. Stories it already made stay on the site. "
        "Exits 1 when no feed has that name. To stop polling but keep the feed, pause it in "
        "the admin instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The feed's name (case does not matter).")

    def handle(self, *args, name, **options):
        try:
            feed = feed_get_by_name(name)
        except WireFeed.DoesNotExist:
            raise CommandError(no_such_feed_message(name)) from None
        items = feed_remove(feed)
        self.stdout.write(
            self.style.SUCCESS(f"Removed wire feed {feed.name!r} and {items} queue item(s).")
        )
