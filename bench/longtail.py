"""The long tail: a crawler asking for random stories among 10,000 while readers crowd the front.

Starts the production stack (nginx -> gunicorn x2 -> PostgreSQL, Redis, worker), files stories
until there are --stories of them (story_file_live, the wire's short path; kept between runs
in the bench database), then for --duration seconds at once:

- a crawler at a fixed --rate of requests a second, each for a random story, through nginx;
- wrk readers (--connections in all) on the home page, a section and a story.

With --connections 0 the crawler runs alone. After each pass: the crawler's p99 as nginx's
log splits it, and the CPU each part (gunicorn's workers, nginx, PostgreSQL, Redis) spent.

The clients (wrk and the crawler) stand in for readers on other machines, but here they run
on the two cores they measure. They run at --client-nice (5) in a session of their own, so
that the kernel's CPU shares (one per session, sched_autogroup) rank them below the stack's
parts instead of beside them; --client-nice 0 measures them as equals
(docs/decisions/stack-cpu-priority.md).

It does this twice: cold (the crawler's stories purged from the edge first, since each
publish refreshed its story into the edge when it was filed) and warm (the same sequence of
stories again, now kept at the edge). Goals (issue 12): crawler p99 < 100 ms and
no 5xx; readers p99 < 10 ms.

    .venv/bin/python bench/longtail.py [--stories 10000] [--rate 100] [--duration 30]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import WRK, parse_wrk, percentile, stack_config  # noqa: E402
from newscast.core.stack import Stack  # noqa: E402

CRAWLER_P99_GOAL_MS = 100
READER_P99_GOAL_MS = 10
# This session's CPU group where the kernel shares the CPU by session (sched_autogroup).
AUTOGROUP = Path("/proc/self/autogroup")
FILE_STORIES = """
import sys
from django.db import transaction
from newscast.news.models import SectionPage, StoryPage
from newscast.news.services import story_file_live
wanted = {wanted}
sections = list(SectionPage.objects.live().order_by("path"))
have = StoryPage.objects.count()
text = "A fictional story filed for the long-tail bench. " * 40
body = [{{"type": "paragraph", "value": f"<p>{{text}}</p>"}}]
while have < wanted:
    with transaction.atomic():
        for n in range(have, min(have + 500, wanted)):
            story_file_live(
                sections[n % len(sections)], title=f"Bench story {{n}}: county road work update",
                summary="A fictional story.", body=body,
            )
    have = StoryPage.objects.count()
    print(f"stories: {{have}}", file=sys.stderr, flush=True)
"""
LIST_STORIES = """
from newscast.news.models import SectionPage, StoryPage
for story in StoryPage.objects.live().order_by("pk"):
    print("STORY", story.url)
print("SECTION", SectionPage.objects.live().order_by("path").first().url)
"""


class Crawler:
    """Fixed-rate requests for the given paths, in order, from a few threads; latencies kept."""

    def __init__(self, port: int, paths: list[str], rate: float, threads: int = 8):
        self.port, self.paths, self.rate, self.threads = port, paths, rate, threads
        self.latencies_ms: list[float] = []
        self.statuses: dict[int, int] = {}
        self.lock = threading.Lock()

    def run(self) -> None:
        started = time.monotonic()
        workers = [
            threading.Thread(target=self._crawl, args=(n, started)) for n in range(self.threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def _crawl(self, number: int, started: float) -> None:
        # Request i is due at started + i / rate, whatever the answers' speed (an open loop,
        # as a crawler does): thread n sends requests n, n + threads, ...
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for index in range(number, len(self.paths), self.threads):
            delay = started + index / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent = time.monotonic()
            try:
                connection.request("GET", self.paths[index], headers={"User-Agent": "benchbot"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status = 0
            elapsed = (time.monotonic() - sent) * 1000
            with self.lock:
                self.latencies_ms.append(elapsed)
                self.statuses[status] = self.statuses.get(status, 0) + 1
        connection.close()

    def figures(self) -> dict:
        errors = sum(n for status, n in self.statuses.items() if status == 0 or status >= 500)
        return {
            "requests": len(self.latencies_ms),
            "p50": percentile(self.latencies_ms, 50),
            "p99": percentile(self.latencies_ms, 99),
            "errors": errors,
        }


def readers(base: str, paths: list[str], connections: int, duration: int) -> list:
    """One wrk per page, started now; call .communicate() for its output. No wrk when
    `connections` is 0 (the crawler alone)."""
    if connections == 0:
        return []
    share = max(2, connections // len(paths))
    return [
        subprocess.Popen(
            [WRK, "-t1", f"-c{share}", f"-d{duration}s", "--latency", f"{base}{path}"],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for path in paths
    ]


def cpu_ns(pids) -> dict[int, int]:
    """CPU ns each of these processes has run (/proc/PID/schedstat), those still running."""
    ran = {}
    for pid in pids:
        try:
            ran[pid] = int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return ran


def cpu_ms_since(before: dict[int, int]) -> float:
    """CPU ms run since `before` by its processes that are still running (a PostgreSQL
    backend that closed in between takes its share with it)."""
    after = cpu_ns(before)
    return sum(after[pid] - before[pid] for pid in after) / 1e6


def part_pids(stack) -> dict[str, list[int]]:
    """The processes of each part the crawler's renders cost CPU in: gunicorn's workers
    (every web process's children), nginx (master and workers), PostgreSQL's and Redis's."""

    def children(pid: int) -> list[int]:
        listed = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(child) for child in listed.read_text().split()] if listed.exists() else []

    def named(name: str) -> list[int]:
        found = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout
        return [int(pid) for pid in found.split()]

    webs = [p.pid for name, p in stack.processes.items() if name.startswith("web")]
    nginx = stack.processes["nginx"].pid
    return {
        "gunicorn": [child for web in webs for child in children(web)],
        "nginx": [nginx, *children(nginx)],
        "postgres": named("postgres"),
        "redis": named("redis-server"),
    }


