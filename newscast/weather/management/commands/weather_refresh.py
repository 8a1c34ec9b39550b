"""`newscast weather refresh`: what the worker does every few minutes, by hand."""

from django.conf import settings
from django.core.management.base import CommandError

from newscast.core.commandline import LockAwareCommand
from newscast.core.http import FetchError
from newscast.weather.services import alerts_refresh, radar_refresh, weather_refresh
from newscast.weather.services.alerts import AlertsError
from newscast.weather.services.stations import StationListError, map_stations_refresh


class Command(LockAwareCommand):
    # A refresh calls the NWS: report a busy database rather than fetch everything again.
    lock_retries = 0

    help = (
        "Refresh weather from the National Weather Service: each city's grid, latest report "
        "and forecasts, the active alerts and the radar loop. Exits 1 if anything failed "
        "(the last good data stays up)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Ignore the forecasts' cache lifetimes."
        )
        parser.add_argument("--alerts-only", action="store_true", help="Only the alerts.")
        parser.add_argument(
            "--stations",
            action="store_true",
            help="First read the covered states' station list for the temperatures map again "
            "(the worker does it daily).",
        )

    def handle(self, *args, force, alerts_only, stations, **options):
        if not settings.NWS_ENABLED:
            raise CommandError("NWS calls are off: set NWS_ENABLED=true to refresh.")
        problems = []
        if stations:
            try:
                self.stdout.write(map_stations_refresh())
            except StationListError as exc:
                problems.append(str(exc))
                self.stderr.write(f"Station list not refreshed; the last one stays: {exc}")
        if not alerts_only:
            report = weather_refresh(force=force)
            self.stdout.write(report.summary())
            problems.extend(report.errors)
            try:
                self.stdout.write(radar_refresh())
            except FetchError as exc:
                problems.append(f"radar: {exc}")
                self.stderr.write(f"Radar loop not refreshed: {exc}")
        try:
            self.stdout.write(f"Alerts: {alerts_refresh()}")
        except AlertsError as exc:
            problems.append(str(exc))
            self.stderr.write(f"Alerts not refreshed: {exc}")
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s); the last good data stays up. See above."
            )
        self.stdout.write(self.style.SUCCESS("Weather refreshed."))
