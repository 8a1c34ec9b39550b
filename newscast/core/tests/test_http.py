"""The shared HTTP layer against a real local server (pytest-httpserver)."""

import pytest
from werkzeug import Response

from newscast.core.http import FetchError, build_client, fetch


@pytest.fixture
def client():
    with build_client(user_agent="NewscastTest/1.0 (test@example.com)") as c:
        yield c


def test_sends_user_agent_and_returns_body(httpserver, client):
    httpserver.expect_request(
        "/feed", headers={"User-Agent": "NewscastTest/1.0 (test@example.com)"}
    ).respond_with_data("hello", headers={"ETag": '"v1"'})
    got = fetch(client, httpserver.url_for("/feed"))
    assert got.status == 200 and got.content == b"hello" and got.headers["ETag"] == '"v1"'


def test_retries_5xx_then_succeeds(httpserver, client):
    httpserver.expect_ordered_request("/flaky").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("up")
    got = fetch(client, httpserver.url_for("/flaky"), backoff_base=0.01)
    assert got.content == b"up" and got.attempts == 2


def test_4xx_is_not_retried(httpserver, client):
    httpserver.expect_oneshot_request("/missing").respond_with_data("nope", status=404)
    with pytest.raises(FetchError) as info:
        fetch(client, httpserver.url_for("/missing"), backoff_base=0.01)
    assert info.value.status == 404 and not info.value.retryable
    assert "404" in str(info.value)


def test_gives_up_after_attempts(httpserver, client):
    httpserver.expect_request("/down").respond_with_data("", status=500)
    with pytest.raises(FetchError) as info:
        fetch(client, httpserver.url_for("/down"), attempts=2, backoff_base=0.01)
    assert info.value.retryable and len(httpserver.log) == 2


def test_size_cap(httpserver, client):
    httpserver.expect_request("/big").respond_with_handler(
        lambda request: Response(b"x" * 5000, headers={"Content-Type": "text/plain"})
    )
    with pytest.raises(FetchError, match="cap"):
        fetch(client, httpserver.url_for("/big"), max_bytes=1000)


def test_304_is_returned_not_raised(httpserver, client):
    httpserver.expect_request("/cached").respond_with_data("", status=304)
    got = fetch(client, httpserver.url_for("/cached"), headers={"If-None-Match": '"v1"'})
    assert got.not_modified


def test_timeout_is_a_plain_words_error(httpserver):
    import threading

    release = threading.Event()

    def slow(request):
        release.wait(timeout=5)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with build_client(timeout=0.1) as c, pytest.raises(FetchError, match="did not answer in time"):
        fetch(c, httpserver.url_for("/slow"), attempts=1)
    # Let the server finish its answer while this test still owns the log output.
    release.set()
    with build_client() as c:
        httpserver.expect_request("/after").respond_with_data("ok")
        assert fetch(c, httpserver.url_for("/after")).content == b"ok"
