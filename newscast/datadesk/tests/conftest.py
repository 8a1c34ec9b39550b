"""Fixtures of the data desk's tests: the reference geography, datasets, recorded files."""

from pathlib import Path

import pytest

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> str:
    """Path of a recorded source file, as the load command takes it."""
    return str(RECORDED / name)


@pytest.fixture
def geography(db):
    from newscast.core.geography.reference import geography_ensure

    geography_ensure()


@pytest.fixture
def dataset(geography):
    from newscast.datadesk.models import Dataset

    return Dataset.objects.create(name="Coronavirus Cases", slug="coronavirus")


@pytest.fixture
def loaded(dataset):
    """The dataset with the recorded NYT file (10-12 April 2020, MS and AL) loaded."""
    from newscast.datadesk.services import dataset_load

    dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    return dataset


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the reference geography in it, so each test need not add it."""
    from newscast.core.geography.reference import geography_ensure

    with django_db_blocker.unblock():
        geography_ensure()
