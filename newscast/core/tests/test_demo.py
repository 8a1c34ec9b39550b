import io
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Site

from newscast.core.models import StationSettings


@pytest.mark.django_db
def test_demo_sets_up_the_station_once():
    call_command("demo", no_serve=True, stdout=io.StringIO())
    station = StationSettings.for_site(Site.objects.get(is_default_site=True))
    assert station.covered_state_codes() == ["MS", "AL"]
    assert [c.name for c in station.weather_cities.all()] == [
        "Tupelo",
        "Columbus",
        "Oxford",
        "Starkville",
    ]
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()
    # A second run leaves what is there alone.
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert station.weather_cities.count() == 4


@pytest.mark.django_db
def test_demo_prints_the_admin_login_and_three_things_to_try(monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "Admin: http://127.0.0.1:8000/admin/   user: admin   password: newscast-demo" in text
    assert "Three things to try first:" in text
    assert all(f"\n  {n}. " in text for n in (1, 2, 3))
    assert "newscast weather drill alert" in text and "newscast wire list" in text
    # Once the editor changes the password, the demo no longer prints the old one.
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("a-new-secret-password")
    admin.save()
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert "password: (the one you set)" in out.getvalue()
    assert "newscast-demo" not in out.getvalue()


@pytest.mark.django_db
def test_the_demo_turns_on_its_sample_wire_feeds_before_the_checks_read_the_urls(settings):
    settings.NEWSCAST_WIRE_SAMPLES = False
    seen = {}

    def check_urls(**kwargs):
        seen["samples"] = settings.NEWSCAST_WIRE_SAMPLES
        return []

    with mock.patch("django.core.management.base.checks.run_checks", check_urls):
        call_command("demo", no_serve=True, skip_checks=False, stdout=io.StringIO())
    assert seen == {"samples": True}
