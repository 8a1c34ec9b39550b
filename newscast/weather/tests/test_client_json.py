"""The NWS client reads answers through core's depth-limited JSON parser."""

import asyncio

import pytest

from newscast.core.jsondata import JSON_MAX_DEPTH
from newscast.weather.nws.client import NwsClient, NwsError

from .conftest import GEOJSON


async def get(path: str):
    async with NwsClient(backoff_base=0) as nws:
        return await nws.get(path)


def test_an_answer_nested_past_the_limit_is_refused_in_one_line(nws):
    deep = '{"a":' * (JSON_MAX_DEPTH + 1) + "1" + "}" * (JSON_MAX_DEPTH + 1)
    nws.expect_request("/alerts/active").respond_with_data(deep, content_type=GEOJSON)
    with pytest.raises(NwsError) as refused:
        asyncio.run(get("/alerts/active"))
    message = str(refused.value)
    assert (
        message == f"/alerts/active answered the JSON is nested deeper than {JSON_MAX_DEPTH} levels"
    )
    assert '{"a"' not in message  # the body is not repeated


def test_an_answer_within_the_limit_is_read(nws):
    nested = '{"a":' * (JSON_MAX_DEPTH - 1) + "1" + "}" * (JSON_MAX_DEPTH - 1)
    nws.expect_request("/alerts/active").respond_with_data(nested, content_type=GEOJSON)
    answer = asyncio.run(get("/alerts/active"))
    assert answer.status == 200 and "a" in answer.data