def purge_from_edge(config, paths) -> None:
    """Take these pages out of the edge, both encodings, through nginx's purge listener: a
    story's publish refreshed (and baked) it into the edge, and the cold pass must find it
    missing."""
    port = int(config.purge_url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for path in sorted(paths):
        for encoding in ("", "gzip"):
            headers = {"Host": "127.0.0.1", **({"Accept-Encoding": encoding} if encoding else {})}
            # The cached copy, and the file nginx baked if it was filed in these 10 minutes.
            for method in ("PURGE", "DELETE"):
                connection.request(method, path, headers=headers)
                connection.getresponse().read()  # 200/204 purged, 404 was not kept
    connection.close()


def one_pass(stack, config, crawl_paths, reader_paths, args) -> tuple[dict, list]:
    crawler = Crawler(config.port, crawl_paths, args.rate)
    log = config.run_dir / "nginx-access.log"
    log_start = log.stat().st_size if log.exists() else 0
    pids = part_pids(stack)
    cpu_before = {part: cpu_ns(found) for part, found in pids.items()}
    wrks = readers(config.base_url, reader_paths, args.connections, args.duration)
    crawler.run()
    results = [parse_wrk(process.communicate()[0]) for process in wrks]
    cpu = {part: cpu_ms_since(before) for part, before in cpu_before.items()}
    time.sleep(1.5)  # nginx flushes its log buffer every second
    crawler_paths = set(crawl_paths)
    return {**crawler.figures(), **tail_split(log, log_start, crawler_paths), "cpu": cpu}, results


# One line of nginx's "cache" log format (deploy/nginx.conf.template).
LOG_LINE = re.compile(
    r'"GET (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ cache=(?P<cache>\S+) .*'
    r"upstream_time=(?P<upstream>[\d.]+|-) total=(?P<total>[\d.]+)"
)


def tail_split(log: Path, start: int, paths: set[str]) -> dict:
    """Where the crawler's slow requests spent their time, from nginx's access log: the p99
    of nginx's total time for the crawler's requests against the p99 of the time gunicorn
    took to answer (its queue for a free worker and Django's render), in ms."""
    totals, upstream = [], []
    with log.open() as lines:
        lines.seek(start)
        for line in lines:
            match = LOG_LINE.search(line)
            if match is None or match["path"] not in paths:
                continue
            totals.append(float(match["total"]) * 1000)
            if match["upstream"] != "-":
                upstream.append(float(match["upstream"]) * 1000)
    return {
        "nginx_p99": percentile(totals, 99),
        "upstream_p99": percentile(upstream, 99),
        "rendered": len(upstream),
    }


def in_own_session() -> int | None:
    """None when this process leads a session of its own, whose CPU share the clients'
    priority can lower without lowering the shell's. Else this bench is run again in a new
    session and its exit code returned; Ctrl-C and a stop (SIGINT, SIGTERM) are passed on to
    it. (Leaving the session with setsid() instead would leave the terminal too: Ctrl-C
    would stop make, not the bench and its stack.)"""
    if os.getsid(0) == os.getpid():
        return None
    child = subprocess.Popen([sys.executable, *sys.argv], start_new_session=True)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda number, _frame: child.send_signal(number))
    code = child.wait()
    return 128 - code if code < 0 else code  # stopped by a signal: as a shell reports it


def clients_yield(nice: int) -> str:
    """Lower the CPU priority of this process, its threads to come (the crawler) and its
    children to come (wrk): by nice within a CPU group, and by its session's autogroup nice
    where the kernel shares the CPU between sessions (every part of the stack has a session
    of its own). Call it after the stack has started: its parts keep their priority."""
    if nice == 0:
        return "nice 0, as the stack's parts"
    os.nice(nice)
    if AUTOGROUP.exists():
        AUTOGROUP.write_text(str(nice))
        return f"nice {nice}, autogroup {AUTOGROUP.read_text().split()[-1]}"
    return f"nice {nice} (no autogroup)"


