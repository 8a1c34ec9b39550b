"""Statuses: the latest change wins, every change is kept, notes become text, dates expire."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from newscast.closings import selectors, services
from newscast.closings.models import ChangeOutcome, Status, StatusChange, Via

from .conftest import CENTRAL, STORM_EVENING

TODAY = date(2026, 1, 13)
TOMORROW = date(2026, 1, 14)
pytestmark = pytest.mark.django_db


def _set(org, kind, day=TOMORROW, delay=None, note="", **kwargs):
    request = services.StatusRequest(org, day, kind, delay, note)
    return services.status_set(request, via=kwargs.pop("via", Via.ADMIN), **kwargs)


def test_conflicting_changes_resolve_to_the_latest_and_keep_the_history(organizations, storm_clock):
    org = organizations["LEE-2"]
    _set(org, "delayed", delay=120)
    _set(org, "closed", note="Upgraded")
    _set(org, "closed", note="Upgraded")  # the same call twice
    status = Status.objects.get(organization=org, date=TOMORROW)
    assert (status.kind, status.delay_minutes, status.note) == ("closed", None, "Upgraded")
    history = list(StatusChange.objects.filter(organization=org).order_by("pk"))
    assert [c.kind for c in history] == ["delayed", "closed", "closed"]
    assert {c.outcome for c in history} == {ChangeOutcome.APPLIED}


def test_every_change_records_who_when_and_how(organizations, storm_clock, django_user_model):
    editor = django_user_model.objects.create_user("desk", password="x")
    change = _set(organizations["LEE-1"], "remote", user=editor, via=Via.QUICK_ENTRY)
    assert change.changed_by == editor
    assert change.via == Via.QUICK_ENTRY
    assert abs(change.changed_at - STORM_EVENING) < timedelta(minutes=1)


def test_note_markup_becomes_plain_text(organizations, storm_clock):
    note = 'Buses <b>late</b> &amp; <a href="javascript:x">no</a> lunch<script>alert(1)</script>'
    _set(organizations["LEE-1"], "closed", note=note)
    assert Status.objects.get().note == "Buses late & no lunch"


@pytest.mark.parametrize("delay", [None, 0, 600])
def test_a_delay_needs_a_sensible_length(organizations, storm_clock, delay):
    with pytest.raises(services.StatusRefused, match="minutes"):
        _set(organizations["LEE-1"], "delayed", delay=delay)
    assert not Status.objects.exists() and not StatusChange.objects.exists()


def test_past_and_far_dates_are_refused(organizations, storm_clock):
    with pytest.raises(services.StatusRefused, match="has passed"):
        _set(organizations["LEE-1"], "closed", day=TODAY - timedelta(days=1))
    with pytest.raises(services.StatusRefused, match="days ahead"):
        _set(organizations["LEE-1"], "closed", day=TODAY + timedelta(days=8))


def test_today_is_the_station_date_not_utc(organizations, storm_clock):
    # 7:30 PM in Tupelo is already tomorrow in UTC; a status for "today" must still be allowed.
    _set(organizations["LEE-1"], "early_dismissal", day=TODAY)
    assert selectors.board_for().days[0].date == TODAY


def test_statuses_expire_at_the_end_of_their_station_date(organizations):
    with time_machine.travel(STORM_EVENING):
        _set(organizations["LEE-1"], "closed", day=TODAY)
        _set(organizations["LEE-2"], "delayed", day=TOMORROW, delay=60)
        assert selectors.mark_count() == 2
    with time_machine.travel(datetime(2026, 1, 13, 23, 59, tzinfo=CENTRAL)):
        assert selectors.mark_count() == 2
    with time_machine.travel(datetime(2026, 1, 14, 0, 1, tzinfo=CENTRAL)):
        assert selectors.mark_count() == 1  # today's closing has gone by itself
        board = selectors.board_for()
        assert [e.name for day in board.days for e in day.entries] == ["Acorn Valley Schools"]
        assert services.statuses_expire() == 1
        assert StatusChange.objects.count() == 2  # the history stays


def test_removing_takes_it_off_the_board_and_records_it(organizations, storm_clock):
    _set(organizations["LEE-1"], "closed")
    assert services.status_remove(organizations["LEE-1"], TOMORROW, via=Via.ADMIN)
    assert not services.status_remove(organizations["LEE-1"], TOMORROW, via=Via.ADMIN)
    assert not Status.objects.exists()
    assert StatusChange.objects.first().outcome == ChangeOutcome.REMOVED


def test_a_held_report_waits_then_an_approval_applies_it(organizations, storm_clock, admin_user):
    change = _set(organizations["UNI-1"], "closed", hold=True, via=Via.SELF_SERVICE)
    assert not Status.objects.exists()
    assert services.change_approve(change, admin_user)
    assert Status.objects.get().kind == "closed"
    change.refresh_from_db()
    assert (change.outcome, change.reviewed_by) == (ChangeOutcome.APPROVED, admin_user)


def test_an_approval_never_overrides_a_later_change(organizations, storm_clock, admin_user):
    held = _set(organizations["UNI-1"], "closed", hold=True, via=Via.SELF_SERVICE)
    storm_clock.shift(60)
    _set(organizations["UNI-1"], "open", note="Called in: open after all")
    assert not services.change_approve(held, admin_user)
    assert Status.objects.get().kind == "open"
    held.refresh_from_db()
    assert held.outcome == ChangeOutcome.REJECTED


def test_every_visible_change_moves_the_board_version(organizations, storm_clock, admin_user):
    before = selectors.board_version()
    _set(organizations["LEE-1"], "closed")
    assert selectors.board_version() == before + 1
    _set(organizations["UNI-1"], "closed", hold=True)  # held: nothing visible changed
    assert selectors.board_version() == before + 1
    services.status_remove(organizations["LEE-1"], TOMORROW, via=Via.ADMIN)
    assert selectors.board_version() == before + 2


def test_pins_are_stored_hashed_and_checked_in_constant_form(organizations):
    org = organizations["LEE-1"]
    assert "1234" not in org.pin_hash
    assert services.pin_matches(org, "1234")
    assert not services.pin_matches(org, "1235")
    assert not services.pin_matches(None, "1234")
    with pytest.raises(services.StatusRefused):
        services.pin_set(org, "12a4")
