"""Admin: "Weather desk" status - each city's last report, forecast and problem, the radar,
the alerts in force, the jobs' last runs, and a button to refresh now."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newscast.core.selectors import station_for_default_site
from newscast.weather import selectors
from newscast.weather.services.common import logger
from newscast.weather.services.drill import DRILL_STEPS, alert_drill
from newscast.weather.services.refresh.plan import OBSERVATION_MAX_AGE
from newscast.weather.tasks import weather_alerts_job, weather_refresh_job

CAN_REFRESH = "weather.change_cityweather"
# A drill writes sample alerts that every reader sees on the banner: the Weather group's.
CAN_DRILL = ("weather.add_alertmessage", "weather.change_alertmessage")


class StatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "weather/admin/status.html"
    page_title = "Weather desk"
    header_icon = "site"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        now = timezone.now()
        station = station_for_default_site()
        site = (station.radar_site if station else "").upper()
        cities = selectors.city_weather_list()
        for weather in cities:
            report = weather.report
            weather.report_is_stale = bool(
                report and now - report.observed_at > OBSERVATION_MAX_AGE
            )
        runs = selectors.job_last_runs(("weather_refresh", "weather_alerts", "weather_stations"))
        for run in runs.values():
            if run:
                # The job records "ExceptionName: text"; editors need only the text.
                run.summary_plain = re.sub(r"^[A-Z]\w+: ", "", run.summary or "", count=1)
        return {
            **super().get_context_data(**kwargs),
            "cities": cities,
            "alerts": selectors.alert_list_active(now).all,
            "loop": selectors.radar_loop(site) if site else None,
            "site": site,
            "runs": runs,
            "can_drill": self.request.user.has_perms(CAN_DRILL),
            "drill_steps": DRILL_BUTTONS,
            "sample_alerts": selectors.sample_alert_count(),
        }


status = StatusView.as_view()


@require_POST
@permission_required(CAN_REFRESH)
def refresh_now(request):
    """Queue the weather and alerts jobs for the worker (the admin never waits on the NWS)."""
    weather_refresh_job()
    weather_alerts_job()
    messages.success(request, "Weather refresh requested; the job records below show how it went.")
    return redirect(reverse("weather_admin_status"))


# The drill's steps in the order they happened, as the buttons read.
DRILL_BUTTONS = (
    ("alert", "1. Tornado Warning issued"),
    ("update", "2. Update (Pontotoc cancelled)"),
    ("cancel", "3. Cancel (Lee)"),
    ("clear", "Remove the drill's alerts"),
)


@require_POST
def drill(request):
    """Play one step of the alert drill now (local sample data, no NWS call: it takes well
    under a second, so it runs here rather than on the worker)."""
    if not request.user.has_perms(CAN_DRILL):
        # A plain 403, not Wagtail's redirect to the dashboard: a refused drill must be plain.
        return HttpResponseForbidden("Only the Weather group may run the alert drill.")
    step = request.POST.get("step", "")
    if step not in DRILL_STEPS:
        messages.error(request, "Unknown drill step; nothing was changed.")
    else:
        result = alert_drill(step)
        logger.info("Alert drill %s by %s: %s", step, request.user, result)
        messages.success(request, f"{result} The banner and alerts page show it (as sample).")
    return redirect(reverse("weather_admin_status"))
