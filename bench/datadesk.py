"""Data desk benchmark: load a full NYT-shaped county history, then one new night, then render.

    .venv/bin/python bench/datadesk.py [--days 1000] [--sqlite-only | --postgres-only]

Generates a file of the NYT covid-19-data shape (date,county,state,fips,cases,deaths) with
`--days` days of every county in the reference table plus each state's "Unknown" row and
Puerto Rico's municipios (about 3,250 rows a day; Puerto Rico is outside the reference, so
its rows are rejected as unknown places, as they would be from the real file). Then, on
SQLite (a temporary file) and on PostgreSQL (a database it creates and drops:
DATADESK_BENCH_PG, default postgres://postgres@127.0.0.1:5432/newscast_bench_data), it
reports the time and peak memory (max RSS) of:

  full     the whole history into an empty dataset
  nightly  a file of one new day (what the NYT "recent" file adds each night)
  reload   the whole history again (nothing changes: idempotent)
  page     the state page (Mississippi) with that history: SQL queries and time

Each phase runs in its own process so its peak memory is its own. `cpu_s` is the phase
process's CPU time, steadier than wall time on a shared machine (on PostgreSQL the
server's own work is not in it). Goals (issue 12, for the full 1,000-day history of about
3.25 million rows): full load under 30 s on PostgreSQL and 60 s on SQLite, the nightly
file under 2 s, peak memory under 1 GB; each is printed beside its figure, with the load
average, which says how far a wall time on a shared machine can be trusted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/newscast_bench_data"
START = date(2020, 3, 1)
PUERTO_RICO_MUNICIPIOS = 57  # enough to bring a day to ~3,250 rows


def places() -> list[tuple[str, str, str, int]]:
    """(state name, county short name, fips, population) for every row of a day."""
    sys.path.insert(0, str(ROOT))
    from newscast.core.geography.census import REFERENCE_CSV, short_name

    rows, states = [], {}
    with REFERENCE_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                (row["state"], short_name(row["county"]), row["fips"], int(row["population"]))
            )
            states[row["state"]] = 1
    rows += [(state, "Unknown", "", 50_000) for state in states]
    rows += [
        ("Puerto Rico", f"Municipio {n}", f"72{n:03d}", 40_000)
        for n in range(1, PUERTO_RICO_MUNICIPIOS + 1)
    ]
    return rows


def history_write(full: Path, night: Path, days: int, seed: int = 2020) -> int:
    """Write `days` days of cumulative counts in the NYT shape to `full`, and the day after
    to `night`; returns the full file's row count."""
    rng = random.Random(seed)
    everywhere = places()
    rates = [rng.uniform(0.0001, 0.0009) * population for *_, population in everywhere]
    cases = [0.0] * len(everywhere)
    rows = 0
    for path, offsets in ((full, range(days)), (night, range(days, days + 1))):
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write("date,county,state,fips,cases,deaths\n")
            for offset in offsets:
                day = (START + timedelta(days=offset)).isoformat()
                wave = 1.0 + 0.8 * ((offset % 180) / 180)
                lines = []
                for index, (state, county, fips, _population) in enumerate(everywhere):
                    cases[index] += rates[index] * wave * rng.random()
                    total = int(cases[index])
                    lines.append(f"{day},{county},{state},{fips},{total},{total // 60}\n")
                handle.write("".join(lines))
                rows += len(lines) if path == full else 0
    return rows


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """This process's CPU time: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase(name: str, source: str) -> dict:
    """Run one phase in this process (already pointed at its database) and return figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from newscast.datadesk.models import Dataset

    if name == "setup":
        call_command("migrate", verbosity=0)
        Dataset.objects.get_or_create(slug="coronavirus", defaults={"name": "Coronavirus Cases"})
        return {}
    dataset = Dataset.objects.get(slug="coronavirus")
    if name == "page":
        return page_figures(dataset)
    from newscast.datadesk.services import dataset_load

    started, cpu_before = time.monotonic(), cpu_seconds()
    run = dataset_load(dataset, source, "nyt")
    return {
        "seconds": round(time.monotonic() - started, 2),
        "cpu_s": round(cpu_seconds() - cpu_before, 2),
        "peak_mb": round(peak_mb()),
        "read": run.rows_read,
        "added": run.rows_added,
        "changed": run.rows_changed,
        "unchanged": run.rows_unchanged,
        "rejected": run.rows_rejected,
    }


def page_figures(dataset) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    timings, queries = [], 0
    for _ in range(5):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.monotonic()
            response = client.get(f"/data/{dataset.slug}/ms/", HTTP_HOST="localhost")
            timings.append(time.monotonic() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return {
        "queries": queries,
        "first_ms": round(timings[0] * 1000),
        "best_ms": round(min(timings) * 1000),
        "peak_mb": round(peak_mb()),
    }


def run_phase(database_url: str, name: str, source: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings.test")
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--source", source],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"{name} on {database_url} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# Seconds per phase, by database; peak memory for every phase.
GOALS = {
    "full": {"SQLite": 60.0, "PostgreSQL": 30.0},
    "nightly": {"SQLite": 2.0, "PostgreSQL": 2.0},
}
PEAK_GOAL_MB = 1024


def goal_words(label: str, name: str, figures: dict, full_size: bool) -> str:
    """The goals beside a phase's figures; time goals only for the full 1,000-day history."""
    words = []
    goal = GOALS.get(name, {}).get(label)
    if goal is not None and full_size:
        met = "met" if figures["seconds"] < goal else "NOT met"
        words.append(f"goal < {goal:.0f} s: {met}")
    if "peak_mb" in figures:
        met = "met" if figures["peak_mb"] < PEAK_GOAL_MB else "NOT met"
        words.append(f"peak < {PEAK_GOAL_MB} MB: {met}")
    return "  [" + "; ".join(words) + "]"


def bench(label: str, database_url: str, full: Path, night: Path, full_size: bool) -> None:
    print(f"\n{label}")
    run_phase(database_url, "setup", "")
    for name, source in (("full", full), ("nightly", night), ("reload", full), ("page", "")):
        figures = run_phase(database_url, name, str(source))
        print(
            f"  {name:8} "
            + "  ".join(
                f"{key}={value:,}" if isinstance(value, int) else f"{key}={value}"
                for key, value in figures.items()
            )
            + goal_words(label, name, figures, full_size)
        )
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def postgres_database(url: str, action: str) -> None:
    import psycopg

    admin_url, name = url.rsplit("/", 1)
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1000)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--source", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.source)))
        return
    with tempfile.TemporaryDirectory(prefix="datadesk-bench-") as folder:
        folder = Path(folder)
        full, night = folder / "us-counties.csv", folder / "us-counties-night.csv"
        started = time.monotonic()
        rows = history_write(full, night, args.days)
        print(
            f"Generated {rows:,} rows ({args.days} days, {full.stat().st_size / 1e6:.0f} MB) "
            f"in {time.monotonic() - started:.1f} s"
        )
        if not args.postgres_only:
            bench("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", full, night, args.days >= 1000)
        if not args.sqlite_only:
            url = os.environ.get("DATADESK_BENCH_PG", DEFAULT_PG)
            postgres_database(url, "create")
            try:
                bench("PostgreSQL", url, full, night, args.days >= 1000)
            finally:
                postgres_database(url, "drop")


if __name__ == "__main__":
    main()
