"""How fast the production stack serves readers from its edge cache, measured with wrk.

Starts `newscast stack` (nginx -> gunicorn x2 -> PostgreSQL, Redis, worker), then measures,
each for --duration seconds at --connections: nginx serving a static copy of the home page
(the ceiling: plain, and gzip from a pre-compressed copy with gzip_static), then the home
page, a section and a story from nginx's cache, plain and with "Accept-Encoding: gzip".
While a cached page is measured, it is renewed every --purge-every seconds (both copies, as a
publish does: refreshed in place, or with --purge-mode purge deleted as a CDN's purge does),
so the figures include refreshes. Prints requests/second, p50, p99, the ratio to the faster
of the static file's two runs (first and last) of the same encoding, nginx's CPU time per
request, the machine's load and how nginx served the page (a baked file, a cached copy).
Goals (issue 12): p99 < 10 ms at 64 connections and >= 0.9x the static file, both ways.

    .venv/bin/python bench/serve.py [--duration 30] [--connections 64] [--purge-every 3]
        [--purge-mode refresh|purge]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
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
section = pages.filter(content_type__model="sectionpage").first()
print(section.url if section else "")
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


P99_GOAL_MS = 10
STATIC_COPY_PATH = "/static/bench/home.html"
RATIO_GOAL = 0.9
GZIP = {"Accept-Encoding": "gzip"}


def wrk(url: str, duration: int, connections: int, headers: dict | None = None) -> dict:
    """Run wrk (2 threads) and return its figures (parse_wrk)."""
    command = [WRK, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=True
    )
    return parse_wrk(result.stdout)


def parse_wrk(out: str) -> dict:
    """Requests, requests/second, p50 and p99 (ms) and the error count of wrk's report."""
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "errors": errors,
    }


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def fetch(url: str, headers: dict | None = None) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), dict(response.headers)


# How the worker renews a page at nginx's purge listener after a publish (core/edge.py):
# refreshed in place and baked again, or deleted (its cached copy and its baked file) as a
# CDN's purge does.
RENEWALS = {"refresh": ("BAKE",), "purge": ("PURGE", "DELETE")}


