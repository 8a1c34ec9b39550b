"""Drill: a soak at a fixed request rate through nginx -> zero errors, memory flat.

Readers at --rate requests/second (home, a story, sections, /healthz), one in twenty of them
with a cookie that makes nginx skip its cache so Django renders too, for --minutes. Prints
errors, latency percentiles, and the resident memory of each part at the start (after a
short warm-up) and at the end.

    .venv/bin/python bench/drills/soak.py [--minutes 10] [--rate 100]
"""

import argparse
import http.client
import statistics
import sys
import threading
import time

from common import UNCACHED, drill_stack, load_demo_content, verdict

READERS = 8  # connections, each keeping its own keep-alive connection
WARM_UP_SECONDS = 6


def reader(number, base, paths, rate, uncached_every, until, results, lock):
    """One connection sending its share of the rate on a fixed schedule (not as fast as it can).

    A request that comes back late does not make the next ones burst to catch up: the slots it
    missed are dropped, and the achieved rate is reported.
    """
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    interval = READERS / rate
    due = time.monotonic() + number * interval / READERS
    sent = 0
    while time.monotonic() < until:
        time.sleep(max(0.0, due - time.monotonic()))
        serial = sent * READERS + number
        path = paths[serial % len(paths)]
        headers = UNCACHED if serial % uncached_every == 0 else {}
        started = time.monotonic()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = f"{type(exc).__name__}"
            connection.close()
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
        with lock:
            results.append((status, time.monotonic() - started))
        sent += 1
        due = max(due + interval, time.monotonic())
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=100, help="requests per second")
    parser.add_argument(
        "--uncached-every", type=int, default=20, help="one request in N skips nginx's cache"
    )
    args = parser.parse_args()
    stack = drill_stack("soak")
    with stack:
        story = load_demo_content(stack)
        paths = ["/", story, "/", "/healthz", "/weather/", "/data/", "/", story]
        base = stack.config.base_url
        results, lock = [], threading.Lock()
        until = time.monotonic() + WARM_UP_SECONDS + args.minutes * 60
        threads = [
            threading.Thread(
                target=reader,
                args=(n, base, paths, args.rate, args.uncached_every, until, results, lock),
            )
            for n in range(READERS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(WARM_UP_SECONDS)
        rss_start = stack.rss_kib()
        print(f"# soaking for {args.minutes} min at {args.rate:.0f} req/s", flush=True)
        samples, every = [], max(1.0, args.minutes * 6)  # ten samples over the soak
        while any(thread.is_alive() for thread in threads):
            time.sleep(every)
            samples.append(sum(stack.rss_kib().values()))
        for thread in threads:
            thread.join()
        rss_end = stack.rss_kib()
        alive = not stack.dead_processes()

    statuses = [status for status, _ in results]
    errors = [s for s in statuses if s not in (200, 404)]
    not_found = statuses.count(404)
    times = sorted(seconds for _, seconds in results)
    p50, p99 = (times[int(len(times) * q)] * 1000 for q in (0.50, 0.99))
    achieved = len(results) / (WARM_UP_SECONDS + args.minutes * 60)
    grew = sum(rss_end.values()) - sum(rss_start.values())
    lines = [
        f"  requests: {len(results):,} at {achieved:.0f} req/s; errors: {len(errors)} "
        f"{sorted(set(map(str, errors)))}; 404s (a desk page not in this build): {not_found}",
        f"  latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {times[-1] * 1000:.0f} ms, "
        f"mean {statistics.fmean(times) * 1000:.1f} ms",
        "  RSS MiB at start: " + ", ".join(f"{k} {v / 1024:.0f}" for k, v in rss_start.items()),
        "  RSS MiB at end:   " + ", ".join(f"{k} {v / 1024:.0f}" for k, v in rss_end.items()),
        f"  total RSS change: {grew / 1024:+.0f} MiB; totals every tenth (MiB): "
        + ", ".join(f"{s / 1024:.0f}" for s in samples),
        f"  every process still running: {alive}",
    ]
    return verdict("Soak", not errors and alive, "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
