"""The versions a page reads: every desk's in one query, once per request."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from newscast.core.models.content import content_version_bump, content_version_for
from newscast.core.versions import version_for

pytestmark = pytest.mark.django_db

# Registered by the desks' apps (closings, weather, data desk) when Django starts.
DESK_VERSIONS = ("closings-board", "weather-alerts", "data-load", "data-edit")


def test_every_version_a_page_needs_comes_in_one_query_once_per_request():
    request = RequestFactory().get("/")

    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            content_version_for(request)
            for name in DESK_VERSIONS:
                version_for(request, name)

    assert len(queries) == 1


def test_a_change_shows_on_the_next_request_not_inside_this_one():
    before = RequestFactory().get("/")
    number = content_version_for(before)

    content_version_bump()

    assert content_version_for(before) == number  # one page shows one version throughout
    assert content_version_for(RequestFactory().get("/")) == number + 1
    assert version_for(None, "content") == number + 1
