"""Admin requests to the jobs worker with the queue (Redis) down: a message, not a 500."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from huey import RedisHuey

from newscast.core.queue import job_enqueue


@pytest.fixture
def request_with_messages():
    request = RequestFactory().post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_queue_down_explains_instead_of_failing(request_with_messages, closed_port):
    huey = RedisHuey("newscast-test", url=f"redis://127.0.0.1:{closed_port}/3")

    @huey.task()
    def wire_poll_feed(feed_id):
        return feed_id

    queued = job_enqueue(
        request_with_messages, wire_poll_feed, 7, instead="run `newscast wire poll` on the server"
    )
    assert queued is False
    [message] = [str(m) for m in get_messages(request_with_messages)]
    assert "the job queue (Redis) cannot be reached (ConnectionError)" in message
    assert "run `newscast wire poll` on the server" in message


def test_queue_up_queues(request_with_messages):
    calls = []
    assert job_enqueue(request_with_messages, calls.append, 7, instead="") is True
    assert calls == [7] and not list(get_messages(request_with_messages))
