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

from newscast.core.baking import baked_headers
from newscast.core.stack import (
    BAKED_FOLDER,
    CACHE_PURGE_MODULE,
    NGINX,
    StackConfig,
    nginx_config_test,
    render_nginx_config,
)
from newscast.core.tasks import edge_rebake_front
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
    for folder in ("logs", "static", "media", "nginx-cache", BAKED_FOLDER, "tmp/unbaked"):
        (tmp_path / folder).mkdir(parents=True)
    config_path = tmp_path / "nginx.conf"
    # The headers the live server gives news pages, as `newscast edge_headers` prints them.
    rendered = render_nginx_config(config, baked=baked_headers())
    # pytest's folders are private to whoever runs it: the workers run as that user too.
    rendered = rendered.replace("user nobody nogroup;", "user root root;")
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
        clear_of_the_next_ten_minutes()
        yield config
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        print((tmp_path / "nginx-error.log").read_text(errors="replace")[-3000:])


def clear_of_the_next_ten_minutes(margin: float = 20) -> None:
    """Start a test at least `margin` seconds before nginx's next ten minutes begin: a page
    baked in one ten minutes is not read in the next (deploy/nginx.conf.template), so a
    test that bakes and then reads must not straddle them. nginx's clock is the machine's,
    which no test moves; local ten minutes are UTC's wherever the offset is whole."""
    left = 600 - time.time() % 600
    if left < margin:
        time.sleep(left + 0.5)


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
# A page served from the edge: the cache's copy, or its baked file (core/baking.py).
FROM_EDGE = {"HIT", "BAKED"}


def warm(config, path: str) -> None:
    """Fill both copies of a page, and check the next readers get them from the cache."""
    for headers in ({}, GZIP):
        get(config, path, headers)
        status, response_headers, _ = get(config, path, headers)
        assert status == 200, path
        assert response_headers["X-Cache"] in FROM_EDGE, (path, headers, response_headers)


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
    assert {status for _, _, status in seen} <= FROM_EDGE, seen


def test_a_site_wide_change_refreshes_the_most_read_pages_and_purges_the_rest(edge, make_story):
    from newscast.core.edge import purge_site_task

    story = make_story()
    for path in ("/", "/local/", story.url):
        warm(edge, path)
    purge_site_task.call()
    assert get(edge, "/")[1]["X-Cache"] == "BAKED"  # refreshed, and baked again
    assert get(edge, "/local/", GZIP)[1]["X-Cache"] == "BAKED"
    # Its baked file went with its copy (an nginx worker that had it open looks again
    # within a second).
    _, headers, _ = within_the_promise(edge, story.url, lambda _, h, b: h["X-Cache"] != "BAKED")
    assert headers["X-Cache"] == "MISS"


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
    assert headers["X-Cache"] in FROM_EDGE
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


# Baked pages: the news pages a refresh wrote as files (core/baking.py).


def direct(live_server, path: str) -> tuple[dict, bytes]:
    """The page as Django gives it, not through nginx."""
    connection = http.client.HTTPConnection(live_server.thread.host, live_server.thread.port)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return dict(response.getheaders()), response.read()
    finally:
        connection.close()


def repeated(headers: dict) -> dict:
    """The headers a baked page must repeat (core/baking.py), CSP's directives sorted."""
    from newscast.core.baking import NOT_REPEATED, _canonical

    # nginx's own, for any file: byte ranges, and which copy this was.
    own = {"accept-ranges", "x-cache"}
    return {
        name.lower(): _canonical(name, value)
        for name, value in headers.items()
        if name.lower() not in NOT_REPEATED | own
    }


def test_a_baked_page_is_the_page_with_the_headers_django_gives_it(edge, make_story, live_server):
    story = make_story()  # its publish refreshed it, and baked it
    status, baked, body = get(edge, story.url)
    assert (status, baked["X-Cache"]) == (200, "BAKED")
    django_headers, django_body = direct(live_server, story.url)
    assert body == django_body
    assert baked["Content-Type"] == django_headers["Content-Type"]

    # Every header Django sets that a file cannot carry by itself, nginx adds the same.
    assert repeated(baked) == repeated(django_headers)
    assert {"Cookie", "Accept-Encoding"} <= vary_of(edge, story.url)
    _, zipped, zipped_body = get(edge, story.url, GZIP)
    assert (zipped["X-Cache"], zipped["Content-Encoding"], zipped_body) == ("BAKED", "gzip", body)


