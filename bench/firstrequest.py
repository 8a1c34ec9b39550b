"""A fresh web worker's first requests: what gunicorn's warm-up in the master saves (issue 12).

    .venv/bin/python bench/firstrequest.py [--rounds 3] [--stories 300] [--requests 20]
        [--database-url postgres://postgres@127.0.0.1:5432/newscast_bench_first]
        [--redis-url redis://127.0.0.1:6379/8]

Every worker gunicorn starts (at a deploy, a reload, and each GUNICORN_MAX_REQUESTS requests
when it replaces one) used to answer its first request cold: templates compiled, lazy
imports, connections. deploy/gunicorn.conf.py now renders each kind of page once in the
master before it forks (newscast/core/warmup.py). On a database made as bench/pages.py makes
it (demo newsroom and --stories more stories, production settings, PostgreSQL and Redis),
this starts gunicorn with one sync worker, with GUNICORN_WARM_UP off and on in turn for
--rounds rounds, and asks it for --requests distinct stories one after another, each seen
for the first time at a new content version (what a crawler's request costs). It prints the
first answer's time and the worker's CPU for it beside the median of the others, and how
long gunicorn took to answer after its start (the warm-up is paid there instead).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.longtail import cpu_ns  # noqa: E402
from bench.pages import (  # noqa: E402
    add_stories,
    build_newsroom,
    configure,
    postgres_database_fresh,
    serve,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newscast_bench_first"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/8"


def workers_cpu_ms(master: int) -> float:
    """CPU ms gunicorn's workers have run, to the nanosecond (/proc/PID/schedstat: /proc's
    stat counts 10-ms ticks, as long as a whole warm render)."""
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sum(cpu_ns(int(pid) for pid in workers).values()) / 1e6


def fresh_stories(count: int, rng: random.Random) -> list[str]:
    """`count` stories nobody has read at the content version this moves on to."""
    from newscast.core.models.content import content_version_bump
    from newscast.news.models import StoryPage

    content_version_bump()
    stories = list(StoryPage.objects.live())
    return [story.url for story in rng.sample(stories, count)]


def one_round(env: dict, warm: bool, paths: list[str]) -> dict:
    """(ms to first answer after start, [(wall ms, worker CPU ms)] per request)."""
    port = random.randint(23000, 23999)
    started = time.monotonic()
    server = serve({**env, "GUNICORN_WARM_UP": "true" if warm else "false"}, port, workers=1)
    ready_s = time.monotonic() - started
    answers = []
    try:
        for path in paths:
            cpu = workers_cpu_ms(server.pid)
            sent = time.monotonic()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
                answer.read()
                assert answer.status == 200, f"{path} answered {answer.status}"
            wall = (time.monotonic() - sent) * 1000
            answers.append((wall, workers_cpu_ms(server.pid) - cpu))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"ready_s": ready_s, "answers": answers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--requests", type=int, default=20, help="distinct stories a round")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newscast-bench-") as tmp:
        postgres_database_fresh(args.database_url)
        env = configure(Path(tmp), args.database_url, args.redis_url)
        build_newsroom()
        add_stories(args.stories)
        rng = random.Random(3)
        rows = []
        for number in range(args.rounds):
            for warm in (False, True):
                paths = fresh_stories(args.requests, rng)
                rows.append((number + 1, warm, one_round(env, warm, paths)))

    print(
        f"\nOne sync worker, {args.requests} distinct stories a round, each first seen at its "
        f"content version (production settings, PostgreSQL, Redis); "
        f"load {os.getloadavg()[0]:.1f} (2 cores)."
    )
    print(
        f"{'round':>5}  {'warm-up':8}{'answers after':>14}{'first ms':>10}{'first CPU':>10}"
        f"{'next ms':>9}{'next CPU':>9}   (next: median of the others)"
    )
    for number, warm, result in rows:
        (first_ms, first_cpu), *others = result["answers"]
        print(
            f"{number:>5}  {'on' if warm else 'off':8}{result['ready_s']:>12.2f} s"
            f"{first_ms:>10.1f}{first_cpu:>10.1f}"
            f"{statistics.median(w for w, _ in others):>9.1f}"
            f"{statistics.median(c for _, c in others):>9.1f}"
        )


if __name__ == "__main__":
    main()
