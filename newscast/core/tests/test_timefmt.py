from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from newscast.core.timefmt import station_date, station_datetime


def test_formats_like_the_seed_page_in_station_time():
    # 13:00 UTC on Jan 8, 2020 is 7:00 AM in Tupelo (CST, UTC-6).
    moment = datetime(2020, 1, 8, 13, 0, tzinfo=UTC)
    with timezone.override(ZoneInfo("America/Chicago")):
        assert station_datetime(moment) == "Jan 8, 2020 7:00 AM"
        assert station_date(moment) == "Jan 8, 2020"


def test_afternoon_and_daylight_time():
    moment = datetime(2020, 7, 4, 21, 5, tzinfo=UTC)  # CDT, UTC-5
    with timezone.override(ZoneInfo("America/Chicago")):
        assert station_datetime(moment) == "Jul 4, 2020 4:05 PM"


def test_none_is_blank():
    assert station_datetime(None) == ""
