"""The edge: news pages kept in a real nginx (with Debian's cache-purge module) in front of
Django's live server, and purged through Wagtail's frontend-cache backend when a story is
published (core/edge.py, news/edge.py, deploy/nginx.conf.template)."""

import gzip
import http.client
import logging
import random
import socket
import subprocess
import time

import pytest

from newscast.core.stack import (
    CACHE_PURGE_MODULE,
    NGINX,
    StackConfig,
    nginx_config_test,
    render_nginx_config,
)
from newscast.news.edge import story_urls

PROMISE_SECONDS = 5
HOST = "localhost"  # the default site's hostname: the Host nginx keys its copies by
pytestmark = pytest.mark.django_db(transaction=True)


def free_port_pair() -> int:
    """Two free neighbouring ports in this machine's share for test servers (21000-21999)."""
    for _ in range(200):
        port = random.randrange(21000, 21998)
        try:
            for candidate in (port, port + 1):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair in 21000-21999")


@pytest.fixture
def edge(live_server, tmp_path, settings):
    """nginx rendered from deploy/ in front of the live server; purges go to its listener
    through Wagtail's frontend-cache settings, from the worker's task path after the commit."""
    if not CACHE_PURGE_MODULE.exists():
        pytest.fail("apt-get install libnginx-mod-http-cache-purge (make system-packages)")
    port = free_port_pair()
    web_port = int(live_server.url.rsplit(":", 1)[1])
    config = StackConfig(port=port, web_port=web_port, run_dir=tmp_path)
    for folder in ("logs", "static", "media", "nginx-cache"):
        (tmp_path / folder).mkdir()
    config_path = tmp_path / "nginx.conf"
    # pytest's folders are private to whoever runs it: the workers run as that user too.
    rendered = render_nginx_config(config).replace("user nobody nogroup;", "user root root;")
    config_path.write_text(rendered)
    checked = nginx_config_test(config_path, tmp_path)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(config_path), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    settings.TASKS = {"default": {"BACKEND": "newscast.core.task_backend.HueyTaskBackend"}}
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "newscast.core.edge.NginxPurgeBackend", "LOCATION": config.purge_url}
    }
    try:
        _wait_for_port(port)
        yield config
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        print((tmp_path / "nginx-error.log").read_text(errors="replace")[-3000:])


def _wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {port}")


def get(config, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """GET through nginx as a reader of the site; the body decompressed if it came gzipped."""
    connection = http.client.HTTPConnection("127.0.0.1", config.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        body, response_headers = response.read(), dict(response.getheaders())
    finally:
        connection.close()
    if response_headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, response_headers, body


GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def warm(config, path: str) -> None:
    """Fill both copies of a page, and check the next readers get them from the cache."""
    for headers in ({}, GZIP):
        get(config, path, headers)
        status, response_headers, _ = get(config, path, headers)
        assert status == 200, path
        assert response_headers["X-Cache"] == "HIT", (path, headers, response_headers)


def seconds_until_shown(config, paths, text: bytes, headers) -> dict:
    """Poll each page until it shows text; seconds each took (inf past twice the promise)."""
    started, waiting, seen = time.monotonic(), set(paths), {}
    while waiting and time.monotonic() - started < 2 * PROMISE_SECONDS:
        for path in list(waiting):
            if text in get(config, path, headers)[2]:
                seen[path] = time.monotonic() - started
                waiting.discard(path)
        time.sleep(0.05)
    return {**seen, **{path: float("inf") for path in waiting}}


def test_a_publish_shows_within_five_seconds_on_every_page_it_touches(edge, make_story):
    story = make_story("Tupelo council approves new splash pad")
    pages = ["/", "/local/", story.url, "/feeds/rss/", "/feeds/local/atom/", "/news-sitemap.xml"]
    for path in pages:
        warm(edge, path)

    story.title = "Tupelo council moves splash pad to Ballard Park"
    story.save_revision().publish()

    for headers in ({}, GZIP):
        delays = seconds_until_shown(edge, pages, b"moves splash pad to Ballard Park", headers)
        assert max(delays.values()) < PROMISE_SECONDS, (headers, delays)


def test_news_pages_are_kept_long_and_other_pages_a_second(edge, make_story):
    story = make_story()
    _, headers, _ = get(edge, story.url)
    assert "s-maxage=600" in headers["Cache-Control"]
    assert "max-age=0" in headers["Cache-Control"]
    assert "X-Accel-Expires" not in headers  # nginx's own instruction, never passed on
    _, headers, _ = get(edge, "/corrections/")
    assert "s-maxage=1" in headers["Cache-Control"]


def test_the_gzip_copy_is_kept_compressed_beside_the_plain_one(edge, make_story):
    story = make_story()
    warm(edge, story.url)
    _, zipped, zipped_body = get(edge, story.url, GZIP)
    _, plain, plain_body = get(edge, story.url)
    assert zipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert zipped_body == plain_body


def test_an_editor_session_always_reaches_django(edge, make_story):
    story = make_story()
    warm(edge, story.url)
    _, headers, _ = get(edge, story.url, {"Cookie": "sessionid=an-editor"})
    assert headers["X-Cache"] == "BYPASS"


def test_a_purge_that_fails_is_logged_and_the_publish_stands(edge, make_story, settings, caplog):
    story = make_story()
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "newscast.core.edge.NginxPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{free_port_pair()}",  # nobody listens there
        }
    }
    story.title = "Lee County schools delay opening two hours"
    with caplog.at_level(logging.WARNING, logger="newscast.core.edge"):
        story.save_revision().publish()
    story.refresh_from_db()
    assert story.title == "Lee County schools delay opening two hours" and story.live
    assert any("purges failed" in record.getMessage() for record in caplog.records)


