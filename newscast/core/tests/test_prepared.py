"""A query worked out once: the same object the ORM gives, from its own SQL."""

from datetime import UTC, datetime

import pytest
from django.db import models

from newscast.core.models import JobRun, StationSettings
from newscast.core.prepared import PreparedQuery

pytestmark = pytest.mark.django_db

SLOT = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


def runs_of(job, after):
    return (
        JobRun.objects.filter(job=job, pk__gt=after)
        .annotate(later_runs=models.Count("pk", filter=models.Q(pk__gt=0)))
        .order_by("pk")
    )


RUN_OF = PreparedQuery(runs_of, job="\x00job", after=1_234_567_890)


def field_values(run) -> dict:
    return {field.attname: getattr(run, field.attname) for field in JobRun._meta.concrete_fields}


def test_the_run_found_is_the_one_the_orm_gives():
    JobRun.objects.create(job="wire_poll", slot=SLOT, started_at=SLOT, summary="12 stories.")
    JobRun.objects.create(job="weather_refresh", slot=SLOT, started_at=SLOT)

    found = RUN_OF.first(job="wire_poll", after=0)
    again = RUN_OF.first(job="weather_refresh", after=0)  # the layout kept, new values

    assert field_values(found) == field_values(runs_of("wire_poll", 0).first())
    assert found.slot == SLOT and found.slot.tzinfo is not None  # converted as the ORM does
    assert found.summary == "12 stories."
    assert found.later_runs == 1 and not found._state.adding
    assert again.job == "weather_refresh"


def test_nothing_found_is_none():
    JobRun.objects.create(job="wire_poll", slot=SLOT, started_at=SLOT)

    assert RUN_OF.first(job="wire_poll", after=10**9) is None


def test_a_stand_in_missing_from_the_parameters_is_refused():
    """A stand-in the SQL does not carry as it is (a constant folded away, a value the
    database adapter converts) would leave its place holding the stand-in."""
    prepared = PreparedQuery(
        lambda job, limit: JobRun.objects.filter(job=job)[:limit], job="\x00job", limit=10**9
    )

    with pytest.raises(ValueError, match=r"stand-ins not among.*limit"):
        prepared.first(job="wire_poll", limit=5)


def test_a_query_following_relations_is_refused(station):
    prepared = PreparedQuery(
        lambda pk: StationSettings.objects.filter(pk=pk).select_related("site"), pk=-1
    )

    with pytest.raises(ValueError, match="select_related"):
        prepared.first(pk=station.pk)