def purge(purge_url: str, path: str, methods: tuple[str, ...] = RENEWALS["refresh"]) -> None:
    """Both copies of a page renewed at nginx's purge listener."""
    for headers in ({}, GZIP):
        for method in methods:
            request = urllib.request.Request(
                purge_url + path, method=method, headers={"Host": "127.0.0.1", **headers}
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
            except urllib.error.HTTPError:
                pass  # 404: already gone


class Purger(threading.Thread):
    """Renew one page every `every` seconds until stopped; counts its renewals."""

    def __init__(self, purge_url: str, path: str, every: float, methods: tuple[str, ...]):
        super().__init__(daemon=True)
        self.purge_url, self.path, self.every, self.methods = purge_url, path, every, methods
        self.stopped = threading.Event()
        self.count = 0

    def run(self) -> None:
        while self.every and not self.stopped.wait(self.every):
            purge(self.purge_url, self.path, self.methods)
            self.count += 1


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (nginx's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
    return total


def write_static_copy(stack: Stack) -> bytes:
    """The home page as nginx serves a static file (STATIC_COPY_PATH), plain and, for
    gzip_static, compressed once as the cache's copy is; returns the page."""
    home_html, _ = fetch(f"{stack.config.base_url}/")
    static_copy = stack.run_dir / "static" / STATIC_COPY_PATH.removeprefix("/static/")
    static_copy.parent.mkdir(parents=True, exist_ok=True)
    static_copy.write_bytes(home_html)
    Path(f"{static_copy}.gz").write_bytes(gzip.compress(home_html, 6))
    return home_html


def stack_config(parser, port: int, database: str, run_dir: str):
    """Add the stack's options (ports in this machine's share, database, Redis db 6) to the
    parser; return a function giving the StackConfig of the parsed arguments."""
    parser.add_argument("--port", type=int, default=port, help="nginx; gunicorn takes port+21")
    parser.add_argument("--database-url", default=f"postgres://postgres@127.0.0.1:5432/{database}")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn sync workers")

    def config(args) -> StackConfig:
        return StackConfig(
            port=args.port, web_port=args.port + 21, database_url=args.database_url,
            redis_url=args.redis_url, run_dir=Path(run_dir), web_workers=args.web_workers,
        )  # fmt: skip

    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--purge-every", type=float, default=3.0, help="0: never purge")
    parser.add_argument(
        "--purge-mode", choices=("refresh", "purge"), default="refresh", help="how pages renew"
    )
    make_config = stack_config(parser, 21380, "newscast_bench_serve", "data/bench-stack")
    args = parser.parse_args()
    config = make_config(args)
    with Stack(config, say=lambda m: print(f"# {m}", flush=True)) as stack:
        stack.run_newscast("shell", "-c", LOAD_ALL_DEMOS)
        found = stack.run_newscast("shell", "--no-imports", "-c", FIND_STORY, capture=True)
        story, section = (found.strip().splitlines() or ["", ""])[-2:]
        base = config.base_url
        home_html = write_static_copy(stack)
        print(f"# home page: {len(home_html):,} bytes; section {section}; story {story}")

        runs = [("static copy of home", STATIC_COPY_PATH, None)]
        runs += [("home, cached", "/", "/"), ("section, cached", section, section)]
        runs += [("story, cached", story, story)]
        # Again at the end: the first run meets a stack still settling after its start, and
        # each page is compared with the faster of the two.
        runs += [("static copy of home, again", STATIC_COPY_PATH, None)]
        nginx_pid = stack.processes["nginx"].pid
        results = []
        for name, path, purged in runs:
            for encoding, headers in (("plain", {}), ("gzip", GZIP)):
                if purged:
                    purge(config.purge_url, purged)  # as its publish did: refreshed, baked
                fetch(base + path, headers)  # a warm cache, not its first fill
                served = fetch(base + path, headers)[1].get("X-Cache", "file")
                every = args.purge_every if purged else 0
                purger = Purger(config.purge_url, purged, every, RENEWALS[args.purge_mode])
                load = os.getloadavg()[0]
                cpu_before = cpu_seconds(nginx_pid)
                purger.start()
                figures = wrk(base + path, args.duration, args.connections, headers)
                purger.stopped.set()
                cpu = cpu_seconds(nginx_pid) - cpu_before
                figures.update(load=load, purges=purger.count, served=served)
                figures["cpu_us"] = cpu / max(1, figures["requests"]) * 1e6
                results.append((name, encoding, figures))
                print(f"# {name} {encoding}: {figures['rps']:.0f} req/s", flush=True)
        rss = stack.rss_kib()

    static = {}
    for name, encoding, f in results:
        if name.startswith("static"):
            static[encoding] = max(static.get(encoding, 0), f["rps"])
    print()
    print(
        f"wrk {args.duration}s per run, 2 threads, {args.connections} connections, loopback; "
        f"2 cores shared by wrk, the stack and other users (load: 1-min average at the start)"
    )
    print(f"cached pages renewed every {args.purge_every} s by {args.purge_mode} (0: never)")
    print(f"goals: p99 < {P99_GOAL_MS} ms, >= {RATIO_GOAL}x the static file of the same encoding")
    columns = ("req/s", "p50 ms", "p99 ms", "x static", "nginx us/req", "renewals", "load", "err")
    columns += ("served as",)
    print(f"{'what':28}" + "".join(f"{c:>13}" for c in columns))
    for name, encoding, f in results:
        ratio = f["rps"] / static[encoding]
        ok = f["p99"] < P99_GOAL_MS and (name.startswith("static") or ratio >= RATIO_GOAL)
        row = (
            f"{f['rps']:.0f}", f"{f['p50']:.2f}", f"{f['p99']:.2f}", f"{ratio:.2f}",
            f"{f['cpu_us']:.0f}", f["purges"], f"{f['load']:.1f}", f["errors"], f["served"],
        )  # fmt: skip
        label = f"{name} ({encoding})"
        print(f"{label:28}" + "".join(f"{c:>13}" for c in row) + ("" if ok else "  MISSED"))
    print("RSS at the end (MiB): " + ", ".join(f"{k} {v / 1024:.0f}" for k, v in rss.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
