"""The organizations' own form: number + PIN, plain refusals, a limit, a log, approvals."""

import re

import pytest

from newscast.closings.models import ChangeOutcome, FormAttempt, Status, StatusChange
from newscast.closings.services import FORM_FAILURE_LIMIT, LIMITED, REFUSAL

pytestmark = pytest.mark.django_db
URL = "/closings/report/"


def _post(client, code="LEE-2", pin="1234", kind="closed", **extra):
    data = {"code": code, "pin": pin, "day": "2026-01-14", "kind": kind, "note": "", **extra}
    return client.post(URL, data, REMOTE_ADDR=extra.pop("address", "203.0.113.9"))


def _without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_form_page_shows_its_fields(client, organizations, storm_clock):
    page = client.get(URL).content.decode()
    assert "Organization number" in page and "PIN" in page
    assert "Tomorrow, Wednesday Jan 14" in page


def test_each_help_text_is_read_out_with_its_field(client, organizations, storm_clock):
    """A screen reader reads a field's help with it: aria-describedby names the help's id."""
    page = client.get(URL).content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert sorted(described) == ["id_delay_minutes_helptext", "id_note_helptext"]
    for help_id in described:
        assert f'<small id="{help_id}">' in page


def test_a_right_code_puts_the_status_on_the_board(client, organizations, storm_clock):
    response = _post(client, kind="delayed", delay_minutes="120", note="<i>Ice</i> on Route 6")
    assert "Your status is on the board" in response.content.decode()
    status = Status.objects.get()
    assert (status.kind, status.delay_minutes, status.note) == ("delayed", 120, "Ice on Route 6")
    change = StatusChange.objects.get()
    assert (change.via, change.submitted_from) == ("self_service", "203.0.113.9")
    assert FormAttempt.objects.get().succeeded


def test_an_unknown_number_and_a_wrong_pin_get_the_same_refusal(client, organizations, storm_clock):
    unknown = _post(client, code="XYZ-99").content.decode()
    wrong_pin = _post(client, pin="9999").content.decode()
    assert REFUSAL in unknown and REFUSAL in wrong_pin
    # Nothing on the page tells an existing organization from a made-up one.
    assert _without_token(unknown.replace("XYZ-99", "LEE-2")) == _without_token(wrong_pin)
    assert not Status.objects.exists()
    assert list(FormAttempt.objects.values_list("code_typed", "succeeded")) == [
        ("XYZ-99", False), ("LEE-2", False)
    ]  # fmt: skip


def test_wrong_codes_count_toward_the_limit_and_then_even_a_right_one_waits(
    client, organizations, storm_clock
):
    for attempt in range(FORM_FAILURE_LIMIT):
        _post(client, code=f"GUESS-{attempt}")
    response = _post(client)  # the right number and PIN, too late
    assert response.status_code == 429
    assert LIMITED in response.content.decode()
    assert not Status.objects.exists()
    # Another address is not held back, and the limit lifts after the window.
    assert "on the board" in _post(client, address="198.51.100.4").content.decode()
    storm_clock.shift(16 * 60)
    assert _post(client, kind="remote").status_code == 200
    assert Status.objects.get().kind == "remote"


def test_an_organization_that_needs_approval_waits_for_an_editor(
    client, organizations, storm_clock
):
    response = _post(client, code="UNI-1")
    assert "will check it" in response.content.decode()
    assert not Status.objects.exists()
    assert StatusChange.objects.get().outcome == ChangeOutcome.HELD


def test_a_delay_without_minutes_is_sent_back_with_a_reason(client, organizations, storm_clock):
    response = _post(client, kind="delayed")
    assert "Give the delay in minutes" in response.content.decode()
    assert not Status.objects.exists()


def test_the_form_is_never_kept_by_a_shared_cache(client, organizations, storm_clock):
    assert "private" in client.get(URL)["Cache-Control"]
