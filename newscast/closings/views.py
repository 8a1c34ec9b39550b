"""Public pages of the closings desk: the board, its RSS feed and JSON API, and the
organizations' own form. Reads go through selectors; the form writes through services."""

from __future__ import annotations

import json
import logging

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from newscast.closings import selectors, services
from newscast.closings.forms import SelfServiceForm
from newscast.closings.models import OrganizationKind

logger = logging.getLogger("newscast.closings")


def _filters(request, board) -> dict:
    """The reader's filter, with values that are not on the board ignored."""
    county = request.GET.get("county", "")
    county_ids = {county_id for county_id, _ in board.counties}
    kind = request.GET.get("kind", "")
    return {
        "text": request.GET.get("q", "")[:100],
        "county": int(county) if county.isdigit() and int(county) in county_ids else None,
        "kind": kind if kind in OrganizationKind.values else "",
    }


@require_GET
def board(request):
    """/closings/: today's and tomorrow's statuses by county, then name, with a filter."""
    full = selectors.board_for(request)
    filters = _filters(request, full)
    is_filtered = bool(filters["text"] or filters["county"] or filters["kind"])
    shown = selectors.board_filter(full, **filters) if is_filtered else full
    context = {"board": shown, "full": full, "filters": filters, "is_filtered": is_filtered,
               "kinds": OrganizationKind.choices}  # fmt: skip
    if is_filtered:
        lists = render_to_string("closings/includes/board_days.html", context, request)
    else:
        # The unfiltered lists are the same for every reader until the version moves.
        key = f"closings:board-html:{full.version}:{full.days[0].date}:{request.get_host()}"
        lists = cache.get(key)
        if lists is None:
            lists = render_to_string("closings/includes/board_days.html", context, request)
            cache.set(key, lists, selectors.BOARD_CACHE_SECONDS)
    return render(request, "closings/board.html", {**context, "lists": lists})


def _api_entry(entry: selectors.BoardEntry) -> dict:
    return {
        "organization": entry.name,
        "organization_kind": entry.kind,
        "county": entry.county,
        "state": entry.state,
        "status": entry.status,
        "status_text": entry.status_text,
        "delay_minutes": entry.delay_minutes,
        "note": entry.note,
        "updated_at": entry.updated_at.isoformat(),
        "sample": entry.is_sample,
    }


@require_GET
def api(request):
    """/api/v1/closings/: today's and tomorrow's statuses as JSON (cached by version)."""
    full = selectors.board_for(request)
    key = f"closings:api:{full.version}:{full.days[0].date}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(
            {
                "last_updated": full.last_updated.isoformat() if full.last_updated else None,
                "counted": full.counted,
                "counted_rule": "closed, delayed, early dismissal and remote statuses; "
                "open/normal schedule is listed but not counted",
                "days": [
                    {
                        "date": day.date.isoformat(),
                        "counted": day.counted,
                        "statuses": [_api_entry(entry) for entry in day.entries],
                    }
                    for day in full.days
                ],
            }
        )
        cache.set(key, body, selectors.BOARD_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json")


@require_http_methods(["GET", "POST"])
def report(request):
    """/closings/report/: an organization sets its own status with its number and PIN."""
    answer = None
    form = SelfServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")
        try:
            answer = services.form_submit(
                address=address,
                code=data["code"],
                pin=data["pin"],
                day=data["day"],
                kind=data["kind"],
                delay_minutes=data["delay_minutes"],
                note=data["note"],
            )
        except services.StatusRefused as exc:
            form.add_error(None, str(exc))
        else:
            logger.info(
                "closings form from %s: %s", address, "accepted" if answer.accepted else "refused"
            )
            if answer.accepted:
                form = SelfServiceForm()
    status = 429 if answer and answer.message == services.LIMITED else 200
    return render(
        request, "closings/report.html", {"form": form, "answer": answer, "now": timezone.now()},
        status=status,
    )  # fmt: skip
