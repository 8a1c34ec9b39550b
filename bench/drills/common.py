"""What the failure drills share: a stack of their own on free loopback ports, and HTTP probes.

Each drill is a script that starts its own stack (own database, own ports, own run folder
under data/drills/), breaks one thing, checks the site, and stops everything it started.
"""

from __future__ import annotations

import http.client
import signal
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from newscast.core.stack import Stack, StackConfig  # noqa: E402

# A drill stopped by SIGTERM (or Ctrl-C, also when started in the background) still stops
# every process its stack started.
signal.signal(signal.SIGTERM, signal.default_int_handler)
signal.signal(signal.SIGINT, signal.default_int_handler)

# Every desk's demo content (idempotent), whether or not `newscast demo` lists it yet.
LOAD_ALL_DEMOS = """
import importlib, pkgutil, sys
import newscast
for app in pkgutil.iter_modules(newscast.__path__):
    try:
        module = importlib.import_module(f"newscast.{app.name}.demo")
    except ModuleNotFoundError:
        continue
    module.load(sys.stdout)
"""
FIND_STORY = """
from wagtail.models import Page
pages = Page.objects.live().filter(depth__gte=3).order_by("-first_published_at")
story = pages.filter(content_type__model="storypage").first() or pages.first()
print(story.url if story else "/")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drill_stack(name: str, **overrides) -> Stack:
    """A stack for one drill: free ports, database newscast_drill_<name>, data/drills/<name>."""
    web_port = free_port()
    config = StackConfig(
        port=free_port(),
        web_port=web_port,
        database_url=f"postgres://postgres@127.0.0.1:5432/newscast_drill_{name}",
        redis_url="redis://127.0.0.1:6379/7",
        run_dir=ROOT / "data" / "drills" / name,
    )
    for key, value in overrides.items():
        setattr(config, key, value)
    return Stack(config, say=lambda message: print(f"# {message}", flush=True))


def load_demo_content(stack: Stack) -> str:
    """Load every desk's demo content; return the path of a story to read."""
    stack.run_newscast("shell", "--no-imports", "-c", LOAD_ALL_DEMOS)
    found = stack.run_newscast("shell", "--no-imports", "-c", FIND_STORY, capture=True)
    return (found.strip().splitlines() or ["/"])[-1]


def get(base: str, path: str, headers: dict | None = None, timeout: float = 5) -> tuple[int, bytes]:
    """One GET on a fresh connection; status 0 when the connection itself failed."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


# A cookie named like Django's session makes nginx skip its cache: Django renders every time.
UNCACHED = {"Cookie": "sessionid=drill-reader-not-logged-in"}


def verdict(name: str, ok: bool, details: str) -> int:
    print(f"\n{name}: {'PASS' if ok else 'FAIL'}\n{details}", flush=True)
    return 0 if ok else 1


def wait_until(probe, timeout: float, interval: float = 0.2) -> float | None:
    """Seconds until probe() was true, or None after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if probe():
            return time.monotonic() - started
        time.sleep(interval)
    return None
