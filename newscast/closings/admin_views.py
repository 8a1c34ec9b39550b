"""Admin: the "Storm desk" screen - the board's counts, submissions waiting for approval,
the quick entry for phoning-in nights, CSV imports, and the latest changes and refusals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newscast.closings import imports, selectors, services
from newscast.closings.forms import (
    CLEAR,
    ImportForm,
    QuickEntryFormSet,
    organization_choice_label,
)
from newscast.closings.models import StatusChange, Via
from newscast.core.middleware import station_time_zone_name
from newscast.core.models import StationSettings

CAN_SET = "closings.change_status"
CAN_IMPORT_ORGANIZATIONS = "closings.add_organization"
RECENT = 25


class DeskView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "closings/admin/desk.html"
    page_title = "Storm desk"
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, formset=None, **kwargs):
        organizations = selectors.organization_list()
        return {
            **super().get_context_data(**kwargs),
            "board": selectors.board_for(self.request),
            "held": selectors.change_list_held(),
            "formset": formset or QuickEntryFormSet(prefix="entry"),
            "choices": [organization_choice_label(org) for org in organizations],
            "import_form": ImportForm(),
            "changes": selectors.change_list_recent(RECENT),
            "refusals": selectors.form_attempt_list_refused(RECENT),
            "time_zone": station_time_zone_name(),
        }


desk = permission_required(CAN_SET)(DeskView.as_view())


@require_POST
@permission_required(CAN_SET)
def quick_entry(request):
    """Apply every filled line. A line that does not read (unknown number, delay without
    minutes) shows the screen again with its error and nothing applied."""
    formset = QuickEntryFormSet(request.POST, prefix="entry")
    if not formset.is_valid():
        messages.error(request, "Some lines need fixing; nothing was applied.")
        view = DeskView()
        view.setup(request)
        return view.get(request, formset=formset)
    applied = removed = 0
    for data in formset.cleaned_data:
        organization = data.get("organization")
        if not organization:
            continue
        if data["kind"] == CLEAR:
            removed += services.status_remove(
                organization, data["day"], via=Via.QUICK_ENTRY, user=request.user
            )
            continue
        request_ = services.StatusRequest(
            organization, data["day"], data["kind"], data["delay_minutes"], data["note"]
        )
        try:
            services.status_set(request_, via=Via.QUICK_ENTRY, user=request.user)
        except services.StatusRefused as exc:
            messages.error(request, f"{organization.name}: {exc}")
            continue
        applied += 1
    messages.success(request, f"{applied} statuses applied, {removed} removed from the board.")
    return redirect(reverse("closings_admin_desk"))


@require_POST
@permission_required(CAN_SET)
def import_csv(request):
    """Import organizations or statuses from an uploaded CSV; report each refused row."""
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose what the file holds and a CSV file.")
        return redirect(reverse("closings_admin_desk"))
    data = form.cleaned_data["file"].read(imports.MAX_IMPORT_BYTES + 1)
    try:
        if form.cleaned_data["what"] == "organizations":
            if not request.user.has_perm(CAN_IMPORT_ORGANIZATIONS):
                raise PermissionDenied
            station = StationSettings.for_request(request)
            report = imports.organizations_import(data, station.covered_state_codes())
        else:
            report = imports.statuses_import(data, user=request.user)
    except imports.ImportRefused as exc:
        messages.error(request, f"Import refused, nothing changed: {exc}")
        return redirect(reverse("closings_admin_desk"))
    level = messages.warning if report.errors else messages.success
    level(request, f"Import: {report.summary()}")
    for line, reason in report.errors[:50]:
        messages.warning(request, f"Line {line}: {reason}")
    return redirect(reverse("closings_admin_desk"))


@require_POST
@permission_required(CAN_SET)
def review(request, pk: int):
    """Approve or reject a submission held for approval."""
    change = get_object_or_404(StatusChange, pk=pk)
    if request.POST.get("decision") == "approve":
        if services.change_approve(change, request.user):
            messages.success(request, f"{change.organization.name}: approved, on the board.")
        else:
            messages.warning(
                request,
                f"{change.organization.name}: not applied - a later change (or the end of its "
                "day) overtook it.",
            )
    else:
        services.change_reject(change, request.user)
        messages.success(request, f"{change.organization.name}: rejected.")
    return redirect(reverse("closings_admin_desk"))