def wait_for_worker(redis_url: str, timeout: float = 900) -> float:
    """Seconds until Huey's queue in Redis is empty (its key then no longer exists)."""
    import redis

    client, started = redis.Redis.from_url(redis_url), time.monotonic()
    while client.exists("huey.redis.newscast") and time.monotonic() - started < timeout:
        time.sleep(1)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=100, help="crawler requests a second")
    parser.add_argument("--duration", type=int, default=30, help="seconds per pass")
    parser.add_argument("--connections", type=int, default=64, help="wrk readers in all")
    parser.add_argument(
        "--client-nice", type=int, default=5, help="the clients' CPU priority (0: the stack's)"
    )
    make_config = stack_config(parser, 21480, "newscast_bench_longtail", "data/bench-longtail")
    args = parser.parse_args()
    config = make_config(args)
    rerun = in_own_session() if args.client_nice else None
    if rerun is not None:
        return rerun
    # Cold means cold: last run's copies (kept 10 minutes) are not this run's.
    shutil.rmtree(config.run_dir / "nginx-cache", ignore_errors=True)
    with Stack(config, say=lambda m: print(f"# {m}", flush=True)) as stack:
        started = time.monotonic()
        stack.run_newscast("shell", "-c", FILE_STORIES.format(wanted=args.stories), timeout=3600)
        print(f"# {args.stories:,} stories ready in {time.monotonic() - started:.0f}s", flush=True)
        listed = stack.run_newscast("shell", "-c", LIST_STORIES, capture=True).splitlines()
        stories = [line.split(" ", 1)[1] for line in listed if line.startswith("STORY ")]
        section = next(line.split(" ", 1)[1] for line in listed if line.startswith("SECTION "))
        # Filing them queued purges (home, sections, feeds) for the worker: measure after it
        # has caught up, or readers of those pages would be measuring the filing.
        waited = wait_for_worker(args.redis_url)
        print(f"# the worker's queue was empty after {waited:.0f}s", flush=True)
        reader_paths = ["/", section, stories[-1]]
        for path in reader_paths:
            for _ in range(2):
                subprocess.run(["curl", "-s", "-o", "/dev/null", config.base_url + path])
        # The crawler never asks for the readers' story: its own sequence, seeded.
        crawl = random.Random(12).choices(stories[:-1], k=int(args.rate * args.duration))
        purge_from_edge(config, set(crawl))
        clients = clients_yield(args.client_nice)
        load_before = os.getloadavg()
        cold = one_pass(stack, config, crawl, reader_paths, args)
        warm = one_pass(stack, config, crawl, reader_paths, args)
        load_after = os.getloadavg()

    print()
    print(
        f"{len(stories):,} stories; crawler {args.rate:.0f} req/s of random stories for "
        f"{args.duration}s; wrk readers {args.connections} connections on home, section, story"
    )
    print(
        f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} (2 cores); "
        f"{args.web_workers} gunicorn workers; clients (wrk, crawler) at {clients}"
    )
    print(
        f"{'pass':6}{'who':22}{'requests':>10}{'p50 ms':>9}{'p99 ms':>9}{'goal':>9}{'5xx/err':>9}"
    )
    for name, (crawler, reader_results) in (("cold", cold), ("warm", warm)):
        c = crawler
        print(
            f"{name:6}{'crawler':22}{c['requests']:>10}{c['p50']:>9.1f}{c['p99']:>9.1f}"
            f"{'<' + str(CRAWLER_P99_GOAL_MS):>9}{c['errors']:>9}"
        )
        for path, r in zip(reader_paths[: len(reader_results)], reader_results, strict=True):
            print(
                f"{'':6}{'reader ' + path[:14]:22}{r['requests']:>10}{r['p50']:>9.2f}"
                f"{r['p99']:>9.2f}{'<' + str(READER_P99_GOAL_MS):>9}{r['errors']:>9}"
            )
    print("the crawler's p99 in nginx's log: nginx's total; gunicorn's answer (queue + render)")
    for name, (crawler, _) in (("cold", cold), ("warm", warm)):
        print(
            f"{name:6}nginx {crawler['nginx_p99']:.1f} ms, "
            f"gunicorn {crawler['upstream_p99']:.1f} ms, "
            f"{crawler['rendered']} of {crawler['requests']} rendered by Django"
        )
    print("CPU of each part during the pass, ms a story rendered by Django (and cores used)")
    for name, (crawler, _) in (("cold", cold), ("warm", warm)):
        rendered = crawler["rendered"]
        parts = ", ".join(
            f"{part} {ms / rendered if rendered else 0:.2f} ({ms / 1000 / args.duration:.2f})"
            for part, ms in crawler["cpu"].items()
        )
        print(f"{name:6}{parts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
