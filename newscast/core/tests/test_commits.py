"""commits_unflushed: PostgreSQL's synchronous_commit off inside the block, as before after."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newscast.core.commits import commits_unflushed

pytestmark = pytest.mark.django_db


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_commits_do_not_wait_inside_and_do_after():
    before = synchronous_commit()
    assert before != "off"
    with pytest.raises(RuntimeError), commits_unflushed():
        assert synchronous_commit() == "off"
        raise RuntimeError("a failing poll")
    assert synchronous_commit() == before


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no such setting")
def test_elsewhere_the_block_sends_nothing():
    with CaptureQueriesContext(connection) as queries, commits_unflushed():
        pass
    assert queries.captured_queries == []
