"""Wire desk benchmark: a 1,000-item feed, first import and re-polls, time and database writes.

    .venv/bin/python bench/wire.py [--items 1000] [--changed 10] [--database-url URL]

On a temporary SQLite database (or the database URL given, which must be empty or
disposable), it serves a generated RSS 2.0 feed of --items items (fictional copy, HTML
bodies, no pictures so the figures measure the desk rather than picture downloads) from a
local HTTP server, then polls it through the real client and services and reports, for each
phase, the wall time, the SQL queries and the writes (INSERT/UPDATE/DELETE statements):

  first      every item is new: one story each, through the news desk's services
  same bytes the same file again, no ETag: recognised by its SHA-256, not even parsed
  unchanged  a rebuilt file (new lastBuildDate), same items: parsed, every item compared
  304        the server answers 304 Not Modified to our conditional GET
  changed    --changed items have new text: that many story revisions, the rest untouched

The re-polls of an unchanged feed write exactly one row: the feed's own poll status (last
poll, last success, items seen), so the admin can show when the feed was last read.

Wagtail's search and reference indexing are queued for the worker, as in production
(core.task_backend), a poll's as one batch; after the first import, `index` runs what was
queued, as one worker would, reports how long the worker needs to catch up and counts the
stories the search index then holds. Goals (issue 12): first import of
1,000 new stories under 30 s on SQLite and on PostgreSQL; the index caught up within 10 s.
`cpu` is this process's CPU time, steadier than wall time on a shared machine (on PostgreSQL
the server's own work is not in it); the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITE_WORDS = ("INSERT", "UPDATE", "DELETE")
FIRST_IMPORT_GOAL_S = 30.0  # for 1,000 stories
INDEX_CATCH_UP_GOAL_S = 10.0


def feed_xml(items: int, changed: int = 0, build: int = 0) -> bytes:
    """An RSS 2.0 feed of `items` fictional items; the first `changed` have new text.

    `build` changes the channel's lastBuildDate only, as servers that rebuild the file on
    every request do: new bytes, same items.
    """
    start = datetime(2026, 11, 1, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel><title>Bench wire (fictional)</title><link>https://bench.example/</link>",
        "<description>Generated for bench/wire.py</description>",
        f"<lastBuildDate>{format_datetime(start + timedelta(days=30, minutes=build))}"
        "</lastBuildDate>",
    ]
    for n in range(items):
        extra = " A new paragraph arrived with the update." if n < changed else ""
        when = format_datetime(start + timedelta(minutes=n))
        parts.append(
            f"<item><title>Bench story number {n}: council weighs plan {n % 37}</title>"
            f"<link>https://bench.example/stories/{n}</link>"
            f'<guid isPermaLink="false">bench-{n}</guid><pubDate>{when}</pubDate>'
            f"<description>Summary of bench story {n}.</description>"
            f"<content:encoded><![CDATA[<p>Paragraph one of story {n}, with a "
            f'<a href="/related/{n}">related link</a>.</p>'
            f"<p>Paragraph two quotes a fictional official at some length so the body is "
            f"about the size of a short wire brief.{extra}</p>]]></content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


class FeedServer:
    """A loopback HTTP server with one feed; it can send an ETag and answer 304s."""

    def __init__(self):
        self.body = b""
        self.etag = ""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                if server.etag and self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(server.body)))
                if server.etag:
                    self.send_header("ETag", server.etag)
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/feed.xml"

    def serve(self, body: bytes, *, with_etag: bool) -> None:
        self.body = body
        self.etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"' if with_etag else ""


def configure(database_url: str, workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    # As in production: Wagtail's index updates go to the worker's queue (here one in memory,
    # drained by `index_catch_up` as the worker would), not inline as in the test settings.
    settings.TASKS = {"default": {"BACKEND": "newscast.core.task_backend.HueyTaskBackend"}}
    django.setup()
    import logging

    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False
    HUEY.storage = HUEY.get_immediate_storage()
    logging.disable(logging.INFO)


def index_catch_up() -> tuple[int, float]:
    """Run what the import queued for the worker (search and reference indexing), as one
    worker would; returns (tasks run, seconds)."""
    from huey.contrib.djhuey import HUEY

    started, done = time.perf_counter(), 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        done += 1
    return done, time.perf_counter() - started


def index_entries() -> int:
    """How many stories the search index holds: after the catch-up, every one imported."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    from newscast.news.models import StoryPage

    story_type = ContentType.objects.get_for_model(StoryPage)
    return IndexEntry.objects.filter(content_type=story_type).count()


