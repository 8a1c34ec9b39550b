"""Drill: an editor publishes a change -> readers see it through nginx's cache within 5 s.

Publishes a new title for a story (a Wagtail revision, as the admin does) and times how long
until nginx serves it: once while a crowd reads the story (20 requests a second), once after
the story sat unread (a reader every half second arrives after the publish). Story pages are
kept at the edge for 10 minutes, so what is timed is the purge: queued at the commit, run by
the stack's worker against nginx's purge listener (docs/decisions/stack-purge-on-publish.md).
The promise is under 5 seconds in both.

    .venv/bin/python bench/drills/freshness.py [--rounds 3]
"""

import argparse
import sys
import threading
import time

from common import drill_stack, get, load_demo_content, verdict

PROMISE_SECONDS = 5
PUBLISH = """
import time
from wagtail.models import Page
page = Page.objects.get(url_path__endswith={slug_path!r}).specific
page.title = {title!r}
page.save_revision().publish()
print(f"published-at {{time.time()}}")
"""


def publish(stack, slug_path: str, title: str) -> float:
    out = stack.run_newscast(
        "shell", "--no-imports", "-c", PUBLISH.format(slug_path=slug_path, title=title),
        capture=True,
    )  # fmt: skip
    return float(out.split("published-at ")[-1].split()[0])


def seconds_until_visible(stack, base, story, slug_path, title, every) -> float:
    """Publish the title while a reader polls every `every` s; seconds until it saw it."""
    seen = []

    def watch():
        started = time.time()
        while not seen and time.time() - started < 60:
            if title.encode() in get(base, story)[1]:
                seen.append(time.time())
            time.sleep(every)

    watcher = threading.Thread(target=watch)
    watcher.start()
    published_at = publish(stack, slug_path, title)
    watcher.join()
    return seen[0] - published_at if seen else float("inf")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    stack = drill_stack("freshness")
    crowd_delays, quiet_delays = [], []
    with stack:
        story = load_demo_content(stack)
        base = stack.config.base_url
        slug_path = "/" + story.strip("/").split("/")[-1] + "/"
        for round_number in range(args.rounds):
            # A crowd on the story while the editor publishes.
            stop = threading.Event()

            def crowd(stop=stop):
                while not stop.is_set():
                    get(base, story)
                    time.sleep(0.05)

            readers = [threading.Thread(target=crowd) for _ in range(2)]
            for thread in readers:
                thread.start()
            time.sleep(2)
            title = f"Crowd round {round_number}: county road reopens after storm cleanup"
            crowd_delays.append(seconds_until_visible(stack, base, story, slug_path, title, 0.1))
            stop.set()
            for thread in readers:
                thread.join()

            # Nobody reads it for a while; then a reader every half second.
            time.sleep(8)
            title = f"Quiet round {round_number}: library extends weekend hours"
            quiet_delays.append(seconds_until_visible(stack, base, story, slug_path, title, 0.5))

    worst = max(crowd_delays + quiet_delays)
    details = (
        "  seconds from publish to readers seeing it through nginx:\n"
        f"    under a crowd: {', '.join(f'{d:.2f}' for d in crowd_delays)}\n"
        f"    after a quiet spell: {', '.join(f'{d:.2f}' for d in quiet_delays)}\n"
        f"  worst: {worst:.2f} s (promise: under {PROMISE_SECONDS} s)"
    )
    return verdict("Freshness", worst < PROMISE_SECONDS, details)


if __name__ == "__main__":
    sys.exit(main())
