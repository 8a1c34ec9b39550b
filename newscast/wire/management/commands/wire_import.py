"""`newscast wire import FILE [--feed NAME]`: file the items of a saved feed file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newscast.wire.models import WireFeed
from newscast.wire.selectors import feed_get_by_name, no_such_feed_message
from newscast.wire.services.feeds import feed_import


class Command(BaseCommand):
    help = (
        "Read a saved RSS, Atom or ninjs file and file its items under a wire feed, exactly "
        "as a poll would (same identity, update and withdrawal rules). --feed may be left "
        "out when there is only one feed. Exits 1 when the file cannot be read as a feed "
        "or is larger than WIRE_MAX_FEED_BYTES, the cap a poll applies too."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The saved feed file.")
        parser.add_argument("--feed", metavar="NAME", help="The wire feed the items belong to.")

    def handle(self, *args, file: Path, feed=None, **options):
        target = self._feed(feed)
        content = self._read_capped(file, settings.WIRE_MAX_FEED_BYTES)
        result = feed_import(target, content)
        line = f"{target.name}: {result.summary()}"
        if not result.ok:
            raise CommandError(f"{file}: {result.error}")
        self.stdout.write(self.style.SUCCESS(line))

    def _read_capped(self, file: Path, cap: int) -> bytes:
        """The file's bytes, reading no more than cap + 1 of them (a pipe or /dev/zero too)."""
        try:
            with file.open("rb") as handle:
                content = handle.read(cap + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        if len(content) > cap:
            raise CommandError(
                f"{file} is over the {cap:,}-byte cap for one feed (WIRE_MAX_FEED_BYTES); "
                "nothing was imported."
            )
        return content

    def _feed(self, name: str | None) -> WireFeed:
        if name:
            try:
                return feed_get_by_name(name)
            except WireFeed.DoesNotExist:
                raise CommandError(no_such_feed_message(name)) from None
        feeds = list(WireFeed.objects.all()[:2])
        if len(feeds) != 1:
            raise CommandError(
                "Say which feed the file belongs to with --feed NAME "
                f"({'no feeds exist yet' if not feeds else 'there are several feeds'})."
            )
        return feeds[0]
