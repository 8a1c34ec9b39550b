"""What the edge receives when the weather on news pages changes, with --stories stories.

    .venv/bin/python bench/weather_edge.py [--stories 10000] [--port 0] [--database-url URL]

Files --stories stories under a home page and three sections (story_file_live, in batches,
not search-indexed; kept between runs in a --database-url database, a temporary SQLite file
otherwise), loads the
demo station's sample weather, and points the edge (WAGTAILFRONTENDCACHE) at a local HTTP
server standing in for nginx's purge listener, which counts what it receives. Then, with the
tasks run in place (the worker's work, timed here):

  conditions  one city's temperature changes, as at nearly every 10-minute refresh: only home,
              sections and feeds are refreshed (goal: no story purged)
  same        a refresh that changes nothing shown (goal: nothing sent)
  Redis down  the same with the cache unreachable, production's cache settings pointed where
              no Redis listens (goal: nothing sent; a cache miss must not read as a change)
  warning     a tornado warning issued (the drill): every news page purged at once
  ended       the same warning cancelled: every news page purged again

Counts are what matters (load-insensitive); the time is the renewal's, purges included.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class PurgeListener(BaseHTTPRequestHandler):
    """Answers every PURGE, BAKE (a refresh) and DELETE (a baked file) as nginx's listener
    does for a page it does not hold."""

    seen: Counter = Counter()
    lock = threading.Lock()
    story_prefixes: tuple[str, ...] = ()

    def log_message(self, *args):  # quiet
        pass

    def _record(self) -> None:
        story = self.path.count("/") > 2 and self.path.startswith(self.story_prefixes)
        with self.lock:
            self.seen[(self.command, "story" if story else "front")] += 1
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_BAKE = do_DELETE = do_PURGE = _record  # noqa: N815 (http.server's naming)


def setup(database_url: str, data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["NEWSCAST_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def file_stories(wanted: int) -> list:
    """The home page, three sections and `wanted` stories (those already there kept)."""
    from django.db import transaction
    from django.test import override_settings
    from wagtail.models import Site

    from newscast.home import demo as home_demo
    from newscast.home.demo_newsroom import home_page_ensure
    from newscast.news.models import SectionPage, StoryPage
    from newscast.news.services import story_file_live

    logging.getLogger("wagtail").setLevel(logging.WARNING)  # not a line per story filed
    home_demo.load(io.StringIO())
    home = home_page_ensure(Site.objects.get(is_default_site=True))
    for title in ("Local", "Sports", "Politics"):
        if not SectionPage.objects.filter(slug=title.lower()).exists():
            section = SectionPage(title=title, slug=title.lower(), show_in_menus=True)
            home.add_child(instance=section)
            section.save_revision().publish()
    sections = list(SectionPage.objects.live().order_by("path"))
    body = [{"type": "paragraph", "value": "<p>A fictional story for the bench.</p>"}]
    have = StoryPage.objects.count()
    while have < wanted:
        # Search and reference indexing (the worker's, off the request) play no part here.
        with override_settings(TASKS=NO_TASKS), transaction.atomic():
            for n in range(have, min(have + 500, wanted)):
                story_file_live(
                    sections[n % len(sections)],
                    title=f"Bench story {n}: county road work update",
                    summary="A fictional story.",
                    body=body,
                )
        have = StoryPage.objects.count()
        print(f"stories: {have}", file=sys.stderr, flush=True)
    return sections


@contextmanager
def redis_down():
    """Inside: the cache as production runs it (Redis, errors ignored) at a loopback port
    bound here and never listening (conftest.py's closed_port): a Redis outage."""
    from django.test import override_settings

    from config.env import redis_cache_settings

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
        with override_settings(CACHES=redis_cache_settings(url)):
            yield


def renewal(label: str, change, goal: str, verdict) -> None:
    """Run `change` (a weather change and its renewal), print what the edge received."""
    PurgeListener.seen.clear()
    started, cpu = time.perf_counter(), time.process_time()
    change()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    seen = PurgeListener.seen
    stories = sum(n for (_, page), n in seen.items() if page == "story")
    front = sum(n for (_, page), n in seen.items() if page == "front")
    print(
        f"{label:10} {sum(seen.values()):6,d} requests: {front:5,d} to home/sections/feeds "
        f"({seen[('BAKE', 'front')]:,d} refreshed in place), {stories:6,d} to stories/authors/tags;"
        f" {wall:5.2f} s ({cpu:.2f} s CPU)  goal: {goal}: {'met' if verdict(seen) else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=0, help="the purge listener's port")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newscast-weather-edge-bench-") as tmp:
        setup(args.database_url, Path(tmp))
        from django.conf import settings
        from django.db.models import F

        from newscast.weather import demo as weather_demo
        from newscast.weather.models import AlertMessage, CityWeather, StationReport
        from newscast.weather.services.common import pages_changed
        from newscast.weather.services.drill import alert_drill

        sections = file_stories(args.stories)
        PurgeListener.story_prefixes = tuple(section.url for section in sections)
        server = ThreadingHTTPServer(("127.0.0.1", args.port), PurgeListener)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        settings.WAGTAILFRONTENDCACHE = {
            "nginx": {
                "BACKEND": "newscast.core.edge.NginxPurgeBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_address[1]}/",
            }
        }
        AlertMessage.objects.filter(is_sample=True).delete()  # a previous run's drill
        weather_demo.load(io.StringIO())
        pages_changed()  # what pages show, known (the first renewal purges everything)

        def conditions():
            tupelo = CityWeather.objects.get(city__name="Tupelo").report_id
            StationReport.objects.filter(pk=tupelo).update(temperature_f=F("temperature_f") + 1)
            pages_changed()

        print(f"Weather at the edge: {args.stories:,d} stories, one nginx (two copies a page)")
        renewal("conditions", conditions, "no story", lambda s: not s[("PURGE", "story")])
        renewal("same", pages_changed, "nothing sent", lambda s: not s)
        with redis_down():
            renewal("Redis down", pages_changed, "nothing sent", lambda s: not s)
        renewal(
            "warning",
            lambda: alert_drill("alert"),
            "every story",
            lambda s: s[("PURGE", "story")] >= 2 * args.stories,
        )
        renewal(
            "ended",
            lambda: alert_drill("cancel"),
            "every story",
            lambda s: s[("PURGE", "story")] >= 2 * args.stories,
        )
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        server.shutdown()


if __name__ == "__main__":
    main()
