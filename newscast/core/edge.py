"""The edge: news pages kept for long in nginx (and a CDN) and purged when they change.

News pages (home, sections, stories, authors, tags, feeds, sitemaps) are kept at the edge for
EDGE_SECONDS and purged through Wagtail's frontend-cache backends (WAGTAILFRONTENDCACHE) when
something they show changes (docs/decisions/stack-purge-on-publish.md). Core knows how to
purge; the desks know which URLs a change touches:

- a desk registers the provider of every news URL (`register_site_urls`), used when something
  on every page changes (station settings, section links, a banner, the weather sidebar), and
  of the most read ones (`register_hot_urls`), which such a change refreshes in place;
- a desk registers what ends a page's life by the clock (`register_edge_expiry`), such as a
  breaking-news banner that starts or expires at a set time.

Purges are django-tasks tasks (Wagtail's own for a list of URLs), so they run in the Huey
worker once the change commits (core/task_backend.py), in place when Redis is down; the URLs
a change touches are worked out there too, not in the editor's save. A purge that fails is
logged and never undoes the change; the page is then at most EDGE_SECONDS old.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django_tasks import task
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends.cloudflare import CloudflareBackend
from wagtail.contrib.frontend_cache.backends.cloudfront import CloudfrontBackend
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger(__name__)

# How long the edge keeps a news page that nothing changed. A lost purge (the worker down,
# nginx restarting) leaves a page at most this old.
EDGE_SECONDS = 10 * 60
# Each page is kept once plain and once gzip-compressed (deploy/nginx.conf.template).
ENCODINGS = ("", "gzip")
PURGE_THREADS = 16
# A refresh answered so: no page to bake there any more.
GONE_OR_MOVED = frozenset({301, 302, 307, 308, 404, 410})
PURGE_TIMEOUT_SECONDS = 5

_site_url_providers = []
_hot_url_providers = []
_expiry_providers = []


def register_site_urls(provider) -> None:
    """provider() -> the full URLs of the news pages it owns (all of them)."""
    _site_url_providers.append(provider)


def register_hot_urls(provider) -> None:
    """provider() -> the full URLs of the news pages most read (home, sections, feeds): a
    site-wide change refreshes these in place instead of purging them."""
    _hot_url_providers.append(provider)


def register_edge_expiry(provider) -> None:
    """provider(request) -> seconds until something on every news page changes by the clock,
    or None; request is the page's (None outside one), so its versions are read once."""
    _expiry_providers.append(provider)


def edge_seconds(request=None) -> int:
    """How long the edge may keep a news page rendered now: EDGE_SECONDS, or less when a
    banner starts or ends sooner (at least 1 s)."""
    limits = [EDGE_SECONDS]
    for provider in _expiry_providers:
        try:
            seconds = provider(request)
        except Exception:
            # The page is already rendered: serve it, kept for a second only.
            logger.exception("edge expiry %s failed", provider.__name__)
            seconds = 1
        if seconds is not None:
            limits.append(max(1, int(seconds)))
    return min(limits)


@contextmanager
def clock_limits_ignored():
    """edge_seconds() as if no banner were waiting to start or end: the headers of a page's
    usual life (core.baking.baked_headers). Not for a serving process: it is process-wide."""
    saved = _expiry_providers[:]
    _expiry_providers.clear()
    try:
        yield
    finally:
        _expiry_providers[:] = saved


def site_urls() -> list[str]:
    return sorted({url for provider in _site_url_providers for url in provider()})


def hot_urls() -> list[str]:
    return sorted({url for provider in _hot_url_providers for url in provider()})


def purge_site() -> None:
    """Purge every news page (one task per transaction, however many changes asked)."""
    purge_site_task.enqueue()


def refresh_or_purge(backend, urls) -> None:
    """Pages refreshed in place where the edge can (nginx), purged where it cannot (a CDN)."""
    refresh = getattr(backend, "refresh_batch", None)
    (refresh or backend.purge_batch)(urls)


@task()
def refresh_urls_task(urls: list[str]) -> None:
    """The pages a change touches directly (a publish: a short list), renewed at every edge."""
    for name, backend in get_backends().items():
        try:
            refresh_or_purge(backend, urls)
        except Exception:
            # One edge failing must not stop the others; its pages expire in EDGE_SECONDS.
            logger.exception("edge %s: refresh failed", name)


def hot_pages_rebake() -> str:
    """The most-read news pages (home, sections, feeds) renewed in place at every edge that
    refreshes (nginx), as at the start of each of nginx's 10-minute folders. A baked file is
    served only in the 10 minutes it was written in (decisions/edge-baked-pages.md): without
    this, an hour with nothing published would serve the front from the slower cache copies,
    and each copy's expiry would make one reader wait for a render. A CDN, which cannot
    refresh, is not purged for it. Returns what was done, for the job's record."""
    refreshing = {
        name: backend
        for name, backend in get_backends().items()
        if hasattr(backend, "refresh_batch")
    }
    if not refreshing:
        return "no edge that refreshes in place"
    urls, edges = hot_urls(), []
    for name, backend in refreshing.items():
        try:
            backend.refresh_batch(urls)
            edges.append(name)
        except Exception:
            logger.exception("edge %s: rebake failed", name)
    return f"{len(urls)} pages renewed at {len(edges)} edge(s): {', '.join(edges) or 'none'}"


