"""Drill: PostgreSQL restarts under the site -> it recovers with no restart of its own.

Starts a private PostgreSQL cluster (initdb into a temporary folder, a free port, run as the
postgres user; never the machine's shared server), runs the stack on it, restarts the
cluster with `pg_ctl restart -m fast` while reading pages, and reports what readers saw
(through nginx) and what Django answered (cache skipped), and how long until every request
succeeded again. gunicorn and the worker are the same processes before and after.

    .venv/bin/python bench/drills/postgres_restart.py
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import UNCACHED, drill_stack, free_port, get, load_demo_content, verdict

PG_BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class PrivateCluster:
    """A throwaway PostgreSQL cluster on a free loopback port."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newscast-drill-pg-"))
        self.data = self.folder / "data"
        if AS_POSTGRES:
            shutil.chown(self.folder, "postgres", "postgres")

    def pg_ctl(self, *args):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log")]
        subprocess.run([*AS_POSTGRES, *command, "-o", options, "-w", *args], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)  # fmt: skip

    def __enter__(self):
        subprocess.run(
            [*AS_POSTGRES, str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
             "--auth=trust", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL, timeout=120,
        )  # fmt: skip
        self.pg_ctl("start")
        return self

    def __exit__(self, *exc):
        try:
            self.pg_ctl("stop", "-m", "fast")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def main() -> int:
    with PrivateCluster() as cluster:
        url = f"postgres://postgres@127.0.0.1:{cluster.port}/newscast_drill"
        stack = drill_stack("postgres", database_url=url)
        with stack:
            story = load_demo_content(stack)
            base = stack.config.base_url
            pids_before = {name: p.pid for name, p in stack.processes.items()}
            seen = []  # (seconds since restart began, through nginx, uncached)
            stop = threading.Event()

            def read_pages():
                while not stop.is_set():
                    when = time.monotonic() - began
                    seen.append((when, get(base, story)[0], get(base, story, UNCACHED)[0]))
                    time.sleep(0.05)

            began = time.monotonic()
            reader = threading.Thread(target=read_pages)
            reader.start()
            time.sleep(1)
            print("# restarting the private PostgreSQL cluster", flush=True)
            restart_started = time.monotonic() - began
            cluster.pg_ctl("restart", "-m", "fast")
            restart_done = time.monotonic() - began
            time.sleep(5)
            stop.set()
            reader.join()
            pids_after = {name: p.pid for name, p in stack.processes.items()}
            alive = not stack.dead_processes()

    after = [s for s in seen if s[0] > restart_done]
    failed_uncached = [s for s in seen if s[2] != 200]
    last_failure = max((s[0] for s in failed_uncached), default=restart_started)
    recovered = all(s[2] == 200 and s[1] == 200 for s in after if s[0] > last_failure)
    readers_errors = sum(1 for s in seen if s[1] != 200)
    ok = recovered and alive and pids_before == pids_after and len(after) > 10
    details = (
        f"  restart took {restart_done - restart_started:.1f} s "
        f"(from {restart_started:.1f} s to {restart_done:.1f} s)\n"
        f"  reads: {len(seen)} pairs; through nginx, non-200: {readers_errors}; "
        f"Django uncached, non-200: {len(failed_uncached)}\n"
        f"  last failed uncached read at {last_failure:.1f} s, "
        f"{max(0.0, last_failure - restart_done):.1f} s after the restart finished\n"
        f"  every read after that succeeded: {recovered}; "
        f"same gunicorn and worker processes: {pids_before == pids_after}; all alive: {alive}"
    )
    return verdict("PostgreSQL restarted", ok, details)


if __name__ == "__main__":
    sys.exit(main())
