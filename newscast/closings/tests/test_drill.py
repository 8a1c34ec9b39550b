"""The demo organizations and `newscast closings drill`: a storm evening on the board."""

import io

import pytest
from django.core.management import call_command

from newscast.cli import translate
from newscast.closings import demo
from newscast.closings.models import ChangeOutcome, Organization, Status, StatusChange
from newscast.closings.selectors import board_for, mark_count, mark_for

pytestmark = pytest.mark.django_db


def test_demo_loads_fictional_sample_organizations_once(station):
    out = io.StringIO()
    demo.load(out)
    assert Organization.objects.count() == len(demo.SAMPLE_ORGANIZATIONS)
    assert not Organization.objects.filter(is_sample=False).exists()
    assert set(Organization.objects.values_list("county__state__postal_code", flat=True)) == {"MS"}
    demo.load(out)  # again: nothing doubles
    assert Organization.objects.count() == len(demo.SAMPLE_ORGANIZATIONS)
    assert "PIN 2468" in out.getvalue()


def test_the_drill_plays_a_storm_evening(client, station, storm_clock):
    assert translate(["closings", "drill"]) == ["closings_drill"]
    out = io.StringIO()
    call_command("closings_drill", stdout=out)
    tomorrow = board_for().days[1]
    names = {entry.name: entry.status_text for entry in tomorrow.entries}
    assert names["Cedar Bend School District"] == "Closed"  # the delay was upgraded
    assert names["Amory Bend Schools"] == "Delayed 1 hour 30 minutes"
    assert "Pinecrest Furniture Works" not in names  # its own report waits for an editor
    assert StatusChange.objects.get(organization__code="LEE-007").outcome == ChangeOutcome.HELD
    assert "<b>" not in Status.objects.get(organization__code="LEE-005").note
    assert mark_count() == tomorrow.counted == 16
    assert board_for().is_sample
    assert mark_for().is_sample
    # Sample data is labelled wherever it is shown: board, header mark, RSS, JSON.
    assert "16 closings and delays (sample)" in client.get("/closings/").content.decode()
    assert "Sample data (fictional organization)" in client.get("/closings/rss/").content.decode()
    assert all(s["sample"] for s in client.get("/api/v1/closings/").json()["days"][1]["statuses"])
    assert "Drill done" in out.getvalue()

    call_command("closings_drill", "--clear", stdout=out)
    assert not Status.objects.exists() and mark_count() == 0
