"""`newscast check --deploy` lists what a launch still lacks, each with its fix."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from newscast.core.selectors import station_for_default_site
from newscast.home.checks import launch_checklist

pytestmark = pytest.mark.django_db


def ids() -> list[str]:
    return [warning.id for warning in launch_checklist()]


def test_a_bare_install_lacks_everything(db):
    station = station_for_default_site()
    assert not station.covered_states.exists()
    assert ids() == ["newscast.W001", "newscast.W002", "newscast.W003", "newscast.W004"]
    hints = " ".join(warning.hint for warning in launch_checklist())
    assert "newscast station set covered_states" in hints
    assert "newscast station set weather_cities" in hints
    assert "newscast station set logo" in hints
    assert "Editors group" in hints


def test_each_fix_clears_its_warning(station, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    # The demo station has states and cities, no logo and no editors.
    assert ids() == ["newscast.W003", "newscast.W004"]
    station.logo = get_image_model().objects.create(title="logo", file=get_test_image_file())
    station.save()
    assert ids() == ["newscast.W004"]
    editor = User.objects.create_user("ed", password="x" * 12)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert ids() == []
    editor.is_active = False
    editor.save()
    assert ids() == ["newscast.W004"]


def test_the_checklist_runs_with_check_deploy_only(db, capsys):
    call_command("check")
    assert "newscast.W001" not in capsys.readouterr().out
    call_command("check", "--deploy", "--tag", "station")
    err = capsys.readouterr().err
    assert "newscast.W001" in err and "HINT: newscast station set covered_states" in err
