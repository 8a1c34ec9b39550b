"""Outbound HTTP for every desk: one place for timeouts, User-Agent, retries and size caps.

Desks build their URL, call `fetch` (or `afetch` for concurrent work) and get raw bytes and
headers back; parsing happens elsewhere, on those bytes. Following the NWS and pynws
practice, 429, 5xx, timeouts and connection errors are retried with backoff and jitter
(honouring Retry-After); other 4xx answers are not, because asking again will not help.

Every download is bounded: a wall-clock deadline over all attempts (a server that drips one
byte a second cannot hold a worker), a cap on the decoded bytes (checked as they arrive, so an
endless or gzip-bombed body stops at the cap), and error messages that name the status but
never repeat the answer's body. URLs that come from editors or outside content use
`build_checked_client`, which connects only to public addresses (newscast.core.addresses).
"""

from __future__ import annotations

import asyncio
import random
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpcore
import httpx
from django.conf import settings

from newscast.core.addresses import AddressRefused, checked_addresses

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Wall-clock limit for one download, all attempts and waits included.
DEFAULT_DEADLINE_SECONDS = 60.0
# We decode what we ask for ourselves, chunk by bounded chunk (see BodyDecoder).
ACCEPT_ENCODING = "gzip, deflate"
DECODE_CHUNK = 64 * 1024
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
    headers = {
        "User-Agent": user_agent or settings.NEWSCAST_USER_AGENT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
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


class CheckedNetworkBackend(httpcore.SyncBackend):
    """Opens TCP connections only to addresses that passed `checked_addresses`.

    httpcore asks here for every new connection, the first hop and each redirect alike, and
    still does TLS (SNI, certificate) against the host name, so https keeps working.
    """

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        failure = None
        for address in checked_addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure


CHECKED_LIMITS = httpx.Limits(max_connections=10)


class CheckedTransport(httpx.HTTPTransport):
    """httpx's transport with a connection pool that uses CheckedNetworkBackend."""

    def __init__(self, *, limits: httpx.Limits = CHECKED_LIMITS):
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=CheckedNetworkBackend(),
        )


def build_checked_client(
    *, user_agent=None, accept=None, timeout=DEFAULT_TIMEOUT, **kwargs
) -> httpx.Client:
    """A client for URLs from editors or outside content: public addresses only.

    No proxy from the environment either: a proxy would make the connection for us, past the
    address check.
    """
    return build_client(
        user_agent=user_agent,
        accept=accept,
        timeout=timeout,
        transport=CheckedTransport(),
        trust_env=False,
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


class BodyDecoder:
    """Undoes gzip/deflate a bounded piece at a time, so a small bomb cannot fill memory.

    httpx would inflate each network chunk whole (64 KB of zeros becomes 64 MB); here no
    piece is larger than DECODE_CHUNK before the cap is checked.
    """

    def __init__(self, response: httpx.Response, url: str):
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding in ("", "identity"):
            self.inflate = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self.inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
        else:
            raise FetchError(f"{url} sent an encoding Newscast did not ask for", url=url)
        self.url = url

    def pieces(self, raw: bytes) -> Iterator[bytes]:
        if self.inflate is None:
            yield raw
            return
        try:
            while raw:
                yield self.inflate.decompress(raw, DECODE_CHUNK)
                raw = self.inflate.unconsumed_tail
        except zlib.error as exc:
            message = f"{self.url} sent a body that does not decompress"
            raise FetchError(message, url=self.url) from exc


class BodyReader:
    """Collects decoded pieces within the byte cap and the wall-clock deadline."""

    def __init__(self, response, url: str, max_bytes: int | None, deadline: float):
        _check_declared_size(response, url, max_bytes)
        self.decoder = BodyDecoder(response, url)
        self.url, self.max_bytes, self.deadline = url, max_bytes, deadline
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, raw: bytes) -> None:
        for piece in self.decoder.pieces(raw):
            self.size += len(piece)
            if self.max_bytes and self.size > self.max_bytes:
                message = f"{self.url} is over the {self.max_bytes:,}-byte cap"
                raise FetchError(message, url=self.url)
            self.chunks.append(piece)
        if time.monotonic() > self.deadline:
            raise FetchError(f"{self.url} did not finish within the time allowed", url=self.url)

    def content(self) -> bytes:
        return b"".join(self.chunks)


