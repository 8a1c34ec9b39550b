"""Cache-Control and ETags decided by CacheControlMiddleware in the full middleware stack."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("newscast.core.tests.stack_urls")]


def test_a_public_page_is_micro_cached_for_shared_caches_and_revalidated_by_browsers(client):
    response = client.get("/story/")
    cache_control = set(response["Cache-Control"].split(", "))
    assert {"public", "max-age=0", "s-maxage=1", "stale-while-revalidate=3"} <= cache_control
    assert response["ETag"]


def test_a_change_reaches_readers_within_five_seconds(client):
    """What a shared cache may keep, read from the header a reader's page really carries: a
    fresh copy for s-maxage, then a stale one while it revalidates, together under 5 s."""
    directives = dict(
        part.partition("=")[::2] for part in client.get("/story/")["Cache-Control"].split(", ")
    )
    assert int(directives["s-maxage"]) + int(directives["stale-while-revalidate"]) < 5


def test_the_etag_answers_a_revalidation_with_304(client):
    etag = client.get("/story/")["ETag"]
    again = client.get("/story/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/story/", headers={"If-None-Match": '"other"'}).status_code == 200


def test_an_editor_never_gets_a_shareable_page(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x")
    client.force_login(editor)
    response = client.get("/story/")
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response  # no-store: nothing to revalidate


@pytest.mark.parametrize("path", ["/admin/ping/", "/preview/", "/healthz"])
def test_admin_previews_and_operations_are_private(client, path):
    assert client.get(path)["Cache-Control"] == "private, no-store"


def test_a_page_that_sets_a_cookie_is_private(client):
    assert client.get("/contact/")["Cache-Control"] == "private, no-cache"


def test_a_view_that_chose_its_own_policy_keeps_it(client):
    assert client.get("/feed/")["Cache-Control"] == "public, max-age=300"


def test_errors_are_never_stored(client):
    assert client.get("/broken/")["Cache-Control"] == "no-store"


def test_not_found_is_shareable_briefly(client):
    assert "s-maxage=1" in client.get("/no-such-story/")["Cache-Control"]


def test_a_post_is_private(client):
    assert client.post("/story/")["Cache-Control"] == "private, no-cache"


def test_a_news_page_is_kept_at_the_edge_until_purged(client):
    response = client.get("/news/")
    assert response["X-Accel-Expires"] == "600"  # nginx's own header, which it never passes on
    cache_control = set(response["Cache-Control"].split(", "))
    assert {"public", "max-age=0", "s-maxage=600"} <= cache_control
    assert response["ETag"]


def test_a_missing_news_page_is_only_micro_cached(client):
    response = client.get("/news-gone/")
    assert "X-Accel-Expires" not in response
    assert "s-maxage=1" in response["Cache-Control"]


def test_an_editor_never_gets_a_kept_news_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    response = client.get("/news/")
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Accel-Expires" not in response


def test_readers_who_accept_gzip_get_one_compressed_copy(client):
    response = client.get("/news/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
