"""News pages benchmark: SQL queries and requests/second for home, section and story pages.

    .venv/bin/python bench/pages.py [--stories 1000] [--seconds 10] [--connections 8]

On a temporary SQLite database with production settings (DEBUG off, no page cache, plain
HTTP on loopback), it loads the demo newsroom, counts the SQL queries each page runs, adds
--stories more stories and counts again (the counts must not grow), times each page in
process (median ms, and CPU ms: steady even on a busy machine), then serves the site with
gunicorn (2 sync workers) and measures each page with wrk (/usr/bin/wrk), or with a Python
loop when wrk is missing. Nothing leaves the machine: every request goes to 127.0.0.1.

"Cold" is the first request after a publish (the content version moved, so the page's
cached fragments are rendered afresh); "warm" is every request after it, until the next
publish: what readers get nearly all the time. There is no whole-page cache in either:
every request runs the middleware, routing, the page's view and the page template, and
only the fragments (story lists, story body, share tags) come from the cache
(newscast/core/fragments.py). requests/s are warm figures.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME_QUERY_LIMIT = 20


def configure(workdir: Path) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS_ONLY": "false",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return env


def build_newsroom() -> None:
    from django.core.management import call_command

    from newscast.home import demo as station_demo
    from newscast.home import demo_newsroom as news_demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    station_demo.load(io.StringIO())
    news_demo.load(io.StringIO())


def add_stories(count: int) -> float:
    """Add `count` live stories spread over the sections (fast path: no revisions)."""
    from django.utils import timezone
    from wagtail.images import get_image_model

    from newscast.news.models import SectionPage, StoryPage

    sections = list(SectionPage.objects.live())
    images = list(get_image_model().objects.all())
    rng = random.Random(7)
    start = time.perf_counter()
    now = timezone.now()
    for n in range(count):
        posted = now - timedelta(days=30, minutes=n * 17)
        story = StoryPage(
            title=f"Bench story {n}: county board reviews road plan",
            slug=f"bench-story-{n}",
            summary="A generated story for the benchmark.",
            body=[{"type": "paragraph", "value": "<p>Generated body text.</p>"}] * 5,
            byline="By Bench Writer",
            lead_image=rng.choice(images) if images and n % 3 else None,
            posted_at=posted,
            first_published_at=posted,
            last_published_at=posted,
            live=True,
        )
        rng.choice(sections).add_child(instance=story)
    return time.perf_counter() - start


def page_urls() -> dict[str, str]:
    from newscast.news.models import StoryPage

    story = StoryPage.objects.live().order_by("-posted_at").first()
    return {"home": "/", "section": "/local/", "story": story.url}


def query_counts(urls: dict[str, str], *, cold: bool) -> dict[str, int]:
    """SQL queries for each page, warm (fragments cached) or cold (just after a publish)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from newscast.core.models.content import content_version_bump

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm per-process caches, as a long-running worker has them
        if cold:
            content_version_bump()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        counts[name] = len(queries.captured_queries)
    return counts


def render_times(urls: dict[str, str], *, cold: bool, repeat: int = 30) -> dict[str, tuple]:
    """(median ms, median CPU ms) to answer each page in this process (no HTTP)."""
    import statistics

    from django.test import Client

    from newscast.core.models.content import content_version_bump

    client = Client(HTTP_HOST="127.0.0.1")
    times = {}
    for name, url in urls.items():
        client.get(url)
        wall, cpu = [], []
        for _ in range(repeat):
            if cold:
                content_version_bump()
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        times[name] = (statistics.median(wall), statistics.median(cpu))
    return times


def serve(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def measure(url: str, seconds: int, connections: int) -> tuple[float, int]:
    """(requests per second, non-2xx answers) for one URL."""
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        return rate, int(errors.group(1)) if errors else 0
    done, bad, deadline = 0, 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            bad += response.status != 200
        done += 1
    return done / seconds, bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: random)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newscast-bench-") as tmp:
        env = configure(Path(tmp))
        build_newsroom()
        before = query_counts(page_urls(), cold=True)
        took = add_stories(args.stories)
        urls = page_urls()
        after = query_counts(urls, cold=True)
        warm = query_counts(urls, cold=False)
        cold_cost = render_times(urls, cold=True)
        cost = render_times(urls, cold=False)
        print(f"Added {args.stories} stories in {took:.1f} s.")

        port = args.port or random.randint(20000, 40000)
        server = serve(env, port)
        try:
            rates = {
                name: measure(f"http://127.0.0.1:{port}{url}", args.seconds, args.connections)
                for name, url in urls.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(
        f"\n          queries (cold)          queries   in process, ms/page"
        f"\nPage      demo  +{args.stories:<6}  warm (+{args.stories})"
        "  cold  cold CPU  warm  warm CPU  requests/s (warm)  non-2xx"
    )
    for name in urls:
        rate, errors = rates[name]
        print(
            f"{name:<9} {before[name]:>4}  {after[name]:>7}  {warm[name]:>12}"
            f"  {cold_cost[name][0]:>4.1f}  {cold_cost[name][1]:>8.1f}"
            f"  {cost[name][0]:>4.1f}  {cost[name][1]:>8.1f}  {rate:>17.1f}  {errors:>7}"
        )
    print(f"\nLoad average while measuring: {os.getloadavg()[0]:.1f} (2 cores).")
    print(
        f"\ngunicorn 2 sync workers, production settings, SQLite, no page cache (warm "
        f"fragment cache); wrk {args.connections} connections x {args.seconds} s per page."
    )
    grew = [name for name in urls if after[name] > before[name] or warm[name] > after[name]]
    if grew or after["home"] >= HOME_QUERY_LIMIT:
        raise SystemExit(
            f"query counts grew with the stories (or warm above cold), or home >= "
            f"{HOME_QUERY_LIMIT}: {grew}"
        )


if __name__ == "__main__":
    main()
