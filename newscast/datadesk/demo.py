"""Demo dataset: "Coronavirus Cases" (slug coronavirus) with SAMPLE figures for MS and AL.

The figures are made up by this module (a seeded, plausible epidemic curve per county, scaled
by its population); they are labelled "Sample data" everywhere they are shown. They go
through the real pipeline: an NYT-shaped file, loaded and recorded like any other source.
"""

from __future__ import annotations

import math
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from newscast.core.geography.census import reference_rows, short_name
from newscast.core.geography.reference import geography_ensure
from newscast.datadesk.models import Dataset
from newscast.datadesk.services import dataset_load

SLUG = "coronavirus"
STATES = ("Mississippi", "Alabama")
FIRST_DAY = date(2020, 3, 11)
DAYS = 240
SEED = 9


def sample_history(days: int = DAYS, seed: int = SEED) -> str:
    """An NYT-shaped CSV of made-up cumulative counts for every MS and AL county."""
    rng = random.Random(seed)
    counties = [row for row in reference_rows() if row["state"] in STATES]
    lines = ["date,county,state,fips,cases,deaths"]
    plans = []
    for row in counties:
        population = int(row["population"])
        # Three waves a county meets at its own times and strengths: a spring and a summer
        # peak, and an autumn one still rising on the last day, so the latest week has news.
        peaks = (rng.uniform(40, 80), rng.uniform(120, 170), rng.uniform(DAYS + 5, DAYS + 30))
        heights = (
            rng.uniform(2, 8) * population / 100_000,
            rng.uniform(6, 20) * population / 100_000,
            rng.uniform(10, 25) * population / 100_000,
        )
        plans.append((row, peaks, heights, rng.uniform(0.012, 0.03)))
    totals = [0.0] * len(plans)
    for offset in range(days):
        day = (FIRST_DAY + timedelta(days=offset)).isoformat()
        for index, (row, peaks, heights, fatality) in enumerate(plans):
            daily = sum(
                h * math.exp(-(((offset - p) / 18) ** 2))
                for p, h in zip(peaks, heights, strict=True)
            )
            totals[index] += daily * rng.uniform(0.6, 1.4)
            cases = int(totals[index])
            if cases == 0:
                continue
            lines.append(
                f"{day},{short_name(row['county'])},{row['state']},{row['fips']},"
                f"{cases},{int(cases * fatality)}"
            )
        if offset > 20:
            for state in STATES:
                lines.append(f"{day},Unknown,{state},,{offset // 3},0")
    return "\n".join(lines) + "\n"


def load(stdout) -> None:
    """Create the coronavirus dataset and load its sample history, unless it already exists."""
    geography_ensure()
    if Dataset.objects.filter(slug=SLUG).exists():
        return
    dataset = Dataset.objects.create(
        name="Coronavirus Cases",
        slug=SLUG,
        description="Confirmed COVID-19 cases and deaths by county. The demo station shows "
        "made-up sample figures: point the dataset at the NYT or JHU county file for real ones.",
        is_sample=True,
        nightly=False,
        source_name="Newscast sample data (made-up figures)",
        source_terms="Written for the Newscast demo; not real counts",
    )
    with tempfile.TemporaryDirectory(prefix="newscast-demo-") as folder:
        path = Path(folder) / "sample-us-counties.csv"
        path.write_text(sample_history(), encoding="utf-8")
        run = dataset_load(dataset, str(path), "nyt")
    stdout.write(
        f"Data desk: sample coronavirus dataset, {run.rows_added:,} county days for MS and AL "
        f"({run.first_date} to {run.last_date})."
    )
