"""`newscast closings drill [--pace SECONDS] [--clear]`: play a storm evening onto the board.

Sample organizations only (created first if missing), statuses for tomorrow in station time,
every step through the same services as the newsroom's own entries, so the history, the
header mark, the feeds and the approvals queue all show the drill. `--clear` takes the sample
statuses off the board again (the history keeps them).
"""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from newscast.closings.clock import station_today
from newscast.closings.demo import organizations_ensure
from newscast.closings.drill import STORM_EVENING
from newscast.closings.models import Organization, Status, Via
from newscast.closings.services import StatusRequest, status_remove, status_set


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--pace",
            type=float,
            default=0.0,
            help="Seconds to wait per drill minute (0: play it all at once; 0.5 plays the "
            "40-minute evening in 20 seconds).",
        )
        parser.add_argument("--clear", action="store_true", help="Remove the sample statuses.")

    def handle(self, *args, pace, clear, **options):
        if clear:
            removed = 0
            for status in Status.objects.filter(organization__is_sample=True).select_related(
                "organization"
            ):
                removed += status_remove(status.organization, status.date, via=Via.DRILL)
            self.stdout.write(f"Removed {removed} sample statuses from the board.")
            return
        organizations_ensure()
        by_code = {org.code: org for org in Organization.objects.filter(is_sample=True)}
        tomorrow = station_today() + timedelta(days=1)
        minute = 0
        for step in STORM_EVENING:
            time.sleep(max(0.0, (step.minute - minute) * pace))
            minute = step.minute
            organization = by_code[step.code]
            if step.kind == "remove":
                status_remove(organization, tomorrow, via=step.via)
                self.stdout.write(f"+{step.minute:>2} min  {organization.name}: removed")
                continue
            change = status_set(
                StatusRequest(organization, tomorrow, step.kind, step.delay_minutes, step.note),
                via=step.via,
                hold=step.via == Via.SELF_SERVICE and organization.needs_approval,
            )
            self.stdout.write(
                f"+{step.minute:>2} min  {organization.name}: {change.get_kind_display()} "
                f"({change.get_outcome_display().lower()})"
            )
        count = Status.objects.filter(organization__is_sample=True, date=tomorrow).count()
        self.stdout.write(
            self.style.SUCCESS(f"Drill done: {count} sample statuses for {tomorrow}.")
        )