def measure(label: str, func) -> tuple:
    """Run func, counting every SQL statement and the writes among them."""
    from django.db import connection

    counts = {"queries": 0, "writes": 0, "by_table": {}}

    def count(execute, sql, params, many, context):
        counts["queries"] += 1
        words = sql.lstrip().split(None, 3)
        if words and words[0].upper() in WRITE_WORDS:
            counts["writes"] += 1
            table = words[2] if words[0].upper() != "UPDATE" else words[1]
            table = table.strip('"`')
            counts["by_table"][table] = counts["by_table"].get(table, 0) + 1
        return execute(sql, params, many, context)

    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        result = func()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    tables = ", ".join(f"{t} {n}" for t, n in sorted(counts["by_table"].items())) or "none"
    print(
        f"{label:<11}{elapsed:8.2f} s  cpu {cpu:6.2f} s  {counts['queries']:7,} queries  "
        f"{counts['writes']:6,} writes  | {result.summary()[:60]}"
    )
    print(f"{'':<11}writes by table: {tables}")
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newscast-wire-bench-") as tmp:
        workdir = Path(tmp)
        configure(args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)
        from django.core.management import call_command
        from django.db import connection
        from wagtail.models import Site

        from newscast.home.demo_newsroom import home_page_ensure
        from newscast.news.models import SectionPage
        from newscast.wire.models import WireFeed
        from newscast.wire.services.feeds import feed_poll

        call_command("migrate", verbosity=0)
        home = home_page_ensure(Site.objects.get(is_default_site=True))
        section = SectionPage(title="Bench", slug="bench")
        home.add_child(instance=section)
        server = FeedServer()
        feed = WireFeed.objects.create(
            name="Bench wire", url=server.url, credit_line="Bench", section=section
        )
        first_body = feed_xml(args.items)
        print(
            f"{connection.vendor}: {args.items:,}-item RSS feed, {len(first_body) / 1e6:.2f} MB, "
            f"{args.changed} changed in the last phase"
        )
        server.serve(first_body, with_etag=False)
        first, _ = measure("first", lambda: feed_poll(feed))
        tasks, catch_up = index_catch_up()
        print(
            f"{'index':<11}{catch_up:8.2f} s  {tasks:,} worker tasks (search, references: "
            f"the poll's as one batch); {index_entries():,} stories in the search index"
        )
        goal = FIRST_IMPORT_GOAL_S * args.items / 1000
        print(
            f"{'':<11}goals: first import {first:.1f} s (goal < {goal:.0f} s for "
            f"{args.items:,}: {'met' if first < goal else 'NOT met'}); index caught up in "
            f"{catch_up:.1f} s (goal < {INDEX_CATCH_UP_GOAL_S:.0f} s: "
            f"{'met' if catch_up < INDEX_CATCH_UP_GOAL_S else 'NOT met'}); "
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        measure("same bytes", lambda: feed_poll(feed))
        server.serve(feed_xml(args.items, build=1), with_etag=False)
        measure("unchanged", lambda: feed_poll(feed))
        server.serve(first_body, with_etag=True)
        feed_poll(feed)  # learn the ETag
        measure("304", lambda: feed_poll(feed))
        server.serve(feed_xml(args.items, changed=args.changed, build=2), with_etag=False)
        measure("changed", lambda: feed_poll(feed))
        server.httpd.shutdown()


if __name__ == "__main__":
    main()
