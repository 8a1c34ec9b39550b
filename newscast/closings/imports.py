"""CSV imports: organizations (editors' lists) and statuses (districts that send a list).

Each row stands alone: a bad row is reported with its line number and reason, and every good
row is kept. A file cut mid-line simply has a short last row, reported like any other.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction

from newscast.closings.models import (
    CODE_PATTERN,
    Organization,
    OrganizationKind,
    StatusKind,
    Via,
)
from newscast.closings.services import StatusRefused, StatusRequest, pin_set, status_set
from newscast.core.geography.reference import places

MAX_IMPORT_BYTES = 2 * 1024 * 1024
ORGANIZATION_COLUMNS = [
    "name",
    "county",
    "state",
    "kind",
    "contact",
    "code",
    "pin",
    "needs_approval",
]
STATUS_COLUMNS = ["code", "date", "status", "delay_minutes", "note"]
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
TRUE_WORDS = {"yes", "y", "true", "1", "x"}


class ImportRefused(ValueError):
    """The file as a whole cannot be read (not CSV, no header, too big)."""


@dataclass
class ImportReport:
    """What an import did: counts, and each bad row with its line and reason."""

    created: int = 0
    updated: int = 0
    applied: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        done = [f"{self.created} created", f"{self.updated} updated"]
        if self.applied:
            done = [f"{self.applied} statuses applied"]
        return f"{', '.join(done)}, {len(self.errors)} rows refused."


def _rows(data: bytes, required: list[str]):
    """(line number, row dict) for each data row; ImportRefused when the header is wrong."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(f"The file is over {MAX_IMPORT_BYTES // 1024 // 1024} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused("The file is not UTF-8 text; save it as CSV UTF-8.") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRefused(
            f"Missing column(s): {', '.join(missing)}. The first line must name the columns: "
            f"{', '.join(required)}."
        )
    reader.fieldnames = header
    for row in reader:
        if not any((value or "").strip() for key, value in row.items() if key):
            continue
        if None in row or any(row.get(name) is None for name in required):
            yield reader.line_num, None
            continue
        yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


def _choice(value: str, choices) -> str | None:
    wanted = value.strip().lower()
    for stored, label in choices:
        if wanted in (stored, label.lower()):
            return stored
    return None


def _county_id(row: dict, covered_states: list[str]) -> int:
    matcher = places()
    state_id = matcher.state_id(row["state"])
    if state_id is None:
        raise StatusRefused(f"Unknown state {row['state']!r}.")
    if covered_states and state_id not in {matcher.state_id(code) for code in covered_states}:
        raise StatusRefused(f"{row['state']} is not a covered state ({', '.join(covered_states)}).")
    county_id = matcher.county_id(state_id, row["county"], "")
    if county_id is None:
        raise StatusRefused(f"No county {row['county']!r} in {row['state']}.")
    return county_id


def organizations_import(data: bytes, covered_states: list[str]) -> ImportReport:
    """Create or update organizations by their code; a new one must come with a PIN."""
    report = ImportReport()
    for line, row in _rows(data, ORGANIZATION_COLUMNS):
        try:
            if row is None:
                raise StatusRefused("The row has the wrong number of fields (cut short?).")
            created = _organization_save(row, covered_states)
        except StatusRefused as exc:
            report.errors.append((line, str(exc)))
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report


def _organization_save(row: dict, covered_states: list[str]) -> bool:
    code = row["code"].upper()
    if not re.match(CODE_PATTERN, code) or len(code) > 20:
        raise StatusRefused(
            "Every organization needs a code of at most 20 letters, digits and hyphens."
        )
    if not row["name"]:
        raise StatusRefused("The name is empty.")
    kind = _choice(row["kind"], OrganizationKind.choices)
    if kind is None:
        raise StatusRefused(f"Unknown kind {row['kind']!r}; use one of {OrganizationKind.values}.")
    organization = Organization.objects.filter(code=code).first()
    created = organization is None
    organization = organization or Organization(code=code)
    organization.name = row["name"][:150]
    organization.county_id = _county_id(row, covered_states)
    organization.kind = kind
    organization.contact = row["contact"][:200]
    organization.needs_approval = row["needs_approval"].lower() in TRUE_WORDS
    if row["pin"]:
        pin_set(organization, row["pin"])
    elif created:
        raise StatusRefused("A new organization needs a PIN (4 to 8 digits).")
    clash = Organization.objects.filter(name=organization.name, county_id=organization.county_id)
    if clash.exclude(code=code).exists():
        raise StatusRefused("Another organization of that name is in that county.")
    with transaction.atomic():
        organization.save()
    return created


def _date(text: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise StatusRefused(f"Unreadable date {text!r}; write it as 2026-01-15.")


def _minutes(text: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise StatusRefused(f"The delay {text!r} is not a whole number of minutes.") from exc


def statuses_import(data: bytes, *, user=None, today: date | None = None) -> ImportReport:
    """Apply each row's status in file order (a later row for the same organization and
    date replaces an earlier one; both stay in the history)."""
    report = ImportReport()
    codes = {org.code: org for org in Organization.objects.all()}
    for line, row in _rows(data, STATUS_COLUMNS):
        try:
            if row is None:
                raise StatusRefused("The row has the wrong number of fields (cut short?).")
            organization = codes.get(row["code"].upper())
            if organization is None:
                raise StatusRefused(f"No organization has the code {row['code']!r}.")
            kind = _choice(row["status"], StatusKind.choices)
            if kind is None:
                raise StatusRefused(f"Unknown status {row['status']!r}; use {StatusKind.values}.")
            request = StatusRequest(
                organization, _date(row["date"]), kind, _minutes(row["delay_minutes"]), row["note"]
            )
            status_set(request, via=Via.CSV, user=user, today=today)
        except StatusRefused as exc:
            report.errors.append((line, str(exc)))
            continue
        report.applied += 1
    return report
