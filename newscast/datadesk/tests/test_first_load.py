"""A first history on PostgreSQL is written while it is read (pipeline/first_load.py): it must
store exactly what the compared path stores, and leave nothing behind when it fails."""

import pytest
from django.db import connection

from newscast.datadesk import services
from newscast.datadesk.models import CountyDay, Dataset, LoadRun
from newscast.datadesk.pipeline import first_load
from newscast.datadesk.services import LoadRefused, dataset_load
from newscast.datadesk.tests.conftest import recorded
from newscast.datadesk.tests.test_load import stored
from newscast.datadesk.tests.test_load_strict import postgres_index_names

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

# Falling counts (Lee's cases, Lee's deaths, the Unknown bucket), a duplicate, a blank deaths
# figure and a row that comes after later days: everything the sort and compare settle.
TRICKY = """date,county,state,fips,cases,deaths
2020-04-01,Hinds,Mississippi,28049,100,2
2020-04-01,Lee,Mississippi,28081,10,1
2020-04-01,Unknown,Mississippi,,5,0
2020-04-02,Hinds,Mississippi,28049,110,2
2020-04-02,Lee,Mississippi,28081,9,1
2020-04-02,Unknown,Mississippi,,4,0
2020-04-02,Hinds,Mississippi,28049,111,3
2020-04-03,Hinds,Mississippi,28049,120,
2020-04-03,Lee,Mississippi,28081,12,0
2020-03-31,Hinds,Mississippi,28049,90,1
2020-03-31,Jefferson,Alabama,01073,7,0
"""

# What differs between two loads of one file whatever they store: which load, when, where.
PER_RUN = {"id", "dataset", "queued_at", "started_at", "finished_at", "duration", "pid"}


def record(run: LoadRun) -> dict:
    """The load record's figures, rejections, warnings and corrections."""
    names = [field.name for field in LoadRun._meta.fields if field.name not in PER_RUN]
    return {name: getattr(run, name) for name in names}


def streamed_loads(monkeypatch) -> list:
    calls, real = [], first_load.FirstLoad.complete

    def complete(self, batch):
        calls.append(len(batch))
        return real(self, batch)

    monkeypatch.setattr(first_load.FirstLoad, "complete", complete)
    return calls


def test_a_streamed_first_load_stores_what_the_compared_load_stores(dataset, tmp_path, monkeypatch):
    source = tmp_path / "us-counties.csv"
    source.write_text(TRICKY)
    streamed = streamed_loads(monkeypatch)
    dataset.max_rejected_share = 0.5
    dataset.save()
    first = dataset_load(dataset, str(source), "nyt")
    other = Dataset.objects.create(name="Again", slug="again", max_rejected_share=0.5)
    compared = dataset_load(other, str(source), "nyt")  # the table has rows: not streamed
    assert len(streamed) == 1
    assert stored(dataset) == stored(other)
    assert record(first) == record(compared)
    assert first.rows_revised_down == 3 and first.rejection_counts == {"duplicate row": 1}
    flagged = CountyDay.objects.filter(dataset=dataset, revised_down=True)
    assert sorted(flagged.values_list("county_id", "date__day")) == [
        (28081, 2),
        (28081, 3),
        (90028, 2),
    ]


def test_the_ids_go_on_after_a_first_load(dataset):
    dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    last = CountyDay.objects.order_by("-id").first()
    row = CountyDay.objects.filter(pk=last.pk).values().get()
    row.pop("id")
    row["dataset_id"] = Dataset.objects.create(name="Other", slug="other").pk
    assert CountyDay.objects.create(**row).pk > last.pk


def test_a_first_load_interrupted_mid_copy_leaves_nothing(dataset, monkeypatch):
    before = postgres_index_names()
    monkeypatch.setattr(first_load, "COPY_BLOCK_ROWS", 2)  # rows reach the server early
    real_parse = services.source_parse

    def parse_then_stop(*args, **kwargs):
        for number, row in enumerate(real_parse(*args, **kwargs)):
            if number == 10:
                raise KeyboardInterrupt
            yield row

    monkeypatch.setattr(services, "source_parse", parse_then_stop)
    with pytest.raises(KeyboardInterrupt):
        dataset_load(dataset, recorded("nyt_us_counties.csv"), "nyt")
    assert LoadRun.objects.get(dataset=dataset).outcome == LoadRun.Outcome.INTERRUPTED
    assert not CountyDay.objects.exists()
    assert postgres_index_names() == before


def test_a_refused_first_load_leaves_the_table_as_it_was(dataset):
    before = postgres_index_names()
    with pytest.raises(LoadRefused, match="Nothing was changed"):
        dataset_load(dataset, recorded("nyt_bad_rows.csv"), "nyt")
    assert not CountyDay.objects.exists()
    assert postgres_index_names() == before
