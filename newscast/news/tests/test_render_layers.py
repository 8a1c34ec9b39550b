"""Pages read through three layers: this process's memory, the shared cache (Redis in
production, Django's local memory cache here) and the database. A publish must show at once
through all of them, whichever process made it."""

import threading

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from newscast.core.fragments import fragment_render
from newscast.core.models import StationSettings
from newscast.core.models.content import ContentVersion, content_version, content_version_for
from newscast.core.selectors import site_for_request

pytestmark = pytest.mark.django_db


def title_written(story, title: str, *, version_moved: bool) -> None:
    """Change a story's title straight in the database, with or without moving the content
    version: with it, this is what a publish by another web process (or the jobs worker)
    leaves behind as this process sees it. Plain SQL: no signal, no Python object and no
    cache of this process is touched."""
    page_table = connection.ops.quote_name("wagtailcore_page")
    version_table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {page_table} SET title = %s WHERE id = %s", [title, story.pk])
        if version_moved:
            cursor.execute(f"UPDATE {version_table} SET number = number + 1 WHERE id = 1")


def test_another_process_publish_shows_at_once_through_the_memory_layer(make_story):
    from django.core.cache import cache

    story = make_story("Council delays the splash pad vote")
    make_story("Another story")
    client = Client()
    pages = ("/", "/local/", story.url)
    for url in pages:
        client.get(url)
    # Proof that the pages now come from this process's memory: with the shared cache
    # emptied and the title changed behind the version's back, they still show the old one.
    cache.clear()
    title_written(story, "Council tables the splash pad vote", version_moved=False)
    for url in pages:
        assert "Council delays the splash pad vote" in client.get(url).content.decode(), url

    title_written(story, "Council approves the splash pad", version_moved=True)

    for url in pages:
        html = client.get(url).content.decode()
        assert "Council approves the splash pad" in html, url
        assert "Council delays" not in html, url


def test_each_request_gets_its_own_site_and_station_settings(station):
    first = RequestFactory().get("/", HTTP_HOST="localhost")
    second = RequestFactory().get("/", HTTP_HOST="localhost")

    site = site_for_request(first)
    settings_first = StationSettings.for_request(first)
    settings_second = StationSettings.for_request(second)

    assert site is not site_for_request(second)
    assert site.root_page is not second._wagtail_site.root_page
    assert settings_first is not settings_second  # each carries its own request
    assert settings_first._request is first and settings_second._request is second
    assert settings_first.covered_state_codes() == settings_second.covered_state_codes()


def test_site_and_settings_come_from_memory_once_read(station):
    site_for_request(RequestFactory().get("/", HTTP_HOST="localhost"))
    StationSettings.for_request(RequestFactory().get("/", HTTP_HOST="localhost"))
    request = RequestFactory().get("/", HTTP_HOST="localhost")

    with CaptureQueriesContext(connection) as queries:
        site_for_request(request)
        station_read = StationSettings.for_request(request)
        codes = station_read.covered_state_codes()

    assert len(queries) == 1  # the content version, and nothing else
    assert ContentVersion._meta.db_table in queries[0]["sql"]
    assert codes == ["MS", "AL"]


def test_a_fragment_rendered_inside_another_does_not_hang(station):
    """Nothing is locked while a fragment renders: a nested fragment, or another thread of a
    threaded server (the tests' live server) reading meanwhile, goes straight on."""
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    other = RequestFactory().get("/", HTTP_HOST="localhost")
    other._content_version = content_version_for(request)  # no database in the thread
    others_done = []

    def read_meanwhile():
        others_done.append(fragment_render(other, "other", (), lambda: "other"))

    def outer():
        reader = threading.Thread(target=read_meanwhile)
        reader.start()
        reader.join(timeout=10)
        inner = fragment_render(request, "inner", (), lambda: "inner")
        return f"outer[{inner}]"

    assert fragment_render(request, "outer", (), outer) == "outer[inner]"
    assert others_done == ["other"]


def test_memory_keeps_a_value_only_for_its_version(station):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    fragment_render(request, "piece", (), lambda: "first")
    version = content_version()

    ContentVersion.objects.filter(pk=1).update(number=version + 1)
    later = RequestFactory().get("/", HTTP_HOST="localhost")

    assert fragment_render(later, "piece", (), lambda: "second") == "second"
    assert fragment_render(request, "piece", (), lambda: "never") == "first"  # its version
