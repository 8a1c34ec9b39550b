"""News pages benchmark: requests/second, CPU, SQL and Redis round trips for home, section and
story pages rendered by Django (no page cache).

    .venv/bin/python bench/pages.py [--stories 1000] [--seconds 10] [--connections 8]
        [--database-url postgres://postgres@127.0.0.1:5432/newscast_bench_pages]
        [--redis-url redis://127.0.0.1:6379/7]

As production runs (production settings, DEBUG off, PostgreSQL and Redis; `--database-url
sqlite` and `--redis-url ''` for the embedded defaults), on a database it makes afresh (and
a Redis db it empties), it loads the demo newsroom, counts the SQL queries each page runs,
adds --stories more stories and counts again (the counts must not grow), times each page in
process (median ms, and CPU ms: steady even on a busy machine) with its SQL and Redis round
trips, then serves the site with gunicorn (deploy/gunicorn.conf.py, 2 sync workers,
multi-process metrics) and measures each page with wrk (/usr/bin/wrk), or with a Python loop
when wrk is missing, reading the workers' CPU time per request from /proc. Nothing leaves the
machine: every request goes to 127.0.0.1.

"Cold" is the first request after a publish (the content version moved, so the page's
cached fragments are rendered afresh); "warm" is every request after it, until the next
publish: what readers get nearly all the time. A "cold story" is what a crawler's request
for a story nobody read costs: --cold-stories distinct stories, each rendered for the first
time at one content version, while the parts every page shares (site, header, section
links, footer, widgets) are warm (median CPU ms, SQL queries and Redis round trips).
There is no whole-page cache in either: every request runs the middleware, routing, the
page's view and the page template, and only the fragments (story lists, story body, share
tags) come from the cache (newscast/core/fragments.py). requests/s are warm figures.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscast.core.stack import StackError, wait_for  # noqa: E402

HOME_QUERY_LIMIT = 20
GOAL_RATE = 200  # requests/s per page, 2 sync workers, warm (issue 12)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newscast_bench_pages"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"


def configure(workdir: Path, database_url: str, redis_url: str) -> dict:
    metrics_dir = workdir / "prometheus"
    metrics_dir.mkdir()
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS_ONLY": "false",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": redis_url,
        # As deploy/systemd/newscast-web.service: gunicorn's workers share their figures.
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "GUNICORN_ACCESS_LOG": "",  # nginx keeps the access log in production
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # fragments of an earlier run carry the same content version numbers
    return env


def postgres_database_fresh(url: str) -> None:
    """Drop and make the benchmark's PostgreSQL database."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


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


class RoundTrips:
    """Counts SQL statements and Redis round trips (a pipeline is one) made inside it."""

    def __enter__(self):
        from django.db import connection
        from redis.connection import AbstractConnection

        self.sql = self.redis = 0
        self._send = AbstractConnection.send_packed_command
        counter = self

        def send(conn, command, check_health=True):
            counter.redis += 1
            return counter._send(conn, command, check_health)

        def execute(execute, sql, params, many, context):
            counter.sql += 1
            return execute(sql, params, many, context)

        AbstractConnection.send_packed_command = send
        self._wrapper = connection.execute_wrapper(execute)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        from redis.connection import AbstractConnection

        self._wrapper.__exit__(*exc)
        AbstractConnection.send_packed_command = self._send


def round_trips(urls: dict[str, str], *, cold: bool) -> dict[str, tuple[int, int]]:
    """(SQL queries, Redis round trips) for each page, warm (fragments cached) or cold (just
    after a publish)."""
    from django.test import Client

    from newscast.core.models.content import content_version_bump

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm per-process caches, as a long-running worker has them
        client.get(url)
        if cold:
            content_version_bump()
        with RoundTrips() as trips:
            response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        counts[name] = (trips.sql, trips.redis)
    return counts


def render_times(urls: dict[str, str], *, cold: bool, repeat: int = 30) -> dict[str, tuple]:
    """(median ms, median CPU ms) to answer each page in this process (no HTTP)."""
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


def cold_story_costs(count: int) -> tuple[float, float, float]:
    """(median CPU ms, median SQL, median Redis round trips) of `count` distinct stories,
    each rendered for the first time at the current content version (the long tail)."""
    from django.test import Client

    from newscast.core.models.content import content_version_bump
    from newscast.news.models import StoryPage

    client = Client(HTTP_HOST="127.0.0.1")
    stories = list(StoryPage.objects.live().order_by("?")[: count + 1])
    content_version_bump()
    client.get(stories[0].url)  # the shared parts, once, as after any publish
    cpu, sql, redis = [], [], []
    for story in stories[1:]:
        start_cpu = time.process_time()
        with RoundTrips() as trips:
            response = client.get(story.url)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, f"{story.url} answered {response.status_code}"
        sql.append(trips.sql)
        redis.append(trips.redis)
    return statistics.median(cpu), statistics.median(sql), statistics.median(redis)


