"""The alert drill from the admin's Weather desk: the Weather group plays the same steps as
`newscast weather drill`; anyone without the alert permissions gets 403 and changes nothing."""

import io

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from newscast.weather.models import AlertMessage

from .conftest import SCENARIO_NOW

pytestmark = pytest.mark.django_db

DRILL_AT = SCENARIO_NOW.replace(hour=20)


def _member(name: str | None) -> User:
    user = User.objects.create_user(f"user-{name}".lower(), password="newsroom-test-1")
    if name:
        user.groups.add(Group.objects.get(name=name))
    return User.objects.get(pk=user.pk)


def _in_force():
    return sorted(
        (m.event, m.message_type, m.areas_in_force)
        for m in AlertMessage.objects.filter(in_force=True, is_sample=True)
    )


def test_the_weather_group_plays_the_drill_as_the_command_does(station, client):
    client.force_login(_member("Weather"))
    status = client.get(reverse("weather_admin_status")).content.decode()
    assert "1. Tornado Warning issued" in status
    with time_machine.travel(DRILL_AT, tick=False):
        response = client.post(reverse("weather_admin_drill"), {"step": "alert"}, follow=True)
    assert response.status_code == 200
    assert "Sample alert:" in response.content.decode()
    by_button = _in_force()
    assert ("Tornado Warning", "Alert", "Lee, MS; Pontotoc, MS") in by_button

    AlertMessage.objects.all().delete()
    with time_machine.travel(DRILL_AT, tick=False):
        call_command("weather_drill", "alert", stdout=io.StringIO())
    assert _in_force() == by_button

    with time_machine.travel(DRILL_AT, tick=False):
        client.post(reverse("weather_admin_drill"), {"step": "cancel"})
    assert [a for a in _in_force() if a[0] == "Tornado Warning"] == []
    client.post(reverse("weather_admin_drill"), {"step": "clear"})
    assert not AlertMessage.objects.filter(is_sample=True).exists()


@pytest.mark.parametrize("group", ["Data", "Reporters"])
def test_without_the_alert_permissions_the_drill_is_refused(station, client, group):
    user = _member(group)
    assert user.has_perm("wagtailadmin.access_admin")
    client.force_login(user)
    with time_machine.travel(DRILL_AT, tick=False):
        response = client.post(reverse("weather_admin_drill"), {"step": "alert"})
    assert response.status_code == 403, response.get("Location")
    assert not AlertMessage.objects.exists()
    status = client.get(reverse("weather_admin_status")).content.decode()
    assert "Tornado Warning issued" not in status


def test_an_unknown_step_changes_nothing(station, client):
    client.force_login(_member("Weather"))
    response = client.post(reverse("weather_admin_drill"), {"step": "DROP"}, follow=True)
    assert "Unknown drill step" in response.content.decode()
    assert not AlertMessage.objects.exists()
