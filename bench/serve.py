"""How fast the production stack serves readers, measured with wrk on loopback.

Starts `newscast stack` (nginx micro-cache -> gunicorn x2 -> PostgreSQL, Redis), then measures
in one run: nginx serving a static copy of the home page (the ceiling), the home page and a
story through nginx's cache, and the same two pages rendered by Django on every request
(gunicorn directly, no cache). Prints requests/second, p50, p99 and the ratio to static.

    .venv/bin/python bench/serve.py [--duration 10] [--connections 64]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscast.core.stack import Stack, StackConfig  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"

# Find a story to measure: the most recently published live story (or any deep page).
FIND_STORY = """
from wagtail.models import Page
pages = Page.objects.live().filter(depth__gte=3).order_by("-first_published_at")
story = pages.filter(content_type__model="storypage").first() or pages.first()
print(story.url if story else "")
"""
# Every desk's demo content (idempotent), whether or not the demo command lists it yet.
LOAD_ALL_DEMOS = """
import importlib, pkgutil, sys
import newscast
for app in pkgutil.iter_modules(newscast.__path__):
    try:
        module = importlib.import_module(f"newscast.{app.name}.demo")
    except ModuleNotFoundError:
        continue
    module.load(sys.stdout)
"""


def wrk(url: str, duration: int, connections: int, threads: int = 2) -> dict:
    """Run wrk and return requests/second, p50 and p99 (ms) and the error count."""
    result = subprocess.run(
        [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, timeout=duration + 60, check=True,
    )  # fmt: skip
    out = result.stdout
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "errors": errors,
    }


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def fetch(url: str, headers: dict | None = None) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), dict(response.headers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=64, help="for the cached runs")
    parser.add_argument(
        "--uncached-connections", type=int, default=8, help="for Django rendering every request"
    )
    parser.add_argument("--port", type=int, default=18380)
    parser.add_argument("--web-port", type=int, default=18301)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/newscast_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    args = parser.parse_args()

    config = StackConfig(
        port=args.port, web_port=args.web_port, database_url=args.database_url,
        redis_url=args.redis_url, run_dir=Path("data/bench-stack"),
    )  # fmt: skip
    with Stack(config, say=lambda m: print(f"# {m}")) as stack:
        stack.run_newscast("shell", "-c", LOAD_ALL_DEMOS)
        found = stack.run_newscast("shell", "--no-imports", "-c", FIND_STORY, capture=True)
        story = (found.strip().splitlines() or [""])[-1]
        base, web = config.base_url, f"http://{config.web_binds[0]}"
        home_html, _ = fetch(f"{base}/")
        static_copy = stack.run_dir / "static" / "bench" / "home.html"
        static_copy.parent.mkdir(parents=True, exist_ok=True)
        static_copy.write_bytes(home_html)
        fetch(f"{base}/")  # fill the cache
        _, headers = fetch(f"{base}/")
        cached = headers.get("X-Cache")
        print(f"# home page: {len(home_html):,} bytes; second request X-Cache={cached}")
        print(f"# story: {story or '(no story page in the demo content yet)'}")

        runs = [("static copy of home (nginx)", f"{base}/static/bench/home.html", args.connections)]
        runs.append(("home, cached (nginx)", f"{base}/", args.connections))
        if story:
            runs.append(("story, cached (nginx)", f"{base}{story}", args.connections))
        runs.append(("home, uncached (gunicorn x2)", f"{web}/", args.uncached_connections))
        if story:
            runs.append(
                ("story, uncached (gunicorn x2)", f"{web}{story}", args.uncached_connections)
            )

        results = []
        for name, url, connections in runs:
            fetch(url)  # the cached runs measure a warm cache, not its first fill
            figures = wrk(url, args.duration, connections)
            results.append((name, connections, figures))
            print(f"# measured {name}: {figures['rps']:.0f} req/s", flush=True)
        rss = stack.rss_kib()

    static_rps = results[0][2]["rps"]
    print()
    print(f"wrk {args.duration}s per run, 2 threads, loopback, 2 cores shared by wrk and the stack")
    columns = ("conns", "req/s", "p50 ms", "p99 ms", "x static", "errors")
    print(f"{'what':34}" + "".join(f"{c:>9}" for c in columns))
    for name, connections, f in results:
        ratio = f["rps"] / static_rps
        row = (connections, f"{f['rps']:.0f}", f"{f['p50']:.2f}", f"{f['p99']:.2f}", f"{ratio:.2f}")
        print(f"{name:34}" + "".join(f"{c:>9}" for c in (*row, f["errors"])))
    print("RSS at the end (MiB): " + ", ".join(f"{k} {v / 1024:.0f}" for k, v in rss.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
