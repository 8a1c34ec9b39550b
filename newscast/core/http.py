"""Outbound HTTP for every desk: one place for timeouts, User-Agent, retries and size caps.

Desks build their URL, call `fetch` (or `afetch` for concurrent work) and get raw bytes and
headers back; parsing happens elsewhere, on those bytes. Following the NWS and pynws
practice, 429, 5xx, timeouts and connection errors are retried with backoff and jitter
(honouring Retry-After); other 4xx answers are not, because asking again will not help.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
from django.conf import settings

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 30.0


class FetchError(Exception):
    """An outside source could not be read; `str()` says why in plain words."""

    def __init__(self, message: str, *, url: str, status: int | None = None, retryable=False):
        super().__init__(message)
        self.url = url
        self.status = status
        self.retryable = retryable


@dataclass
class Fetched:
    """What came back: status, headers and the whole body (bounded by max_bytes)."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes
    elapsed: float = 0.0
    attempts: int = 1
    extra: dict = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def default_headers(user_agent: str | None = None, accept: str | None = None) -> dict[str, str]:
    headers = {"User-Agent": user_agent or settings.NEWSCAST_USER_AGENT}
    if accept:
        headers["Accept"] = accept
    return headers


def build_client(
    *, user_agent=None, accept=None, timeout=DEFAULT_TIMEOUT, **kwargs
) -> httpx.Client:
    """A synchronous client with our User-Agent and timeouts; redirects are followed."""
    return httpx.Client(
        headers=default_headers(user_agent, accept),
        timeout=timeout,
        follow_redirects=True,
        **kwargs,
    )


def build_async_client(
    *, user_agent=None, accept=None, timeout=DEFAULT_TIMEOUT, max_connections=10, **kwargs
) -> httpx.AsyncClient:
    """An async client for concurrent refreshes, bounded to max_connections in flight."""
    return httpx.AsyncClient(
        headers=default_headers(user_agent, accept),
        timeout=timeout,
        follow_redirects=True,
        limits=httpx.Limits(max_connections=max_connections),
        **kwargs,
    )


def backoff_delays(attempts: int, base: float = 0.5, cap: float = 8.0) -> Iterator[float]:
    """Full-jitter exponential backoff: a random wait in [0, min(cap, base * 2**n)]."""
    for n in range(attempts - 1):
        yield random.uniform(0, min(cap, base * 2**n))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    except ValueError:
        return None


def _check(response: httpx.Response, url: str) -> None:
    if response.status_code == 304 or response.is_success:
        return
    retryable = response.status_code in RETRY_STATUSES
    raise FetchError(
        f"{url} answered HTTP {response.status_code} {response.reason_phrase}".strip(),
        url=url,
        status=response.status_code,
        retryable=retryable,
    )


def _check_declared_size(response: httpx.Response, url: str, max_bytes: int | None) -> None:
    declared = response.headers.get("Content-Length")
    if max_bytes and declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"{url} is {int(declared):,} bytes, over the {max_bytes:,}-byte cap", url=url
        )


def _add_capped(
    chunks: list[bytes], chunk: bytes, size: int, url: str, max_bytes: int | None
) -> int:
    size += len(chunk)
    if max_bytes and size > max_bytes:
        raise FetchError(f"{url} is over the {max_bytes:,}-byte cap", url=url)
    chunks.append(chunk)
    return size


def _read_capped(response: httpx.Response, url: str, max_bytes: int | None) -> bytes:
    _check_declared_size(response, url, max_bytes)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size = _add_capped(chunks, chunk, size, url, max_bytes)
    return b"".join(chunks)


async def _aread_capped(response: httpx.Response, url: str, max_bytes: int | None) -> bytes:
    _check_declared_size(response, url, max_bytes)
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size = _add_capped(chunks, chunk, size, url, max_bytes)
    return b"".join(chunks)


def _transport_error(exc: httpx.HTTPError, url: str) -> FetchError:
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(
            f"{url} did not answer in time ({type(exc).__name__})", url=url, retryable=True
        )
    return FetchError(f"{url} could not be reached: {exc}", url=url, retryable=True)


def _fetched(response: httpx.Response, content: bytes, url: str, started: float, attempt: int):
    """The answer as Fetched, or FetchError for a status that is not a success or a 304."""
    _check(response, url)
    return Fetched(
        url=str(response.url),
        status=response.status_code,
        headers=response.headers,
        content=content,
        elapsed=time.monotonic() - started,
        attempts=attempt,
    )


def _wait_before_retry(exc, response, url, attempt, attempts, delays) -> float:
    """Seconds to wait before the next attempt; raises the plain-words error when none is left."""
    if isinstance(exc, httpx.HTTPError):
        error, wait = _transport_error(exc, url), None
    else:
        error, wait = exc, (_retry_after(response) if exc.status else None)
    if not error.retryable or attempt == attempts:
        raise error
    return wait if wait is not None else next(delays, 0)


def fetch(
    client: httpx.Client,
    url: str,
    *,
    headers: dict | None = None,
    params: dict | None = None,
    attempts: int = 3,
    max_bytes: int | None = None,
    backoff_base: float = 0.5,
) -> Fetched:
    """GET url, retrying what may pass; returns the body or raises FetchError saying why."""
    started = time.monotonic()
    delays = backoff_delays(attempts, base=backoff_base)
    for attempt in range(1, attempts + 1):
        response = failure = None
        try:
            with client.stream("GET", url, headers=headers, params=params) as response:
                content = _read_capped(response, url, max_bytes)
                return _fetched(response, content, url, started, attempt)
        except (httpx.HTTPError, FetchError) as exc:
            failure = exc
        time.sleep(_wait_before_retry(failure, response, url, attempt, attempts, delays))
    raise AssertionError("unreachable")  # pragma: no cover


async def afetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    headers: dict | None = None,
    params: dict | None = None,
    attempts: int = 3,
    max_bytes: int | None = None,
    backoff_base: float = 0.5,
) -> Fetched:
    """The async twin of `fetch`, for refreshing many cities or feeds at once."""
    started = time.monotonic()
    delays = backoff_delays(attempts, base=backoff_base)
    for attempt in range(1, attempts + 1):
        response = failure = None
        try:
            async with client.stream("GET", url, headers=headers, params=params) as response:
                content = await _aread_capped(response, url, max_bytes)
                return _fetched(response, content, url, started, attempt)
        except (httpx.HTTPError, FetchError) as exc:
            failure = exc
        await asyncio.sleep(_wait_before_retry(failure, response, url, attempt, attempts, delays))
    raise AssertionError("unreachable")  # pragma: no cover