@task()
def purge_site_task() -> None:
    """Every news page out of every edge: a CDN by its purge-everything call, an nginx (which
    cannot purge by pattern: Debian's module is FRiCKLE 2.3) by the list of news URLs, the
    pages most read (home, sections, feeds) refreshed in place and the rest purged."""
    urls = hot = None
    for name, backend in get_backends().items():
        purge_everything = getattr(backend, "purge_everything", None)
        try:
            if purge_everything is not None:
                purge_everything()
                continue
            if urls is None:
                hot = set(hot_urls())
                urls = [url for url in site_urls() if url not in hot]
            purge_site = getattr(backend, "purge_site", None)
            if purge_site is not None:
                purge_site(sorted(hot), urls)
                continue
            refresh_or_purge(backend, sorted(hot))
            backend.purge_batch(urls)
        except Exception:
            # One edge failing must not stop the others; its pages expire in EDGE_SECONDS.
            logger.exception("edge %s: site-wide purge failed", name)


class NginxPurgeBackend(HTTPBackend):
    """Wagtail's HTTP purge backend for nginx's cache-purge listener, with both encodings of
    each page purged, many purges at once (a site-wide purge is every story), and a timeout
    so that a machine that is down cannot hold the worker. It can also refresh a page in
    place: the listener renders it again and replaces the copy, while readers keep getting
    the old one (deploy/nginx.conf.template), so nobody waits on nginx's cache lock. A
    refreshed news page is baked too (served as a file, core/baking.py); a page that can no
    longer be (gone, or its headers changed) loses its baked file."""

    def purge(self, url) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        self._send_all(("PURGE", "DELETE"), urls)

    def refresh_batch(self, urls) -> None:
        self._send_all(("BAKE",), urls)

    def purge_site(self, hot, others) -> None:
        """Every news page: the baked ones at once (a folder a site), the most read
        refreshed and baked again, the other copies purged."""
        for host in sorted({_host(url) for url in [*hot, *others]}):
            self._send_one(("DELETE", f"http://{host}/", "", {"X-Edge-Unbake": "site"}))
        self.refresh_batch(hot)
        self._send_all(("PURGE",), others)

    def _send_all(self, methods, urls) -> None:
        requests = [
            (m, url, encoding, {}) for url in urls for encoding in ENCODINGS for m in methods
        ]
        with ThreadPoolExecutor(max_workers=PURGE_THREADS) as pool:
            failed = sum(not ok for ok in pool.map(self._send_one, requests))
        if failed:
            logger.error(
                "edge %s: %d of %d purges failed", self.cache_netloc, failed, len(requests)
            )

    def _send_one(self, request_for) -> bool:
        method, url, encoding, extra = request_for
        parts = urlsplit(url)
        headers = {
            "Host": _host(url), "User-Agent": f"Wagtail-frontendcache/{wagtail_version}", **extra
        }  # fmt: skip
        if encoding:
            headers["Accept-Encoding"] = encoding
        location = urlunsplit(
            [self.cache_scheme, self.cache_netloc, parts.path or "/", parts.query, ""]
        )
        request = Request(location, headers=headers, method=method)
        try:
            # The location is the operator's EDGE_PURGE_URLS, never a reader's input.
            with urlopen(request, timeout=PURGE_TIMEOUT_SECONDS) as response:  # noqa: S310
                response.read()  # a refresh answers with the page; the copy is its job
                baked = response.headers.get("X-Edge-Baked") == "yes"
        except HTTPError as exc:
            if method == "BAKE" and exc.code in GONE_OR_MOVED:
                # The page is gone or moved: its answer replaced the copy, its file must go.
                return self._send_one(("DELETE", url, encoding, {}))
            if exc.code == 404:
                return True  # a purge's or an unbake's 404: nothing was kept
            logger.warning(
                "edge %s: %s of %s answered %s", self.cache_netloc, method, url, exc.code
            )
            return False
        except (URLError, OSError) as exc:
            logger.warning("edge %s: could not %s %s: %s", self.cache_netloc, method, url, exc)
            return False
        if method == "BAKE" and not baked:
            # Refreshed but not bakeable now (a feed, or a banner waiting to start): a file
            # baked earlier in these 10 minutes would hide the change.
            return self._send_one(("DELETE", url, encoding, {}))
        return True


def _host(url: str) -> str:
    """The Host nginx keys a page's copies by: the name, and the port if the URL has one."""
    parts = urlsplit(url)
    return parts.hostname + (f":{parts.port}" if parts.port else "")


class CloudflareEverythingBackend(CloudflareBackend):
    """Wagtail's Cloudflare backend, plus Cloudflare's own purge of the whole zone."""

    def purge_everything(self) -> None:
        import requests

        response = requests.post(
            self.cloudflare_purge_endpoint_url,
            json={"purge_everything": True},
            headers={"Authorization": f"Bearer {self.cloudflare_token}"},
            timeout=30,
        )
        response.raise_for_status()


class CloudFrontEverythingBackend(CloudfrontBackend):
    """Wagtail's CloudFront backend (needs boto3), plus one invalidation of every path."""

    def purge_everything(self) -> None:
        self._create_invalidation(self.cloudfront_distribution_id, ["/*"])
