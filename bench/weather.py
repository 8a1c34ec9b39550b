"""Weather desk benchmark: refresh 50 cities from a replay server that waits 200 ms on every
request, then measure what the weather block costs a page.

    .venv/bin/python bench/weather.py [--cities 50] [--latency 0.2] [--renders 200]

A local threaded HTTP server answers like api.weather.gov with the recorded Tupelo answers
(each city gets its own grid cell and station, so nothing is shared), after `--latency`
seconds. On a temporary SQLite database it reports:

  first    a station's very first refresh: /points and station list per city, then
           report + 2 forecasts (no goal: it happens once)
  cold     the first refresh of a day: every grid resolved yesterday (over RESOLVE_MAX_AGE),
           every forecast expired; grids are kept for days and RESOLVES_PER_RUN cities
           resolve again per run (goal < 5 s)
  warm     the 10-minute job ten minutes on: forecasts within the Cache-Control lifetime NWS
           gave them (883 s, 1062 s), so only the reports (and due grids, in the run's spare
           room) are asked (goal < 3 s)
  renewed  ten minutes further: forecasts past their lifetime are asked again, the 12-hour
           one with If-Modified-Since (no goal: 150 requests take at least 3.0 s)
  widget   {% weather_widget %}: first render (one query) and cached renders

The replay server sends the Cache-Control and Last-Modified headers NWS sends (see
Replay.lifetime) and answers If-Modified-Since with 304.
NWS_MAX_CONNECTIONS (default 10) bounds the requests in flight, as NWS asks of clients; at
10 in flight and 200 ms a request, 150 requests (report + 2 forecasts for 50 cities) take at
least 3.0 s.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "newscast" / "weather" / "sample" / "tupelo"
RECORDED_AT = datetime(2025, 10, 15, 15, 58, tzinfo=UTC)


class Replay(BaseHTTPRequestHandler):
    """Answers /points, station lists, forecasts and latest reports for synthetic cities."""

    latency = 0.2
    files: dict[str, str] = {}
    requests = None  # a multiprocessing.Value shared with the benchmark

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        with Replay.requests.get_lock():
            Replay.requests.value += 1
        time.sleep(self.latency)
        body = self.answer(self.path)
        cache_control, last_modified = self.lifetime(self.path)
        if body and last_modified and self.headers.get("If-Modified-Since") == last_modified:
            self.send_response(304)
            self.send_header("Cache-Control", cache_control)
            self.end_headers()
            return
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Cache-Control", cache_control)
        if last_modified:
            self.send_header("Last-Modified", last_modified)
        payload = (body or '{"title": "Not Found", "status": 404}').encode()
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    @staticmethod
    def lifetime(path: str) -> tuple[str, str]:
        """(Cache-Control, Last-Modified) as NWS sends them (FACTS.md section 9, the recorded
        header sets): the 12-hour forecast 883 s, the hourly 1062 s, a latest report 300 s,
        /points and station lists a day. Forecasts have not changed since the recording."""
        if path.endswith("/forecast"):
            return "public, max-age=883, s-maxage=3600", "Wed, 15 Oct 2025 14:52:30 GMT"
        if path.endswith("/forecast/hourly"):
            return "public, max-age=1062, s-maxage=3600", "Wed, 15 Oct 2025 14:52:30 GMT"
        if path.endswith("/observations/latest"):
            return "public, max-age=300, s-maxage=300", ""
        return "public, max-age=86400, s-maxage=86400", ""

    def answer(self, path: str) -> str | None:
        if match := re.fullmatch(r"/points/([-\d.]+),([-\d.]+)", path):
            n = int(round((float(match[1]) - 30) * 1000))
            return self.files["points"].replace("MEG/92,29", f"MEG/{n},{n}")
        if match := re.fullmatch(r"/gridpoints/MEG/(\d+),\d+/stations", path):
            return self.files["stations"].replace('"KTUP"', f'"K{int(match[1]):03d}"')
        if re.fullmatch(r"/gridpoints/MEG/\d+,\d+/forecast", path):
            return self.files["forecast"]
        if re.fullmatch(r"/gridpoints/MEG/\d+,\d+/forecast/hourly", path):
            return self.files["forecast_hourly"]
        if match := re.fullmatch(r"/stations/(K\d{3})/observations/latest", path):
            return self.files["observation_latest"].replace('"KTUP"', f'"{match[1]}"')
        return None


def serve(files: dict, latency: float, requests, ports) -> None:
    """The replay server, in its own process so it does not compete for our GIL."""
    Replay.files, Replay.latency, Replay.requests = files, latency, requests
    ThreadingHTTPServer.request_queue_size = 128  # never the bottleneck
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    server.daemon_threads = True
    ports.put(server.server_address[1])
    server.serve_forever()


def setup(args, data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["NEWSCAST_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_station(cities: int) -> None:
    from decimal import Decimal

    from newscast.core.selectors import station_for_default_site as station_settings
    from newscast.home import demo as home_demo

    home_demo.load(io.StringIO())
    station = station_settings()
    station.weather_cities.all().delete()
    for n in range(cities):
        station.weather_cities.create(
            name=f"City {n + 1}",
            state="MS",
            latitude=Decimal("30") + Decimal(n + 1) / 1000,
            longitude=Decimal("-88.7034"),
            sort_order=n,
        )
    station.save()  # a ClusterableModel keeps child rows in memory until saved


def timed(label: str, func, requests, goal: float | None = None, **kwargs):
    before = requests.value
    started, cpu = time.perf_counter(), time.process_time()
    report = func(**kwargs)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    verdict = ""
    if goal is not None:
        verdict = f"  goal < {goal:.0f} s: {'met' if wall < goal else 'NOT met'}"
    print(
        f"{label:7} {wall:6.2f} s wall, {cpu:5.2f} s CPU  {requests.value - before:4d} requests  "
        f"{report.reports_stored} reports, {report.forecasts_stored} forecasts, "
        f"{len(report.errors)} problems{verdict}"
    )
    return wall


def next_day() -> None:
    """As at the first run of a day: every grid resolved over RESOLVE_MAX_AGE ago, every
    forecast past its Cache-Control lifetime and issued anew."""
    from django.utils import timezone

    from newscast.weather.models import CityWeather
    from newscast.weather.services.refresh.plan import RESOLVE_MAX_AGE

    now = timezone.now()
    CityWeather.objects.update(
        resolved_at=now - RESOLVE_MAX_AGE - timedelta(hours=1),
        forecast_expires_at=now - timedelta(minutes=1),
        hourly_expires_at=now - timedelta(minutes=1),
        forecast_last_modified="",  # a new day's forecast: a whole answer, not a 304
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newscast-weather-bench-") as tmp:
        setup(args, Path(tmp))
        from django.conf import settings
        from django.core.cache import cache
        from django.db import connection
        from django.template import Context, Template
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from newscast.weather.demo import shift_times
        from newscast.weather.services import weather_refresh

        now = timezone.now()
        files = {
            path.stem: shift_times(json.dumps(json.loads(path.read_text())), now - RECORDED_AT)
            for path in SAMPLE.glob("*.json")
        }
        requests, ports = multiprocessing.Value("i", 0), multiprocessing.Queue()
        server = multiprocessing.Process(
            target=serve, args=(files, args.latency, requests, ports), daemon=True
        )
        server.start()
        settings.NWS_BASE_URL = f"http://127.0.0.1:{ports.get(timeout=30)}"
        load_station(args.cities)

        print(
            f"Weather refresh: {args.cities} cities, {args.latency * 1000:.0f} ms per request, "
            f"{settings.NWS_MAX_CONNECTIONS} in flight"
        )
        timed("first", weather_refresh, requests)
        next_day()
        timed("cold", weather_refresh, requests, goal=5.0)
        # The 10-minute job ten minutes on: forecasts within the lifetime NWS gave them,
        # reports asked again, due grids resolved again in the run's spare room.
        later = timezone.now() + timedelta(minutes=10)
        timed("warm", weather_refresh, requests, goal=3.0, now=later)
        # Ten minutes further, the forecasts are past their lifetime: asked again, with
        # If-Modified-Since for the 12-hour one (unchanged here: 304).
        timed("renewed", weather_refresh, requests, now=later + timedelta(minutes=10))

        widget = Template("{% load weather_tags %}{% weather_widget %}")
        widget.render(Context({}))  # load URLconf and templates once, as a running site has
        fresh = []
        for _ in range(20):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                html = widget.render(Context({}))
                fresh.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(args.renders):
            widget.render(Context({}))
        cached = (time.perf_counter() - started) / args.renders
        print(
            f"widget  uncached {sorted(fresh)[len(fresh) // 2] * 1000:.1f} ms median "
            f"({len(queries)} queries, {args.cities} cities, {len(html):,} bytes); "
            f"cached {cached * 1000:.3f} ms (mean of {args.renders})"
        )
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
