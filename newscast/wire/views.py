"""Wire desk views: the admin's queue and poll-now action, and the demo's sample feeds."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import condition, require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newscast.core.queue import job_enqueue
from newscast.core.sanitize import clean_story_html
from newscast.wire.content import plain
from newscast.wire.models import WireFeed, WireItem
from newscast.wire.parse import parse_feed
from newscast.wire.selectors import (
    QUEUE_PAGE_SIZE,
    feed_list,
    item_with_feed,
    queue_counts,
    queue_items,
    sample_first_seen,
)
from newscast.wire.services import WireError, item_hold, item_kill, item_publish

SAMPLE_DIR = Path(__file__).parent / "sample"
SAMPLE_NAME = re.compile(r"^[a-z0-9-]+\.(xml|json|jpg)$")
SAMPLE_TYPES = {
    "xml": "application/rss+xml; charset=utf-8",
    "json": "application/json",
    "jpg": "image/jpeg",
}
SAMPLE_SECOND_EDITION_AFTER = timedelta(minutes=5)
SAMPLE_STORIES_FEED = "newscast-sample-wire.xml"
CAN_DECIDE = "wire.change_wireitem"


# --- Admin: the wire queue -------------------------------------------------------------


class QueueView(WagtailAdminTemplateMixin, TemplateView):
    """Incoming items by feed and status, with publish, hold and kill for each."""

    template_name = "wire/admin/queue.html"
    page_title = "Wire queue"
    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed_id = self.request.GET.get("feed", "")
        feed_id = int(feed_id) if feed_id.isdigit() else None
        status = self.request.GET.get("status", "")
        items = queue_items(feed_id=feed_id, status=status)
        page = Paginator(items, QUEUE_PAGE_SIZE).get_page(self.request.GET.get("p"))
        counts = queue_counts()
        context.update(
            page=page,
            feeds=feed_list(),
            feed_id=feed_id,
            status=status,
            statuses=[
                (value, label, counts.get(value, 0)) for value, label in WireItem.Status.choices
            ],
            total=sum(counts.values()),
        )
        return context


queue = permission_required(CAN_DECIDE)(QueueView.as_view())

QUEUE_ACTIONS = {
    "publish": (item_publish, "Published"),
    "hold": (item_hold, "Held"),
    "kill": (item_kill, "Killed"),
}


@require_POST
@permission_required(CAN_DECIDE)
def queue_action(request, pk: int, action: str):
    """Run one editor decision on one item, then go back to the queue where the editor was."""
    if action not in QUEUE_ACTIONS:
        raise Http404("No such wire queue action")
    item = item_with_feed(pk)
    if item is None:
        raise Http404("No such wire item")
    service, done = QUEUE_ACTIONS[action]
    kwargs = {"reason": request.POST.get("reason", "").strip()} if action == "kill" else {}
    try:
        service(item, user=request.user, **kwargs)
    except WireError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{done}: {item.headline}")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/admin/") else reverse("wire_queue"))


@require_POST
@permission_required("wire.change_wirefeed")
def feed_poll_now(request, pk: int):
    """Ask the jobs worker to poll one feed now (the admin request never waits on a feed)."""
    from newscast.wire.tasks import wire_poll_feed

    feed = get_object_or_404(WireFeed, pk=pk)
    instead = f'run `newscast wire poll --feed "{feed.name}"` on the server'
    if job_enqueue(request, wire_poll_feed, feed.pk, instead=instead):
        messages.success(request, f"{feed.name}: poll requested. Its status shows the outcome.")
    return redirect(reverse("wire_feed:edit", args=[feed.pk]))


# --- Public: sample feeds for the demo -------------------------------------------------


def _sample_path(name: str) -> Path:
    if not SAMPLE_NAME.match(name) or not (SAMPLE_DIR / name).is_file():
        raise Http404("No such sample feed")
    return SAMPLE_DIR / name


def _sample_edition(path: Path) -> Path:
    """The second edition (name.2.xml) once the desk has followed the feed for a while.

    That is how the demo shows, by itself, an update ("Updated" with a note) and a
    withdrawal arriving on the wire some minutes after the first stories.
    """
    second = path.with_name(f"{path.stem}.2{path.suffix}")
    if not second.is_file():
        return path
    first_seen = sample_first_seen(path.name)
    if first_seen and timezone.now() - first_seen >= SAMPLE_SECOND_EDITION_AFTER:
        return second
    return path


def _sample_content(request, name: str) -> bytes:
    path = _sample_path(name)
    if path.suffix == ".jpg":
        return path.read_bytes()
    base = request.build_absolute_uri("/").rstrip("/")
    return _sample_edition(path).read_bytes().replace(b"SAMPLE_BASE_URL", base.encode())


def _sample_etag(request, name: str) -> str:
    return hashlib.sha256(_sample_content(request, name)).hexdigest()[:16]


@condition(etag_func=_sample_etag)
def sample_feed(request, name: str):
    """A sample wire feed (or its picture) shipped with Newscast; answers 304 to a known ETag."""
    content = _sample_content(request, name)
    return HttpResponse(content, content_type=SAMPLE_TYPES[name.rsplit(".", 1)[1]])


def sample_story(request, slug: str):
    """The sample agency's own page for one of its stories: where "read the original" goes.

    Rendered from the sample feed itself (the edition the feed serves now), so the original
    and the wire copy always agree; labelled as fictional sample copy like the feed.
    """
    feed = parse_feed(_sample_content(request, SAMPLE_STORIES_FEED))
    ending = f"/wire/samples/stories/{slug}"
    entry = next((e for e in feed.entries if e.link.endswith(ending)), None)
    if entry is None:
        raise Http404("No such sample wire story")
    context = {
        "agency": feed.title,
        "headline": plain(entry.headline, 300),
        "byline": plain(entry.byline, 200),
        "published": entry.published or entry.updated,
        "body_html": clean_story_html(entry.body_html or entry.summary_html, entry.link),
        "feed_url": reverse("wire_sample_feed", args=[SAMPLE_STORIES_FEED]),
    }
    return render(request, "wire/sample_story.html", context)
