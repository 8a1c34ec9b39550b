"""HTTP for the NWS: through newscast.core.http (timeouts, retries with full-jitter backoff on
429/5xx/timeouts, Retry-After), with the User-Agent and Accept header NWS asks for and a bound
on requests in flight. Returns decoded JSON and headers; it does not parse.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
from django.conf import settings

from newscast.core.http import FetchError, afetch, build_async_client
from newscast.core.jsondata import JSONTooDeep, json_parse
from newscast.weather.nws.urls import absolute

# NWS answers GeoJSON; asking without Accept has been served days-old CDN copies (api#112).
ACCEPT = "application/geo+json"
# Slow NWS answers of 10 s+ are on record (api#162); a bounded wait keeps a refresh moving.
TIMEOUT = httpx.Timeout(20.0, connect=5.0, pool=None)
MAX_BYTES = 15 * 1024 * 1024
BIG_BODY = 32 * 1024


class NwsError(Exception):
    """An NWS request failed; the message names the endpoint and says why in plain words."""

    def __init__(self, message: str, *, path: str, status: int | None = None):
        super().__init__(message)
        self.path = path
        self.status = status


@dataclass
class NwsAnswer:
    path: str
    status: int
    data: dict | None  # None on 304 Not Modified
    headers: httpx.Headers


def user_agent() -> str:
    return settings.NWS_USER_AGENT or settings.NEWSCAST_USER_AGENT


class NwsClient:
    """`async with NwsClient() as nws: await nws.get(path)`; requests share one pool."""

    def __init__(self, max_in_flight: int | None = None, backoff_base: float = 0.5):
        self.max_in_flight = max_in_flight or settings.NWS_MAX_CONNECTIONS
        self.backoff_base = backoff_base
        self._client: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(self.max_in_flight)

    async def __aenter__(self) -> NwsClient:
        self._client = build_async_client(
            user_agent=user_agent(),
            accept=ACCEPT,
            timeout=TIMEOUT,
            max_connections=self.max_in_flight,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self._client.aclose()

    async def get(self, path: str, *, if_modified_since: str | None = None) -> NwsAnswer:
        """GET one API path; raises NwsError for HTTP failures and answers that are not JSON."""
        headers = {"If-Modified-Since": if_modified_since} if if_modified_since else None
        async with self._slots:
            try:
                fetched = await afetch(
                    self._client,
                    absolute(path),
                    headers=headers,
                    max_bytes=MAX_BYTES,
                    backoff_base=self.backoff_base,
                )
            except FetchError as exc:
                raise NwsError(_explain(exc), path=path, status=exc.status) from exc
        if fetched.not_modified:
            return NwsAnswer(path, 304, None, fetched.headers)
        if len(fetched.content) > BIG_BODY:
            # Decoding a 100 KB hourly forecast takes milliseconds; off the event loop,
            # the other requests keep moving meanwhile.
            data = await asyncio.to_thread(_decode, fetched.content, path)
        else:
            data = _decode(fetched.content, path)
        return NwsAnswer(path, fetched.status, data, fetched.headers)


def _explain(exc: FetchError) -> str:
    if exc.status == 403:
        # The CDN's HTML "Access Denied": NWS blocks requests without a proper User-Agent.
        return f"{exc} - NWS refused us; check NWS_USER_AGENT has a contact address"
    return str(exc)


def _decode(content: bytes, path: str) -> dict:
    if not content.strip():
        raise NwsError(f"{path} answered with an empty body", path=path)
    try:
        data = json_parse(content)
    except JSONTooDeep as exc:
        raise NwsError(f"{path} answered {exc}", path=path) from exc
    except ValueError as exc:
        raise NwsError(f"{path} answered with something that is not JSON", path=path) from exc
    if not isinstance(data, dict):
        raise NwsError(f"{path} answered JSON that is not an object", path=path)
    return data
