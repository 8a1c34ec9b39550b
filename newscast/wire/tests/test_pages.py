"""What readers get: wire stories on the site, cleaned, credited, updated and withdrawn."""

import pytest

from newscast.news.models import StoryPage
from newscast.wire.services.feeds import feed_poll

pytestmark = pytest.mark.django_db


def test_story_page_shows_credit_original_and_no_hostile_html(client, serve, make_feed):
    feed_poll(make_feed(serve("hostile_html.xml")))
    story = StoryPage.objects.get()
    html = client.get(story.url).content.decode()
    assert "Council votes on budget" in html
    assert "MNN" in html and 'href="https://wire.example.net/2020/01/09/council-budget"' in html
    for bad in ("alert(", "onerror", "onclick", "javascript:", "evil.example"):
        assert bad not in html, bad


def test_updated_story_shows_its_note_and_withdrawn_story_is_gone(
    client, httpserver, serve, make_feed
):
    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    feed_poll(feed)
    story = StoryPage.objects.get(title__startswith="River authority")
    url = story.url
    httpserver.clear()
    feed.url = serve("rss2_network_content_encoded_update.xml", path="/v2")
    feed.save()
    feed_poll(feed)
    html = client.get(url).content.decode()
    assert "Updated from MNN: new headline and story text." in html
    assert "six spillway gates" in html

    httpserver.clear()
    feed.url = serve("ninjs3_envelope_embargo.json", path="/ninjs")
    feed.save()
    feed_poll(feed)
    board = StoryPage.objects.get(title="School board names interim superintendent")
    board_url = board.url
    assert client.get(board_url).status_code == 200
    httpserver.clear()
    feed.url = serve("ninjs3_envelope_withdrawn.json", path="/withdrawn")
    feed.save()
    feed_poll(feed)
    assert client.get(board_url).status_code == 404


# Committed for real, as in production: the worker (a Huey db_task) closes its database
# connection after each task, which a test's own wrapping transaction would not survive.
@pytest.mark.django_db(transaction=True)
def test_an_imported_story_is_served_at_once_and_found_once_the_worker_indexes_it(
    client, serve, make_feed, worker_queue
):
    from newscast.news.selectors import story_search

    feed = make_feed(serve("hostile_html.xml"))
    worker_queue()  # what setting up the feed queued
    feed_poll(feed)
    story = StoryPage.objects.get()
    response = client.get(story.url)
    assert response.status_code == 200 and b"Council votes on budget" in response.content
    assert list(story_search("council budget")) == []  # the index waits for the worker
    assert worker_queue() == 1  # the poll's search and reference index updates, as one batch
    assert list(story_search("council budget")) == [story]


@pytest.mark.django_db(transaction=True)
def test_a_poll_queues_one_batch_that_indexes_every_new_story(serve, make_feed, worker_queue):
    from wagtail.models import ReferenceIndex

    from newscast.news.selectors import story_search

    feed = make_feed(serve("rss2_network_content_encoded.xml"))
    worker_queue()  # what setting up the feed queued
    feed_poll(feed)
    stories = set(StoryPage.objects.all())
    assert len(stories) == 2
    assert worker_queue() == 1
    river = StoryPage.objects.get(title__startswith="River authority")
    lawmakers = StoryPage.objects.get(title__startswith="State lawmakers")
    assert list(story_search("spillway gates")) == [river]
    assert list(story_search("lawmakers budget")) == [lawmakers]
    # The reference index knows each story (its section and its byline are references).
    indexed = ReferenceIndex.objects.filter(object_id__in=[str(s.pk) for s in stories])
    assert {int(pk) for pk in indexed.values_list("object_id", flat=True)} == {
        s.pk for s in stories
    }
