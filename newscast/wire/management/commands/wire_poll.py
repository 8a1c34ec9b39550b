"""`newscast wire poll [--feed NAME]`: poll wire feeds now, as the scheduled job does."""

from django.core.management.base import BaseCommand, CommandError

from newscast.wire.models import WireFeed
from newscast.wire.selectors import feed_get_by_name, no_such_feed_message
from newscast.wire.services.feeds import feeds_poll


class Command(BaseCommand):
    help = (
        "Poll every active wire feed now (or only --feed NAME, active or not), file new and "
        "updated items as stories, and print what each feed did. Exits 1 if any feed failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--feed", metavar="NAME", help="Poll only this feed (by its name).")

    def handle(self, *args, feed=None, **options):
        if feed:
            try:
                feeds = [feed_get_by_name(feed)]
            except WireFeed.DoesNotExist:
                raise CommandError(no_such_feed_message(feed)) from None
        else:
            feeds = list(WireFeed.objects.filter(active=True))
            if not feeds:
                self.stdout.write("No active wire feeds. Add one in the admin: Wire desk > Feeds.")
                return
        results = feeds_poll(feeds)
        for result in results:
            line = f"{result.feed}: {result.summary()}"
            self.stdout.write(self.style.SUCCESS(line) if result.ok else self.style.ERROR(line))
        failed = [r.feed for r in results if not r.ok]
        if failed:
            raise CommandError(f"{len(failed)} feed(s) failed: {', '.join(failed)}")
