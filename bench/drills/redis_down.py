"""Drill: Redis stops -> pages are still served, /healthz says "degraded", then recovers.

Runs its own redis-server on a free port (never the machine's shared one), stops it, reads
pages through nginx and straight from Django (cache skipped) for --seconds, starts Redis again
and checks the cache is used again.

    .venv/bin/python bench/drills/redis_down.py [--seconds 15]
"""

import argparse
import json
import statistics
import sys
import time

from common import UNCACHED, drill_stack, free_port, get, load_demo_content, verdict, wait_until


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    redis_port = free_port()
    stack = drill_stack("redis", redis_url=f"redis://127.0.0.1:{redis_port}/0")
    with stack:
        story = load_demo_content(stack)
        base = stack.config.base_url
        before = json.loads(get(base, "/healthz")[1])["checks"]["cache"]["status"]

        print(f"# stopping the drill's Redis (port {redis_port})", flush=True)
        stack.stop_process("redis")
        statuses, timings = [], []
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            for path, headers in (("/", {}), (story, {}), ("/", UNCACHED), (story, UNCACHED)):
                started = time.monotonic()
                statuses.append(get(base, path, headers)[0])
                timings.append(time.monotonic() - started)
        health_down = json.loads(get(base, "/healthz")[1])

        print("# starting Redis again", flush=True)
        stack.spawn(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", ""],
        )

        def cache_back():
            return json.loads(get(base, "/healthz")[1])["checks"]["cache"]["status"] == "ok"

        recovered_after = wait_until(cache_back, timeout=30)
        alive = not stack.dead_processes()

    served = statuses.count(200)
    ok = (
        before == "ok"
        and served == len(statuses)
        and health_down["checks"]["cache"]["status"] == "down"
        and health_down["status"] == "degraded"
        and recovered_after is not None
        and alive
    )
    details = (
        f"  pages requested with Redis down: {len(statuses)}, served 200: {served}, "
        f"other: {sorted(set(statuses) - {200})}\n"
        f"  page time with Redis down: median {statistics.median(timings) * 1000:.0f} ms, "
        f"slowest {max(timings) * 1000:.0f} ms\n"
        f"  /healthz with Redis down: status={health_down['status']}, "
        f"cache={health_down['checks']['cache']['status']}\n"
    )
    if recovered_after is None:
        details += "  cache not back 30 s after Redis restarted"
    else:
        details += f"  cache used again {recovered_after:.1f} s after Redis restarted"
    details += f"\n  every process of the stack still running at the end: {alive}"
    return verdict("Redis stopped", ok, details)


if __name__ == "__main__":
    sys.exit(main())
