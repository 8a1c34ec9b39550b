"""CSV imports: bad rows reported with line and reason, good rows kept (admin and command)."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from newscast.closings import imports
from newscast.closings.models import Organization, Status, StatusChange

from .conftest import RECORDED, recorded

pytestmark = pytest.mark.django_db


def test_organizations_good_rows_kept_bad_rows_reported(station):
    report = imports.organizations_import(recorded("organizations_with_bad_rows.csv"), ["MS", "AL"])
    assert sorted(Organization.objects.values_list("code", flat=True)) == [
        "JEF-1", "LEE-10", "PON-10"
    ]  # fmt: skip
    reasons = dict(report.errors)
    assert "No county 'Atlantis'" in reasons[4]
    assert "TN is not a covered state" in reasons[6]
    assert "needs a PIN" in reasons[7]
    assert "Unknown kind 'shop'" in reasons[8]
    assert "4 to 8 digits" in reasons[9]
    assert "cut short" in reasons[10]
    church = Organization.objects.get(code="PON-10")
    assert (church.county_id, church.kind, church.needs_approval) == (28115, "church", True)


def test_importing_organizations_again_updates_by_code_and_keeps_the_pin(station):
    data = recorded("organizations_with_bad_rows.csv")
    imports.organizations_import(data, ["MS", "AL"])
    pin_hash = Organization.objects.get(code="LEE-10").pin_hash
    changed = data.replace(b"Front office 662-555-0100,LEE-10,4321", b"Call Ms. Day,LEE-10,")
    report = imports.organizations_import(changed, ["MS", "AL"])
    assert (report.created, report.updated) == (0, 3)
    organization = Organization.objects.get(code="LEE-10")
    assert (organization.contact, organization.pin_hash) == ("Call Ms. Day", pin_hash)


def test_statuses_in_file_order_latest_wins_bad_rows_reported(organizations, storm_clock):
    report = imports.statuses_import(recorded("statuses_out_of_order_with_duplicates.csv"))
    assert report.applied == 4
    assert [line for line, _ in report.errors] == [5, 6, 7, 8, 9, 11]
    lee2 = Status.objects.get(organization__code="LEE-2")
    assert (lee2.kind, lee2.note) == ("closed", "Upgraded to a closing")
    assert StatusChange.objects.filter(organization__code="LEE-2").count() == 2
    assert Status.objects.get(organization__code="PON-1").kind == "closed"
    assert Status.objects.get(organization__code="LEE-1").kind == "remote"
    first_note = StatusChange.objects.filter(organization__code="LEE-2").order_by("pk").first().note
    assert first_note == "Buses two hours late"


def test_a_file_without_its_header_is_refused_whole(organizations, storm_clock):
    with pytest.raises(imports.ImportRefused, match="Missing column"):
        imports.statuses_import(recorded("statuses_no_header.csv"))
    assert not StatusChange.objects.exists()


def test_the_command_keeps_good_rows_and_exits_1_on_bad_ones(organizations, storm_clock):
    err = io.StringIO()
    path = RECORDED / "statuses_out_of_order_with_duplicates.csv"
    with pytest.raises(CommandError, match="4 statuses applied, 6 rows refused"):
        call_command("closings_import", "statuses", str(path), stderr=err)
    assert f"{path}:5: No organization has the code 'NOPE-9'." in err.getvalue()
    assert Status.objects.count() == 3


def test_the_command_says_when_the_file_is_missing(station):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("closings_import", "statuses", str(Path("/nonexistent/list.csv")))


def test_an_organization_number_with_a_space_is_refused(station):
    data = (
        b"name,county,state,kind,contact,code,pin,needs_approval\n"
        b"Spaced Church,Lee,MS,church,,LEE 9,1234,no\n"
    )
    report = imports.organizations_import(data, ["MS"])
    assert report.errors == [
        (2, "Every organization needs a code of at most 20 letters, digits and hyphens.")
    ]