def test_the_urls_a_story_touches(make_story, section):
    story = make_story()
    urls = set(story_urls(story))
    root = "http://localhost"
    assert {
        f"{root}{story.url}",
        f"{root}/",
        f"{root}/local/",
        f"{root}/feeds/rss/",
        f"{root}/feeds/local/atom/",
        f"{root}/sitemap.xml",
        f"{root}/news-sitemap.xml",
    } <= urls


def test_readers_never_wait_on_a_refreshed_page(edge, make_story):
    """A publish renews its pages in place: every reader meanwhile gets a cached copy (the old
    one, then the new), never a miss waiting for the render or for nginx's cache lock."""
    story = make_story("Tupelo council approves new splash pad")
    pages = ["/", "/local/", story.url, "/feeds/rss/"]
    for path in pages:
        warm(edge, path)

    story.title = "Tupelo council moves splash pad to Ballard Park"
    story.save_revision().publish()

    started, waiting, seen = time.monotonic(), {(p, e) for p in pages for e in ("", "gzip")}, []
    while waiting and time.monotonic() - started < 2 * PROMISE_SECONDS:
        for path, encoding in sorted(waiting):
            _, headers, body = get(edge, path, GZIP if encoding else {})
            seen.append((path, encoding, headers["X-Cache"]))
            if b"moves splash pad to Ballard Park" in body:
                waiting.discard((path, encoding))
    assert not waiting, waiting
    assert {status for _, _, status in seen} == {"HIT"}, seen


def test_a_site_wide_change_refreshes_the_most_read_pages_and_purges_the_rest(edge, make_story):
    from newscast.core.edge import purge_site_task

    story = make_story()
    for path in ("/", "/local/", story.url):
        warm(edge, path)
    purge_site_task.call()
    assert get(edge, "/")[1]["X-Cache"] == "HIT"
    assert get(edge, "/local/", GZIP)[1]["X-Cache"] == "HIT"
    assert get(edge, story.url)[1]["X-Cache"] == "MISS"


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "gzip"),  # matched whole (nginx's hash, no expression)
        ("deflate, gzip;q=0.5", "gzip"),  # the rest: the expression
        ("br", None),
        ("", None),
    ],
)
def test_every_way_of_asking_for_gzip_finds_the_one_gzip_copy(
    edge, make_story, accept_encoding, encoding
):
    story = make_story()
    get(edge, story.url, {"Accept-Encoding": accept_encoding})  # fills the copy
    _, headers, body = get(edge, story.url, {"Accept-Encoding": accept_encoding})
    assert headers["X-Cache"] == "HIT"
    assert headers.get("Content-Encoding") == encoding
    assert story.title.encode() in body


def test_the_admin_and_health_checks_are_never_cached_and_files_keep_their_rules(edge):
    """The locations a request can reach, now prefix locations: the admin and /healthz pass
    straight to Django; hashed static files are kept a year, others an hour, both gzipped."""
    for path in ("/admin/login/", "/healthz"):
        for _ in range(2):
            status, headers, _ = get(edge, path)
            assert status == 200, path
            assert "X-Cache" not in headers, path  # only the page cache's location says
    static = edge.run_dir / "static"
    for name in ("app.0123456789ab.css", "plain.css"):
        text = b"body { color: #222; } " * 100
        (static / name).write_bytes(text)
        (static / f"{name}.gz").write_bytes(gzip.compress(text))
        status, headers, body = get(edge, f"/static/{name}", GZIP)
        assert (status, headers.get("Content-Encoding"), body) == (200, "gzip", text)
        assert "X-Cache" not in headers
    assert "immutable" in get(edge, "/static/app.0123456789ab.css")[1]["Cache-Control"]
    assert get(edge, "/static/plain.css")[1]["Cache-Control"] == "max-age=3600"
