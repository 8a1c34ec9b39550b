"""Admin screen for the jobs worker: what ran, when, and how it ended (read-only)."""

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from newscast.core.jobs import JOBS
from newscast.core.models import JobRun


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Job records are written by the worker only; editors may look, not change."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return user.is_active and (user.is_superuser or super().user_has_permission(user, "view"))


register_permission_policy(JobRun, ReadOnlyPolicy(JobRun))


class JobColumn(Column):
    """A column read from the job registry (core.jobs.JOBS) rather than the run's row."""

    def __init__(self, name, label, read):
        super().__init__(name, label=label)
        self.read = read

    def get_value(self, instance):
        job = JOBS.get(instance.job)
        return self.read(job) if job else "not scheduled"


def _fresh_within(job) -> str:
    minutes = int(job.fresh_within.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes >= 120 else f"{minutes} min"


class JobRunViewSet(ModelViewSet):
    model = JobRun
    icon = "time"
    menu_label = "Scheduled jobs"
    add_to_admin_menu = True
    menu_order = 900
    list_display = [
        "job",
        JobColumn("schedule", "Runs", lambda job: job.every),
        JobColumn("fresh_within", "Stale after", _fresh_within),
        "slot",
        "outcome",
        "finished_at",
        "summary",
        "worker",
    ]
    list_filter = ["job", "outcome"]
    inspect_view_enabled = True
    form_fields = ["job"]


@hooks.register("register_admin_viewset")
def register_job_runs():
    return JobRunViewSet("job_runs")


@hooks.register("before_serve_page")
def mark_news_pages_for_the_edge(page, request, serve_args, serve_kwargs):
    # News page classes say `kept_at_edge = True`: kept until purged (core/cachecontrol.py).
    if getattr(page, "kept_at_edge", False):
        request.kept_at_edge = True
