"""Admin screen for the jobs worker: what ran, when, and how it ended (read-only)."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from newscast.core.models import JobRun


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Job records are written by the worker only; editors may look, not change."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return user.is_active and (user.is_superuser or super().user_has_permission(user, "view"))


register_permission_policy(JobRun, ReadOnlyPolicy(JobRun))


class JobRunViewSet(ModelViewSet):
    model = JobRun
    icon = "time"
    menu_label = "Scheduled jobs"
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["job", "slot", "outcome", "finished_at", "summary", "worker"]
    list_filter = ["job", "outcome"]
    inspect_view_enabled = True
    form_fields = ["job"]


@hooks.register("register_admin_viewset")
def register_job_runs():
    return JobRunViewSet("job_runs")
