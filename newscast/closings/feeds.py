"""RSS 2.0 of today's and tomorrow's closings and delays (Django's syndication framework)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed

from newscast.closings import selectors
from newscast.core.timefmt import station_date


class ClosingsFeed(Feed):
    """One item per organization and day; a changed status is a new item (new guid)."""

    title = "Closings and delays"
    link = "/closings/"
    description = "Schools, offices, churches and businesses closed or delayed today and tomorrow."

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def items(self, obj):
        board = selectors.board_for(self.request)
        return [(day, entry) for day in board.days for entry in day.entries]

    def item_title(self, item):
        day, entry = item
        return f"{entry.name}: {entry.status_text} ({station_date(day.date)})"

    def item_description(self, item):
        day, entry = item
        place = f"{entry.county} County, {entry.state}. {entry.kind_label}."
        sample = "Sample data (fictional organization). " if entry.is_sample else ""
        return f"{sample}{place} {entry.note}".strip()

    def item_link(self, item):
        day, entry = item
        return f"/closings/#status-{entry.status_id}"

    def item_guid(self, item):
        day, entry = item
        return f"closings:{entry.status_id}:{entry.updated_at.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[1].updated_at

    def item_categories(self, item):
        return [item[1].county, item[1].status_text]
