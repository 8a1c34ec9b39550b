"""The async fetch keeps the same size cap as `fetch`: a declared or an endless body, and a
gzip bomb, stop at max_bytes (against a real local server)."""

import asyncio
import gzip

import pytest
from werkzeug import Response

from newscast.core.http import FetchError, afetch, build_async_client


def _afetch(url: str, **kwargs):
    async def run():
        async with build_async_client(user_agent="NewscastTest/1.0 (test@example.com)") as c:
            return await afetch(c, url, backoff_base=0.01, **kwargs)

    return asyncio.run(run())


def test_a_body_over_the_cap_is_refused(httpserver):
    httpserver.expect_request("/big").respond_with_handler(
        lambda request: Response(b"x" * 5000, headers={"Content-Type": "text/plain"})
    )
    with pytest.raises(FetchError, match="1,000-byte cap"):
        _afetch(httpserver.url_for("/big"), max_bytes=1000)
    assert len(httpserver.log) == 1  # over the cap is not worth another try


def test_a_body_without_a_length_stops_at_the_cap(httpserver):
    def endless(request):
        return Response((b"x" * 1024 for _ in range(64)), headers={"Content-Type": "text/plain"})

    httpserver.expect_request("/stream").respond_with_handler(endless)
    with pytest.raises(FetchError, match="cap"):
        _afetch(httpserver.url_for("/stream"), max_bytes=10_000)


def test_a_small_gzip_bomb_is_stopped_by_its_inflated_size(httpserver):
    bomb = gzip.compress(b"\0" * 2_000_000)  # about 2 KB on the wire
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
    )
    with pytest.raises(FetchError, match="cap"):
        _afetch(httpserver.url_for("/bomb"), max_bytes=100_000)


def test_a_body_at_the_cap_is_returned_whole(httpserver):
    httpserver.expect_request("/fits").respond_with_data(b"y" * 1000)
    got = _afetch(httpserver.url_for("/fits"), max_bytes=1000)
    assert got.content == b"y" * 1000