def serve(env: dict, port: int, workers: int = 2) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            "deploy/gunicorn.conf.py",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
        },  # fmt: skip
        stdout=subprocess.DEVNULL,  # its log goes to stderr: only warnings, shown with ours
    )
    # Ready when it answers, however long a busy machine takes to start it, up to the stack's
    # own bound (READY_TIMEOUT_SECONDS, 60 s); a gunicorn that exits is reported at once.
    ready, started = f"http://127.0.0.1:{port}/robots.txt", time.monotonic()
    try:
        wait_for(
            lambda: urllib.request.urlopen(ready, timeout=5).close(),
            "gunicorn",
            {"gunicorn": process},
        )
    except StackError as exc:
        process.terminate()
        raise SystemExit(f"gunicorn did not start: {exc}") from exc
    print(f"gunicorn answered {time.monotonic() - started:.1f} s after its start.", flush=True)
    return process


def workers_cpu_seconds(master: int) -> float:
    """User + system CPU seconds of gunicorn's workers (the master's children), from /proc."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def measure(url: str, seconds: int, connections: int) -> tuple[float, int, int]:
    """(requests per second, requests, non-2xx answers) for one URL."""
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        done = int(re.search(r"(\d+) requests in", out).group(1))
        errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        return rate, done, int(errors.group(1)) if errors else 0
    done, bad, deadline = 0, 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            bad += response.status != 200
        done += 1
    return done / seconds, done, bad


def served_rates(env: dict, urls: dict, args) -> tuple[dict, list[float]]:
    """For each page: (req/s, CPU ms a request in the workers, non-2xx); load averages."""
    port = args.port or random.randint(22000, 22999)
    server = serve(env, port)
    rates, loads = {}, []
    try:
        for name, url in urls.items():
            full = f"http://127.0.0.1:{port}{url}"
            measure(full, 1, args.connections)  # warm both workers' per-process caches
            cpu = workers_cpu_seconds(server.pid)
            rate, done, errors = measure(full, args.seconds, args.connections)
            cpu_ms = (workers_cpu_seconds(server.pid) - cpu) * 1000 / max(done, 1)
            rates[name] = (rate, cpu_ms, errors)
            loads.append(os.getloadavg()[0])
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rates, loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--cold-stories", type=int, default=300, help="distinct stories")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: random)")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database made afresh (dropped first!), or 'sqlite' for a temporary file",
    )
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS_URL, help="Redis db emptied first; '' for none"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newscast-bench-") as tmp:
        database_url = args.database_url
        if database_url == "sqlite":
            database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        else:
            postgres_database_fresh(database_url)
        env = configure(Path(tmp), database_url, args.redis_url)
        build_newsroom()
        before = round_trips(page_urls(), cold=True)
        took = add_stories(args.stories)
        urls = page_urls()
        after = round_trips(urls, cold=True)
        warm = round_trips(urls, cold=False)
        cold_cost = render_times(urls, cold=True)
        cost = render_times(urls, cold=False)
        cold_stories = min(args.cold_stories, args.stories)
        cpu_ms, sql, redis = cold_story_costs(cold_stories)
        # Printed at once: the gunicorn part below may still fail to start (a broken config).
        print(
            f"Cold story ({cold_stories} distinct stories, each rendered first at one content "
            f"version, in process): CPU {cpu_ms:.1f} ms, SQL {sql:.0f}, Redis {redis:.0f} "
            f"(medians); load {os.getloadavg()[0]:.1f}.",
            flush=True,
        )
        print(f"Added {args.stories} stories in {took:.1f} s.")
        rates, loads = served_rates(env, urls, args)

    database = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    cache = "Redis" if args.redis_url else "local memory cache"
    print(
        f"\n          SQL (cold)      warm +{args.stories:<5}  in process, ms/page"
        f"          gunicorn x2 (warm)"
        f"\nPage      demo  +{args.stories:<6}  SQL  Redis"
        "   cold  cold CPU  warm  warm CPU   req/s  goal  CPU ms/req  non-2xx"
    )
    for name in urls:
        rate, cpu_ms, errors = rates[name]
        print(
            f"{name:<9} {before[name][0]:>4}  {after[name][0]:>7}  {warm[name][0]:>3}  "
            f"{warm[name][1]:>5}  {cold_cost[name][0]:>5.1f}  {cold_cost[name][1]:>8.1f}"
            f"  {cost[name][0]:>4.1f}  {cost[name][1]:>8.1f}  {rate:>6.1f}  {GOAL_RATE:>4}"
            f"  {cpu_ms:>10.1f}  {errors:>7}"
        )
    print(
        f"\nLoad average while measuring: {' '.join(f'{x:.1f}' for x in loads)} "
        f"(per page; 2 cores shared)."
    )
    print(
        f"gunicorn 2 sync workers (deploy/gunicorn.conf.py), production settings, {database}, "
        f"{cache}, no page cache (warm fragment cache); wrk {args.connections} connections "
        f"x {args.seconds} s per page."
    )
    grew = [
        name for name in urls if after[name][0] > before[name][0] or warm[name][0] > after[name][0]
    ]
    if grew or after["home"][0] >= HOME_QUERY_LIMIT:
        raise SystemExit(
            f"query counts grew with the stories (or warm above cold), or home >= "
            f"{HOME_QUERY_LIMIT}: {grew}"
        )


if __name__ == "__main__":
    main()
