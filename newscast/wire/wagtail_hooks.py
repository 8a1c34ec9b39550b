"""Admin: a "Wire desk" menu with the feeds (add, edit, status, poll now) and the queue."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, StatusFlagColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from newscast.wire import admin_views
from newscast.wire.models import WireFeed


class WireFeedViewSet(ModelViewSet):
    model = WireFeed
    icon = "rss"
    menu_label = "Feeds"
    url_prefix = "wire/feeds"
    url_namespace = "wire_feed"
    list_display = [
        "name",
        "section",
        "policy",
        StatusFlagColumn("active", true_label="Active", false_label="Paused"),
        Column("last_success_at", label="Last success"),
        Column("items_seen", label="Items"),
        Column("status_line", label="Status"),
    ]
    list_filter = ["active", "policy", "format"]
    search_fields = ["name", "url", "credit_line"]
    search_backend_name = None  # a plain database filter: feeds are few
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "url",
        "format",
        "credit_line",
        "section",
        "default_tags",
        "policy",
        "poll_interval",
        "active",
        "list_in_sitemaps",
        "last_polled_at",
        "last_success_at",
        "items_seen",
        "last_result",
        "last_error",
        "last_error_at",
        "etag",
        "last_modified",
    ]
    edit_template_name = "wire/admin/feed_edit.html"


class WireQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.CAN_DECIDE)


class WireDeskGroup(ViewSetGroup):
    menu_label = "Wire desk"
    menu_icon = "rss"
    menu_order = 260
    items = [WireFeedViewSet]

    def get_submenu_items(self):
        queue = WireQueueMenuItem("Queue", reverse("wire_queue"), icon_name="list-ul", order=200)
        return [*super().get_submenu_items(), queue]


@hooks.register("register_admin_viewset")
def register_wire_viewsets():
    return WireDeskGroup()


@hooks.register("register_admin_urls")
def register_wire_admin_urls():
    return [
        path("wire/queue/", admin_views.queue, name="wire_queue"),
        path(
            "wire/queue/<int:pk>/<str:action>/", admin_views.queue_action, name="wire_queue_action"
        ),
        path("wire/feeds/<int:pk>/poll/", admin_views.feed_poll_now, name="wire_feed_poll"),
    ]
