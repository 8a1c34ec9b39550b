"""The Census reference file and name handling, free of Django so scripts can use them.

Source: Census Vintage 2019 county estimates (data/county_population.csv; its README's
caveats are in docs/datadesk.md). JHU and the NYT used this vintage for their 2020
per-capita figures, so our rates agree with theirs.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

REFERENCE_CSV = Path(__file__).resolve().parent.parent / "data" / "county_population.csv"

# Census name suffixes, longest first so "City and Borough" wins over "Borough".
SUFFIXES = (
    " city and borough",
    " census area",
    " municipality",
    " borough",
    " county",
    " parish",
)
# Rows that name no county go to the state's Unassigned bucket. JHU writes "Unassigned"
# and "Out of MS"; the NYT writes "Unknown".
UNASSIGNED_NAMES = re.compile(r"^(unknown|unassigned|out of .*|)$")


def normalise(name: str) -> str:
    """Lower-case ASCII letters and digits only: "Doña Ana" -> "donaana"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    lowered = ascii_name.lower().replace("saint ", "st ").replace("ste. ", "ste ")
    return re.sub(r"[^a-z0-9]", "", lowered)


def short_name(census_name: str) -> str:
    """ "Lee County" -> "Lee"; "Juneau City and Borough" -> "Juneau"; "Richmond city" stays."""
    lowered = census_name.lower()
    for suffix in SUFFIXES:
        if lowered.endswith(suffix):
            return census_name[: -len(suffix)]
    return census_name


def reference_rows() -> list[dict[str, str]]:
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
