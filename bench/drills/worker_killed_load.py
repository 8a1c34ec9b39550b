"""Drill: the process loading data is killed mid-load -> no partial load is visible, and the
next run completes it.

Runs `newscast data load` (the data desk's atomic load, the same code the nightly job runs) on
a long sample history, waits until it is writing inside its transaction, kills it with SIGKILL,
checks the served rows did not change, then runs the same load again to the end.

    .venv/bin/python bench/drills/worker_killed_load.py [--days 1500]
"""

import argparse
import os
import signal
import subprocess
import sys
import time

import psycopg
from common import ROOT, drill_stack, get, load_demo_content, verdict, wait_until

WRITE_HISTORY = """
from newscast.datadesk.demo import sample_history
open({path!r}, "w").write(sample_history(days={days}))
"""
DATASET_ROWS = """
SELECT count(*) FROM datadesk_countyday d JOIN datadesk_dataset s ON s.id = d.dataset_id
WHERE s.slug = 'coronavirus'
"""
LOAD_WRITING = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
  AND query ILIKE '%datadesk_countyday%'
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=1500, help="days of sample history to load")
    args = parser.parse_args()
    stack = drill_stack("dataload")
    with stack:
        load_demo_content(stack)
        history = stack.run_dir / "long-history.csv"
        stack.run_newscast(
            "shell", "--no-imports", "-c", WRITE_HISTORY.format(path=str(history), days=args.days)
        )
        dsn = stack.config.database_url
        with psycopg.connect(dsn, autocommit=True) as db:
            rows_before = db.execute(DATASET_ROWS).fetchone()[0]
            command = [sys.executable, "-m", "newscast.cli", "data", "load", "--format", "nyt",
                       str(history), "--dataset", "coronavirus"]  # fmt: skip
            load = subprocess.Popen(
                command, cwd=ROOT, env=stack.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            writing = wait_until(lambda: db.execute(LOAD_WRITING).fetchone()[0] > 0, timeout=300)
            time.sleep(0.5)
            killed_mid_load = writing is not None and load.poll() is None
            os.kill(load.pid, signal.SIGKILL)
            load.wait()
            print(f"# killed the load while it was writing ({writing or 0:.1f} s in)", flush=True)
            time.sleep(1)  # PostgreSQL notices the closed connection and rolls back
            rows_after_kill = db.execute(DATASET_ROWS).fetchone()[0]
            page_status = get(stack.config.base_url, "/data/")[0]

            started = time.monotonic()
            rerun = subprocess.run(command, cwd=ROOT, env=stack.env, capture_output=True,
                                   text=True, timeout=900)  # fmt: skip
            rerun_seconds = time.monotonic() - started
            rows_after_rerun = db.execute(DATASET_ROWS).fetchone()[0]

    ok = (
        killed_mid_load
        and rows_after_kill == rows_before
        and rerun.returncode == 0
        and rows_after_rerun > rows_before
    )
    details = (
        f"  rows served before: {rows_before:,}; right after the kill: {rows_after_kill:,} "
        f"(killed while writing: {killed_mid_load})\n"
        f"  /data/ while the load was dead: HTTP {page_status}\n"
        f"  the next run: exit {rerun.returncode} in {rerun_seconds:.1f} s, "
        f"rows now {rows_after_rerun:,}\n"
        + "\n".join(f"    {line}" for line in rerun.stdout.strip().splitlines()[:4])
    )
    return verdict("Load killed mid-way", ok, details)


if __name__ == "__main__":
    sys.exit(main())
