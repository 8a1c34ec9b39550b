"""A hostile HTTP server on loopback: the answers an attacker or a broken upstream gives.

Each path plays one trick (the issue-10 adversarial suite): redirects into the machine, a
drip feed, an endless chunked body, a gzip bomb, a huge declared length, a body that must not
be repeated in an error. `hostile_server` runs it in a thread on an ephemeral loopback port.
"""

from __future__ import annotations

import gzip
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# What the made-up names resolve to (names ending .test are reserved, RFC 2606); settings
# point NEWSCAST_FETCH_RESOLVER here with `lab_dns`.
LAB_DNS = {
    "feeds.example.test": ["127.0.0.1"],
    "rebind.example.test": ["93.184.215.14", "127.0.0.1"],
    "metadata.example.test": ["169.254.169.254"],
    "localhost": ["127.0.0.1"],
}
LAB_RESOLVER = "newscast.core.tests.hostile.lab_resolve"
lab_calls: list[str] = []

SECRET_BODY = b"internal-secret-token-4f1c"
DRIP_SECONDS = 0.2  # between bytes
DRIP_BYTES = 40  # so a drip lasts 8 s unless the client gives up first
ENDLESS_CHUNK = b"x" * 65536
# 64 MB of zeros squeezed into about 64 KB.
GZIP_BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
TINY_FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title></channel></rss>'
)


def lab_resolve(host: str, port: int) -> list[str]:
    lab_calls.append(host)
    return LAB_DNS[host]


def lab_dns(settings) -> None:
    """Names resolve through LAB_DNS; only feeds.example.test (loopback) may reach inside."""
    settings.NEWSCAST_FETCH_RESOLVER = LAB_RESOLVER
    settings.NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS = ["feeds.example.test"]
    lab_calls.clear()


def as_lab_host(url: str) -> str:
    """http://127.0.0.1:PORT/path as http://feeds.example.test:PORT/path."""
    return url.replace("://127.0.0.1:", "://feeds.example.test:", 1).replace(
        "://localhost:", "://feeds.example.test:", 1
    )


# The payload corpus: markup an attacker puts in a feed item, a headline or a query.
PAYLOADS = {
    "script": "<script>alert('x')</script>Flood warning",
    "event_handler": '<img src="https://pics.example.com/a.jpg" onerror="alert(1)">',
    "javascript_href": '<a href="javascript:alert(1)">Read more</a>',
    "javascript_href_tab": '<a href="java&#09;script:alert(1)">Read more</a>',
    "data_href": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "javascript_src": '<img src="javascript:alert(1)">',
    "javascript_srcset": '<img srcset="javascript:alert(1) 1x, https://pics.example.com/b.jpg 2x">',
    "data_srcset": '<picture><source srcset="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">'
    "</picture>",
    "javascript_cite": '<blockquote cite="javascript:alert(1)">Quote</blockquote>',
    "svg": '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>',
    "iframe_elsewhere": '<iframe src="https://evil.example.com/"></iframe>',
    "style": "<style>body{background:url(javascript:alert(1))}</style>",
    "bidi": "Tornado \u202ewarning\u202c for \u2066Lee\u2069 County",
}
# Nothing of these may survive cleaning.
FORBIDDEN = (
    "<script",
    "javascript:",
    "onerror",
    "data:",
    "<svg",
    "<style",
    "evil.example.com",
    "\u202e",
    "\u2066",
)


def assert_clean(text: str) -> None:
    """Fail naming the first forbidden piece found in text (lower-cased)."""
    lowered = text.lower()
    found = [piece for piece in FORBIDDEN if piece in lowered]
    assert not found, f"{found} survived in {text[:200]!r}"


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    redirect_targets: dict[str, str] = {}  # path -> Location, set per server

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # the name http.server calls
        path = self.path.split("?", 1)[0]
        trick = getattr(self, "trick_" + path.strip("/").replace("-", "_"), None)
        if path in self.redirect_targets:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            self.answer(302, b"", Location=self.redirect_targets[path].format(base=base))
        elif trick:
            trick()
        else:
            self.answer(404, b"not here")

    def answer(self, status, body, **headers):
        self.send_response(status)
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def trick_feed(self):
        self.answer(200, TINY_FEED, Content_Type="application/rss+xml")

    def trick_secret(self):
        self.answer(200, SECRET_BODY, Content_Type="text/plain")

    def trick_secret_500(self):
        self.answer(500, SECRET_BODY, Content_Type="text/plain")

    def trick_drip(self):
        self.send_response(200)
        self.send_header("Content-Length", str(DRIP_BYTES))
        self.end_headers()
        try:
            for _ in range(DRIP_BYTES):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(DRIP_SECONDS)
        except OSError:
            pass  # the client hung up, as it should

    def trick_endless(self):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(ENDLESS_CHUNK), ENDLESS_CHUNK))
        except OSError:
            pass

    def trick_gzip_bomb(self):
        self.answer(200, GZIP_BOMB, Content_Encoding="gzip", Content_Type="text/csv")

    def trick_huge_length(self):
        self.send_response(200)
        self.send_header("Content-Length", str(50 * 1024**3))
        self.end_headers()
        try:
            self.wfile.write(b"x" * 1024)
        except OSError:
            pass


@contextmanager
def hostile_server(redirects: dict[str, str] | None = None):
    """Yields the server's base URL (http://127.0.0.1:PORT).

    redirects maps a path to a Location; "{base}" in it becomes this server's own base URL.
    """
    handler = type("Handler", (HostileHandler,), {"redirect_targets": dict(redirects or {})})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
