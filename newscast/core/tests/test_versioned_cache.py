"""A request's versioned writes reach the shared cache together, once its response is ready."""

import pytest
from django.core.cache import cache
from wagtail.models import Site

from newscast.core.versioned_cache import (
    local_clear,
    versioned_get,
    versioned_set,
    versioned_writes_batched,
)


class CountedSetMany:
    """The cache's own set_many, counted."""

    def __init__(self, monkeypatch):
        self.calls = []
        real = cache.set_many

        def set_many(values, timeout=None):
            self.calls.append(dict(values))
            return real(values, timeout)

        monkeypatch.setattr(cache, "set_many", set_many)


def test_writes_inside_wait_for_the_end_and_are_read_from_memory_meanwhile(monkeypatch):
    counted = CountedSetMany(monkeypatch)
    with versioned_writes_batched():
        versioned_set("test:route:7:a", "route")
        versioned_set("test:fragment:7:b", "<p>story</p>")
        assert cache.get("test:route:7:a") is None
        assert versioned_get("test:route:7:a") == "route"

    assert counted.calls == [{"test:route:7:a": "route", "test:fragment:7:b": "<p>story</p>"}]
    local_clear()
    assert versioned_get("test:fragment:7:b") == "<p>story</p>"


def test_without_the_memory_layer_writes_go_straight_to_the_cache(settings):
    settings.NEWSCAST_LOCAL_CACHE = False
    with versioned_writes_batched():
        versioned_set("test:route:8:a", "route")
        assert cache.get("test:route:8:a") == "route"


def test_a_nested_block_leaves_the_writes_to_the_outermost(monkeypatch):
    counted = CountedSetMany(monkeypatch)
    with versioned_writes_batched():
        with versioned_writes_batched():
            versioned_set("test:route:9:a", "route")
        assert cache.get("test:route:9:a") is None

    assert len(counted.calls) == 1


@pytest.mark.django_db
def test_a_story_seen_first_writes_its_route_and_fragments_in_one_go(monkeypatch, client):
    # The whole site is needed here: tests may reach up the layers (docs/architecture.md).
    from newscast.home.demo_newsroom import home_page_ensure
    from newscast.news.services import story_create
    from newscast.news.tests.conftest import section_add

    home = home_page_ensure(Site.objects.get(is_default_site=True))
    section = section_add(home, "Local", "local")
    story = story_create(section, title="Council votes", summary="S.", body=[])
    other = story_create(section, title="Another story", summary="S.", body=[])
    client.get(other.url)
    counted = CountedSetMany(monkeypatch)

    assert client.get(story.url).status_code == 200

    assert len(counted.calls) == 1
    written = list(counted.calls[0])
    assert any(":route:" in key for key in written)
    assert any(":fragment:story:" in key for key in written)
    local_clear()
    assert all(cache.get(key) is not None for key in written)
