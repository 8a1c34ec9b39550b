"""Baked pages: the news pages nginx serves as files, as fast as a static file.

A news page refreshed by the jobs worker is also written as a file by nginx, plain and
gzip-compressed, when Django marked it bakeable; readers then get that file, not the proxy
cache's copy (deploy/nginx.conf.template, docs/decisions/edge-baked-pages.md). A file has no
stored headers, so nginx adds the page's own from its configuration: Django marks a page
bakeable only when the headers it would lose are exactly those, by a digest of them that the
configuration names. A page whose headers differ (its own policy, a shorter life while a
breaking banner waits to start or end) is not baked and stays a proxy-cache copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.urls import path, set_urlconf

BAKE_HEADER = "X-Edge-Bake"
# What nginx works out for a file itself, keeps to itself, or adds in the same form:
# everything else a page carries must be repeated by the configuration, or the page is
# not baked.
NOT_REPEATED = frozenset(
    {
        "content-type",  # text/html from the file's name, with `charset utf-8`
        "content-length",
        "content-encoding",  # gzip_static, for the .gz file
        "etag",  # nginx's own, from the file
        "last-modified",
        "date",
        "server",
        "connection",
        "vary",  # Accept-Encoding from gzip_vary, Cookie added (the template)
        "x-accel-expires",  # for nginx's cache only
        BAKE_HEADER.lower(),
    }
)
# What a value in a quoted add_header cannot hold as it is: `$` starts a variable there.
UNSAFE_IN_NGINX = ('"', "$", "\\", "\n", "\r")


@dataclass(frozen=True)
class BakedHeaders:
    """The headers a baked page is served with, and the digest Django marks such pages by."""

    headers: tuple[tuple[str, str], ...]

    @property
    def digest(self) -> str:
        return header_digest(self.headers)

    def nginx_lines(self, indent: int = 12) -> str:
        """add_header lines for the baked pages' location."""
        pad = " " * indent
        return "\n".join(f'{pad}add_header {name} "{value}";' for name, value in self.headers)


def repeated_headers(response) -> tuple[tuple[str, str], ...]:
    """The headers a baked copy of this response would have to repeat, in a stable order."""
    return tuple(
        sorted(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in NOT_REPEATED
        )
    )


def header_digest(headers: tuple[tuple[str, str], ...]) -> str:
    text = "\n".join(f"{name.lower()}: {_canonical(name, value)}" for name, value in headers)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _canonical(name: str, value: str) -> str:
    # django-csp writes a policy's directives in an order that differs between processes
    # (a set's): the same policy must give every web process the same digest.
    if "content-security-policy" in name.lower():
        return "; ".join(sorted(part.strip() for part in value.split(";") if part.strip()))
    return value


def bake_digest(request, response) -> str | None:
    """The digest a news page kept at the edge until purged (X-Accel-Expires, set by
    core.cachecontrol), in HTML and the same for every reader, is baked by; None for any
    other answer, or one whose headers nginx could not repeat."""
    if not (
        request.method == "GET"
        and response.status_code == 200
        and "X-Accel-Expires" in response
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not response.streaming
    ):
        return None
    headers = repeated_headers(response)
    if any(c in value for _, value in headers for c in UNSAFE_IN_NGINX):
        return None
    return header_digest(headers)


class BakeMarkMiddleware:
    """Outermost (after the request timer): marks a bakeable page with the digest of the
    headers a file would have to repeat. nginx bakes it only when that digest is the one its
    configuration was rendered with (`newscast edge_headers`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        digest = bake_digest(request, response)
        if digest is not None:
            response[BAKE_HEADER] = digest
        return response


def _kept_page(request):
    from django.http import HttpResponse

    from newscast.core.cachecontrol import keep_at_edge

    return keep_at_edge(lambda request: HttpResponse("<!doctype html>"))(request)


urlpatterns = [path("", _kept_page)]


def baked_headers(reader_scheme: str = "http") -> BakedHeaders:
    """The headers this site's middleware gives a news page kept at the edge, worked out by
    passing a plain one through the whole middleware stack (with these settings), with no
    breaking banner shortening its life."""
    # Here, not above: newscast.core.stack reads BakedHeaders before Django is set up.
    from django.conf import settings
    from django.core.handlers.base import BaseHandler
    from django.test import RequestFactory

    from newscast.core.edge import clock_limits_ignored

    host = next((h.lstrip(".*") for h in settings.ALLOWED_HOSTS if h.lstrip(".*")), "localhost")
    request = RequestFactory().get(
        "/", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO=reader_scheme, secure=reader_scheme == "https"
    )
    request.urlconf = __name__
    handler = BaseHandler()
    handler.load_middleware()
    try:
        with clock_limits_ignored():
            response = handler.get_response(request)
    finally:
        set_urlconf(None)  # the request's own urlconf is this thread's until reset
    if BAKE_HEADER not in response:
        raise ValueError(f"a news page is not bakeable here (status {response.status_code})")
    return BakedHeaders(repeated_headers(response))
