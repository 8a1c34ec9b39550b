"""The Storm desk screen: quick entry, approvals, imports; organizations with a PIN."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from newscast.closings.models import ChangeOutcome, Organization, Status, StatusChange, Via
from newscast.closings.services import StatusRequest, pin_matches, status_set

from .conftest import LEE, recorded

pytestmark = pytest.mark.django_db
DESK = "/admin/closings/"
TODAY, TOMORROW = date(2026, 1, 13), date(2026, 1, 14)


def _entry(lines):
    data = {"entry-TOTAL_FORMS": str(len(lines)), "entry-INITIAL_FORMS": "0"}
    for n, line in enumerate(lines):
        for field, value in line.items():
            data[f"entry-{n}-{field}"] = value
        data.setdefault(f"entry-{n}-day", "2026-01-14")
        data.setdefault(f"entry-{n}-kind", "closed")
    return data


def test_the_desk_lists_organizations_for_the_keyboard(admin_client, organizations, storm_clock):
    page = admin_client.get(DESK).content.decode()
    assert '<option value="LEE-2 Acorn Valley Schools (Lee)">' in page
    assert "Quick entry" in page and "Waiting for approval (0)" in page


def test_quick_entry_applies_several_lines_and_skips_blank_ones(
    admin_client, admin_user, organizations, storm_clock
):
    lines = [
        {
            "organization": "LEE-2 Acorn Valley Schools (Lee)",
            "kind": "delayed",
            "delay_minutes": "90",
        },
        {"organization": "pon-1"},
        {"organization": ""},
        {"organization": "LEE-1", "kind": "remote", "note": "Online <em>today</em>"},
    ]
    response = admin_client.post("/admin/closings/quick-entry/", _entry(lines), follow=True)
    assert "3 statuses applied, 0 removed" in response.content.decode()
    assert dict(Status.objects.values_list("organization__code", "kind")) == {
        "LEE-2": "delayed", "PON-1": "closed", "LEE-1": "remote"
    }  # fmt: skip
    change = StatusChange.objects.get(organization__code="LEE-1")
    assert (change.changed_by, change.via, change.note) == (
        admin_user,
        Via.QUICK_ENTRY,
        "Online today",
    )


def test_quick_entry_with_an_unknown_number_applies_nothing(
    admin_client, organizations, storm_clock
):
    lines = [{"organization": "LEE-2"}, {"organization": "ZZZ-1"}]
    response = admin_client.post("/admin/closings/quick-entry/", _entry(lines))
    assert response.status_code == 200
    assert "No organization has the number ZZZ-1" in response.content.decode()
    assert not Status.objects.exists()


def test_quick_entry_can_take_a_status_off_the_board(admin_client, organizations, storm_clock):
    admin_client.post("/admin/closings/quick-entry/", _entry([{"organization": "LEE-2"}]))
    lines = [{"organization": "LEE-2", "kind": "clear"}]
    response = admin_client.post("/admin/closings/quick-entry/", _entry(lines), follow=True)
    assert "0 statuses applied, 1 removed" in response.content.decode()
    assert not Status.objects.exists()


def test_editors_approve_or_reject_held_reports(admin_client, organizations, storm_clock):
    org = organizations["UNI-1"]
    first = status_set(StatusRequest(org, TOMORROW, "closed"), via=Via.SELF_SERVICE, hold=True)
    second = status_set(StatusRequest(org, TODAY, "closed"), via=Via.SELF_SERVICE, hold=True)
    assert "Waiting for approval (2)" in admin_client.get(DESK).content.decode()
    admin_client.post(f"/admin/closings/review/{first.pk}/", {"decision": "approve"})
    admin_client.post(f"/admin/closings/review/{second.pk}/", {"decision": "reject"})
    assert list(Status.objects.values_list("date", flat=True)) == [TOMORROW]
    second.refresh_from_db()
    assert second.outcome == ChangeOutcome.REJECTED


def test_csv_import_from_the_admin_reports_each_bad_line(admin_client, organizations, storm_clock):
    upload = SimpleUploadedFile("list.csv", recorded("statuses_out_of_order_with_duplicates.csv"))
    response = admin_client.post(
        "/admin/closings/import/", {"what": "statuses", "file": upload}, follow=True
    )
    page = response.content.decode()
    assert "4 statuses applied, 6 rows refused" in page
    assert "Line 5: No organization has the code" in page
    assert Status.objects.count() == 3


def test_an_organization_is_added_in_the_admin_with_a_hashed_pin(admin_client, station):
    data = {"name": "Maple Road School", "county": LEE, "kind": "private_school",
            "contact": "", "code": "lee-77", "new_pin": "24680"}  # fmt: skip
    response = admin_client.post("/admin/closings/organizations/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    organization = Organization.objects.get(code="LEE-77")
    assert pin_matches(organization, "24680")
    no_pin = {**data, "code": "LEE-78", "name": "Other", "new_pin": ""}
    assert (
        "needs a PIN"
        in admin_client.post("/admin/closings/organizations/new/", no_pin).content.decode()
    )


def test_the_history_is_read_only(admin_client, organizations, storm_clock):
    change = status_set(StatusRequest(organizations["LEE-1"], TOMORROW, "closed"), via=Via.ADMIN)
    assert admin_client.get("/admin/closings/history/").status_code == 200
    assert admin_client.get(f"/admin/closings/history/inspect/{change.pk}/").status_code == 200
    assert admin_client.get(f"/admin/closings/history/edit/{change.pk}/").status_code in (302, 403)