def _read_capped(response: httpx.Response, url: str, max_bytes, deadline: float) -> bytes:
    reader = BodyReader(response, url, max_bytes, deadline)
    for raw in response.iter_raw():
        reader.add(raw)
    return reader.content()


async def _aread_capped(response: httpx.Response, url: str, max_bytes, deadline: float) -> bytes:
    reader = BodyReader(response, url, max_bytes, deadline)
    async for raw in response.aiter_raw():
        reader.add(raw)
    return reader.content()


def _request_timeout(timeout, deadline: float) -> httpx.Timeout:
    """The client's timeouts, none longer than what is left before the deadline."""
    left = max(deadline - time.monotonic(), 0.001)
    timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)

    def bound(value):
        return left if value is None else min(value, left)

    return httpx.Timeout(
        connect=bound(timeout.connect),
        read=bound(timeout.read),
        write=bound(timeout.write),
        pool=bound(timeout.pool),
    )


def _transport_error(exc: Exception, url: str) -> FetchError:
    if isinstance(exc, AddressRefused):
        return FetchError(f"{url} was not fetched: {exc}", url=url)
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


def _wait_before_retry(exc, response, url, attempt, attempts, delays, deadline) -> float:
    """Seconds to wait before the next attempt; raises the plain-words error when none is left."""
    if isinstance(exc, httpx.HTTPError | AddressRefused):
        error, wait = _transport_error(exc, url), None
    else:
        error, wait = exc, (_retry_after(response) if exc.status else None)
    if not error.retryable or attempt == attempts:
        raise error
    wait = wait if wait is not None else next(delays, 0)
    if time.monotonic() + wait >= deadline:
        raise error
    return wait


def fetch(
    client: httpx.Client,
    url: str,
    *,
    headers: dict | None = None,
    params: dict | None = None,
    attempts: int = 3,
    max_bytes: int | None = None,
    backoff_base: float = 0.5,
    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
) -> Fetched:
    """GET url, retrying what may pass; returns the body or raises FetchError saying why."""
    started = time.monotonic()
    deadline = started + deadline_seconds
    delays = backoff_delays(attempts, base=backoff_base)
    for attempt in range(1, attempts + 1):
        response = failure = None
        try:
            timeout = _request_timeout(client.timeout, deadline)
            with client.stream(
                "GET", url, headers=headers, params=params, timeout=timeout
            ) as response:
                content = _read_capped(response, url, max_bytes, deadline)
                return _fetched(response, content, url, started, attempt)
        except (httpx.HTTPError, FetchError, AddressRefused) as exc:
            failure = exc
        time.sleep(_wait_before_retry(failure, response, url, attempt, attempts, delays, deadline))
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
    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
) -> Fetched:
    """The async twin of `fetch`, for refreshing many cities or feeds at once."""
    started = time.monotonic()
    deadline = started + deadline_seconds
    delays = backoff_delays(attempts, base=backoff_base)
    for attempt in range(1, attempts + 1):
        response = failure = None
        try:
            timeout = _request_timeout(client.timeout, deadline)
            async with client.stream(
                "GET", url, headers=headers, params=params, timeout=timeout
            ) as response:
                content = await _aread_capped(response, url, max_bytes, deadline)
                return _fetched(response, content, url, started, attempt)
        except (httpx.HTTPError, FetchError, AddressRefused) as exc:
            failure = exc
        await asyncio.sleep(
            _wait_before_retry(failure, response, url, attempt, attempts, delays, deadline)
        )
    raise AssertionError("unreachable")  # pragma: no cover
