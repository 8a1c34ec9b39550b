"""Which pages nginx may serve as files, and the headers it must then add (core/baking.py)."""

import io
import json

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory

from newscast.core.baking import (
    BAKE_HEADER,
    BakedHeaders,
    BakeMarkMiddleware,
    header_digest,
    repeated_headers,
)

KEPT = {"X-Accel-Expires": "600", "Cache-Control": "public, max-age=0, s-maxage=600"}


def marked(response, method="GET") -> str | None:
    request = RequestFactory().generic(method, "/")
    return BakeMarkMiddleware(lambda request: response)(request).get(BAKE_HEADER)


def page(**headers) -> HttpResponse:
    response = HttpResponse("<!doctype html><p>A page.</p>")
    for name, value in {**KEPT, **headers}.items():
        response[name] = value
    return response


def test_a_news_page_kept_at_the_edge_is_marked_with_the_digest_of_its_headers():
    response = page(**{"X-Frame-Options": "SAMEORIGIN"})
    assert marked(response) == header_digest(repeated_headers(response))
    other = page(**{"X-Frame-Options": "DENY"})
    assert marked(other) != marked(page(**{"X-Frame-Options": "SAMEORIGIN"}))


def test_what_a_file_carries_by_itself_is_not_in_the_digest():
    plain, zipped = page(), page(**{"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    zipped["ETag"] = '"another"'
    assert marked(plain) == marked(zipped)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.__delitem__("X-Accel-Expires"),  # micro-cached, not kept until purged
        lambda r: r.__setitem__("Content-Type", "application/rss+xml"),  # a feed
        lambda r: r.set_cookie("csrftoken", "x"),  # one reader's
        lambda r: setattr(r, "status_code", 404),
        lambda r: r.__setitem__("Link", '</a>; rel="preload"'),  # a value nginx can't quote
        lambda r: r.__setitem__("X-Note", "costs $5"),  # `$` starts an nginx variable
    ],
)
def test_pages_a_file_could_not_stand_for_are_not_marked(change):
    response = page()
    change(response)
    assert marked(response) is None


def test_a_form_post_is_not_marked():
    assert marked(page(), method="POST") is None


def test_a_policy_gets_one_digest_whatever_the_order_of_its_directives():
    one = (("Content-Security-Policy", "default-src 'self'; img-src https:"),)
    other = (("Content-Security-Policy", "img-src https:; default-src 'self'"),)
    assert header_digest(one) == header_digest(other)


def test_nginx_lines_quote_each_value():
    headers = BakedHeaders((("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY")))
    assert headers.nginx_lines(indent=4) == (
        '    add_header Referrer-Policy "same-origin";\n    add_header X-Frame-Options "DENY";'
    )


@pytest.mark.django_db  # the middleware reads the station's settings
def test_the_command_prints_what_nginx_adds_and_the_digest_pages_carry(settings):
    out = io.StringIO()
    call_command("edge_headers", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    headers = dict(printed["headers"])
    assert headers["X-Frame-Options"] == settings.X_FRAME_OPTIONS
    assert "s-maxage=600" in headers["Cache-Control"]
    assert printed["digest"] == header_digest(tuple(tuple(p) for p in printed["headers"]))
    text = io.StringIO()
    call_command("edge_headers", "--scheme", "https", stdout=text)
    assert text.getvalue().startswith("# EDGE_BAKE_DIGEST: ")
    assert 'add_header X-Frame-Options "' in text.getvalue()
