"""Admin: datasets are edited as snippets (with "Load now"); load records are read-only."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newscast.datadesk.admin_views import load_now
from newscast.datadesk.models import Dataset, LoadRun


class DatasetViewSet(SnippetViewSet):
    model = Dataset
    icon = "table"
    menu_label = "Datasets"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "source_format", "nightly", "load_hour", "is_sample"]
    search_fields = ["name", "slug"]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Load records are written by loads only; editors may look, never add or change."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return user.is_active and (user.is_superuser or user.has_perm("datadesk.view_loadrun"))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class LoadRunViewSet(ModelViewSet):
    model = LoadRun
    icon = "history"
    menu_label = "Data loads"
    menu_order = 301
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = [
        "dataset",
        "started",
        "status",
        "source_name",
        "rows_read",
        "rows_added",
        "rows_changed",
        "rows_rejected",
        "rows_revised_down",
        "warnings_count",
        "duration_seconds",
        "reason",
    ]
    list_filter = ["dataset", "outcome"]
    inspect_view_fields = [
        "dataset",
        "source",
        "source_format",
        "checksum",
        "queued_at",
        "started_at",
        "finished_at",
        "duration",
        "outcome",
        "message",
        "first_date",
        "last_date",
        "rows_read",
        "rows_skipped",
        "rows_added",
        "rows_changed",
        "rows_unchanged",
        "rows_rejected",
        "rows_revised_down",
        "rejection_counts",
        "rejections",
        "warning_counts",
        "warnings",
        "corrections",
        "host",
        "pid",
    ]
    panels = [FieldPanel("message")]


register_permission_policy(LoadRun, ReadOnlyPolicy(LoadRun))
register_snippet(DatasetViewSet)


@hooks.register("register_admin_urls")
def register_load_now_url():
    return [path("datadesk/datasets/<int:pk>/load/", load_now, name="datadesk_load_now")]


@hooks.register("register_snippet_listing_buttons")
def load_now_button(snippet, user, next_url=None):
    if isinstance(snippet, Dataset) and user.has_perm("datadesk.change_dataset"):
        yield Button(
            "Load now",
            url=reverse("datadesk_load_now", args=[snippet.pk]),
            icon_name="download",
            priority=90,
        )


@hooks.register("register_admin_viewset")
def register_load_runs():
    return LoadRunViewSet("datadesk_loads")
