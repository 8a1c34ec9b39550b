"""The admin: feeds with their status, and the wire queue with publish, hold and kill."""

import pytest

from newscast.news.models import StoryPage
from newscast.wire.models import WireFeed, WireItem
from newscast.wire.services.feeds import feed_poll

pytestmark = pytest.mark.django_db


def test_add_a_feed_in_the_admin(admin_client, section):
    response = admin_client.post(
        "/admin/wire/feeds/new/",
        {
            "name": "CNN Top Stories",
            "url": "https://rss.example.com/cnn/top.rss",
            "format": "auto",
            "credit_line": "CNN",
            "section": section.pk,
            "default_tags": "national",
            "policy": "publish",
            "poll_interval": 5,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    feed = WireFeed.objects.get(name="CNN Top Stories")
    assert feed.section_id == section.pk and feed.tag_list() == ["national"]


def test_feed_list_and_edit_page_show_the_status(admin_client, httpserver, make_feed):
    httpserver.expect_request("/down").respond_with_data("", status=404)
    feed = make_feed(httpserver.url_for("/down"))
    feed_poll(feed)
    listing = admin_client.get("/admin/wire/feeds/").content.decode()
    assert "Magnolia Network News" in listing and "Failing:" in listing and "HTTP 404" in listing
    edit = admin_client.get(f"/admin/wire/feeds/edit/{feed.pk}/").content.decode()
    assert "Feed status" in edit and "HTTP 404" in edit and "Poll now" in edit


def test_poll_now_runs_the_poll(admin_client, serve, make_feed):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    response = admin_client.post(f"/admin/wire/feeds/{feed.pk}/poll/")
    assert response.status_code == 302
    assert WireItem.objects.filter(feed=feed).count() == 2  # Huey runs inline in tests


def test_queue_lists_waiting_items_and_publishes_holds_and_kills(admin_client, serve, make_feed):
    feed = make_feed(serve("rss2_network_content_encoded.xml"), policy=WireFeed.Policy.HOLD)
    feed_poll(feed)
    page = admin_client.get("/admin/wire/queue/").content.decode()
    assert "River authority opens spillway gates" in page and "Waiting for an editor" in page
    spillway, session = WireItem.objects.order_by("headline")

    admin_client.post(f"/admin/wire/queue/{spillway.pk}/publish/", {"next": "/admin/wire/queue/"})
    assert StoryPage.objects.live().get().title == spillway.headline

    admin_client.post(f"/admin/wire/queue/{session.pk}/hold/")
    session.refresh_from_db()
    assert session.status == WireItem.Status.HELD

    admin_client.post(f"/admin/wire/queue/{spillway.pk}/kill/", {"reason": "wrong county"})
    spillway.refresh_from_db()
    assert spillway.status == WireItem.Status.KILLED and "wrong county" in spillway.note
    assert not StoryPage.objects.live().exists()

    everything = admin_client.get(f"/admin/wire/queue/?feed={feed.pk}&status=all")
    assert "Killed" in everything.content.decode()
    assert admin_client.get("/admin/wire/queue/?status=killed").status_code == 200


def test_queue_actions_need_post_and_permission(client, admin_client, make_feed):
    assert admin_client.get("/admin/wire/queue/1/publish/").status_code == 405
    assert admin_client.post("/admin/wire/queue/999/explode/").status_code == 404
    assert client.get("/admin/wire/queue/").status_code == 302  # to the login page


def test_poll_now_with_redis_down_says_so_instead_of_failing(
    admin_client, make_feed, monkeypatch, closed_port
):
    """The queue is a real Redis client for a loopback port nobody listens on."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    port = closed_port
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", RedisStorage(HUEY.name, url=f"redis://127.0.0.1:{port}/9"))
    feed = make_feed("https://rss.example.com/mnn.rss")
    response = admin_client.post(f"/admin/wire/feeds/{feed.pk}/poll/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was queued: the job queue (Redis) cannot be reached" in page
    assert "newscast wire poll --feed" in page
    feed.refresh_from_db()
    assert feed.last_polled_at is None  # nothing ran
