"""Wire desk admin screens: the queue of wire items and the feed's poll-now action."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newscast.core.queue import job_enqueue
from newscast.wire.models import WireFeed, WireItem
from newscast.wire.selectors import (
    QUEUE_PAGE_SIZE,
    feed_list,
    item_with_feed,
    queue_counts,
    queue_items,
)
from newscast.wire.services.queue import WireError, item_hold, item_kill, item_publish
from newscast.wire.tasks import wire_poll_feed

CAN_DECIDE = "wire.change_wireitem"


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
    feed = get_object_or_404(WireFeed, pk=pk)
    instead = f'run `newscast wire poll --feed "{feed.name}"` on the server'
    if job_enqueue(request, wire_poll_feed, feed.pk, instead=instead):
        messages.success(request, f"{feed.name}: poll requested. Its status shows the outcome.")
    return redirect(reverse("wire_feed:edit", args=[feed.pk]))