def vary_of(config, path: str) -> set[str]:
    """Every Vary line nginx sent for a page, as one set."""
    connection = http.client.HTTPConnection("127.0.0.1", config.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
        lines = response.msg.get_all("Vary") or []
    finally:
        connection.close()
    return {part.strip() for line in lines for part in line.split(",")}


def test_only_a_plain_read_gets_the_baked_file(edge, make_story):
    story = make_story()
    assert get(edge, story.url)[1]["X-Cache"] == "BAKED"
    assert get(edge, story.url + "?utm_source=feed")[1]["X-Cache"] in {"MISS", "HIT"}
    editor = get(edge, story.url, {"Cookie": "sessionid=an-editor"})[1]
    assert editor["X-Cache"] == "BYPASS"
    connection = http.client.HTTPConnection("127.0.0.1", edge.port, timeout=10)
    connection.request("POST", story.url, body=b"", headers={"Host": HOST})
    answer = connection.getresponse()
    answer.read()
    connection.close()
    assert answer.getheader("X-Cache") != "BAKED"  # forms and the like reach Django


def within_the_promise(config, path: str, shown, headers=None) -> tuple[int, dict, bytes]:
    """GET the page until shown(status, headers, body), for up to PROMISE_SECONDS (nginx
    looks at an open file again every second); the last answer."""
    deadline = time.monotonic() + PROMISE_SECONDS
    while True:
        answer = get(config, path, headers)
        if shown(*answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


def test_an_unpublished_story_loses_its_baked_file(edge, make_story):
    story = make_story()
    assert get(edge, story.url)[1]["X-Cache"] == "BAKED"
    url = story.url
    story.unpublish()
    for headers in ({}, GZIP):
        assert within_the_promise(edge, url, lambda status, *_: status == 404, headers)[0] == 404


def test_a_feed_is_refreshed_but_never_baked(edge, make_story):
    make_story()
    status, headers, _ = get(edge, "/feeds/rss/")
    assert status == 200 and headers["X-Cache"] == "HIT"
    assert "xml" in headers["Content-Type"]


def test_a_page_whose_headers_changed_is_not_baked_and_shows_its_change(edge, make_story, settings):
    """nginx's configuration holds the headers it adds; a page that now has others (here a
    changed setting, as a banner waiting to start shortens a page's life) must not be served
    from a file with the old ones, nor from a file baked before the change."""
    story = make_story()
    assert get(edge, story.url)[1]["X-Cache"] == "BAKED"
    settings.X_FRAME_OPTIONS = "DENY" if settings.X_FRAME_OPTIONS != "DENY" else "SAMEORIGIN"
    story.title = "Tupelo council moves splash pad to Ballard Park"
    story.save_revision().publish()
    _, headers, body = within_the_promise(edge, story.url, lambda _, h, b: b"Ballard" in b)
    assert headers["X-Cache"] == "HIT" and b"Ballard Park" in body
    assert headers["X-Frame-Options"] == settings.X_FRAME_OPTIONS


def test_a_file_baked_ten_minutes_ago_is_no_longer_served(edge, make_story):
    """Files live in a folder named for nginx's 10 minutes: one that no refresh replaced
    stops being served when they end, as a cached copy expires."""
    story = make_story()
    assert get(edge, story.url)[1]["X-Cache"] == "BAKED"
    baked = edge.run_dir / BAKED_FOLDER
    (current,) = list(baked.iterdir())
    current.rename(baked / "2000-01-01T00:0")  # as if the 10 minutes had passed
    _, headers, _ = within_the_promise(edge, story.url, lambda _, h, b: h["X-Cache"] != "BAKED")
    assert headers["X-Cache"] == "HIT"


def test_the_ten_minute_job_bakes_the_front_again_for_its_new_ten_minutes(edge, make_story):
    make_story()  # its publish baked the home page too
    for headers in ({}, GZIP):
        assert get(edge, "/", headers)[1]["X-Cache"] == "BAKED"
    baked = edge.run_dir / BAKED_FOLDER
    (current,) = list(baked.iterdir())
    current.rename(baked / "2000-01-01T00:0")  # as if the 10 minutes had passed
    _, headers, _ = within_the_promise(edge, "/", lambda _, h, b: h["X-Cache"] != "BAKED")
    assert headers["X-Cache"] == "HIT"  # the cache copy, until the job
    edge_rebake_front.call_local()
    for headers in ({}, GZIP):
        answer = within_the_promise(edge, "/", lambda _, h, b: h["X-Cache"] == "BAKED", headers)
        assert answer[1]["X-Cache"] == "BAKED", headers


def test_a_story_carries_the_digest_of_the_headers_edge_headers_prints(client, make_story):
    """Without nginx: the page Django renders and the command an operator runs agree."""
    from newscast.core.baking import BAKE_HEADER

    story = make_story()
    assert client.get(story.url)[BAKE_HEADER] == baked_headers().digest
