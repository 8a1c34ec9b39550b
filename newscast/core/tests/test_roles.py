"""The newsroom's roles: what each group can and cannot do, in the admin and on pages."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.permissions import policy_registry

from newscast.core.roles import ROLES

pytestmark = pytest.mark.django_db

GROUPS = ["Editors", "Reporters", "Weather", "Data", "Wire"]


def member(name: str) -> User:
    user = User.objects.create_user(name.lower(), password="newsroom-test-1")
    user.groups.add(Group.objects.get(name=name))
    return User.objects.get(pk=user.pk)  # a fresh object: no cached permissions


def test_the_migration_made_every_group_with_exactly_its_permissions():
    for name in GROUPS:
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(ROLES[name]["model"]), name
        pages = set(group.page_permissions.values_list("permission__codename", flat=True))
        assert pages == set(ROLES[name]["pages"]), name
        media = {
            f"{p.permission.content_type.app_label}.{p.permission.codename}"
            for p in group.collection_permissions.select_related("permission__content_type")
        }
        assert media == set(ROLES[name]["collection"]), name


def page_actions(user, page) -> dict[str, bool]:
    perms = page.permissions_for_user(user)
    return {
        "edit": perms.can_edit(),
        "publish": perms.can_publish(),
        "add": perms.can_add_subpage(),
    }


@pytest.fixture
def story_page(station):
    from wagtail.models import Site

    from newscast.home.demo_newsroom import home_page_ensure
    from newscast.news.models import SectionPage

    home = home_page_ensure(Site.objects.get(is_default_site=True))
    section = SectionPage(title="Local", slug="local")
    home.add_child(instance=section)
    return Page.objects.get(pk=section.pk)


def test_editors_publish_everything(story_page, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    editor = member("Editors")
    assert page_actions(editor, story_page) == {"edit": True, "publish": True, "add": True}
    images = policy_registry.get_by_type(get_image_model())
    theirs = get_image_model().objects.create(
        title="A reporter's", file=get_test_image_file(), uploaded_by_user=member("Reporters")
    )
    assert images.user_has_permission_for_instance(editor, "change", theirs)
    assert images.user_has_permission_for_instance(editor, "delete", theirs)
    assert editor.has_perm("news.change_breakingnewsbanner")
    assert editor.has_perm("wire.change_wireitem")  # the wire queue's publish / hold / kill
    assert editor.has_perm("core.change_stationsettings")
    assert not editor.has_perm("wire.add_wirefeed")  # feeds are the wire desk's
    assert not editor.has_perm("datadesk.add_dataset")
    assert not editor.has_perm("auth.change_user")  # users are the administrators'


def test_reporters_write_and_submit_but_do_not_publish(story_page, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    reporter = member("Reporters")
    assert page_actions(reporter, story_page) == {"edit": True, "publish": False, "add": True}
    assert reporter.has_perm("wagtailadmin.access_admin")
    images = policy_registry.get_by_type(get_image_model())
    theirs = get_image_model().objects.create(
        title="Someone else's", file=get_test_image_file(), uploaded_by_user=member("Editors")
    )
    assert images.user_has_permission(reporter, "add")
    assert images.user_has_permission(reporter, "choose")
    assert not images.user_has_permission_for_instance(reporter, "delete", theirs)
    assert not images.user_has_permission_for_instance(reporter, "change", theirs)
    for perm in ("news.change_breakingnewsbanner", "wire.change_wireitem",
                 "core.change_stationsettings", "weather.change_cityweather"):  # fmt: skip
        assert not reporter.has_perm(perm), perm


def test_desk_groups_cannot_touch_pages(story_page):
    for name in ("Weather", "Data", "Wire"):
        user = member(name)
        assert page_actions(user, story_page) == {"edit": False, "publish": False, "add": False}
        assert user.has_perm("wagtailadmin.access_admin")


def test_weather_runs_the_weather_desk_only(client):
    weather = member("Weather")
    assert weather.has_perm("weather.change_cityweather")  # "refresh now"
    assert weather.has_perm("weather.add_alertmessage")  # the alert drill's messages
    assert not weather.has_perm("datadesk.change_dataset")
    assert not weather.has_perm("wire.change_wireitem")
    client.force_login(weather)
    assert client.get(reverse("weather_admin_status")).status_code == 200
    assert client.get(reverse("wire_queue")).status_code in (302, 403)


def test_data_adds_datasets_and_reads_the_loads(client):
    data = member("Data")
    assert data.has_perm("datadesk.add_dataset") and data.has_perm("datadesk.change_dataset")
    assert data.has_perm("datadesk.view_loadrun")
    assert not data.has_perm("datadesk.delete_dataset")
    assert not data.has_perm("weather.change_cityweather")
    client.force_login(data)
    assert client.get(reverse("wagtailsnippets_datadesk_dataset:add")).status_code == 200
    assert client.get(reverse("datadesk_loads:index")).status_code == 200
    assert client.get(reverse("wire_queue")).status_code in (302, 403)


def test_wire_runs_feeds_and_the_queue(client):
    wire = member("Wire")
    assert wire.has_perm("wire.add_wirefeed") and wire.has_perm("wire.change_wireitem")
    assert not wire.has_perm("datadesk.add_dataset")
    assert not wire.has_perm("news.change_breakingnewsbanner")
    client.force_login(wire)
    assert client.get(reverse("wire_queue")).status_code == 200
    assert client.get(reverse("wagtailsnippets_datadesk_dataset:add")).status_code in (302, 403)


def test_no_group_reaches_the_users_or_the_settings_of_others():
    for name in GROUPS:
        user = member(name)
        assert not user.has_perm("auth.add_user"), name
        assert not user.has_perm("auth.change_group"), name
        assert not user.is_staff


def test_editors_run_the_storm_desk_and_other_desks_do_not(client):
    desk = reverse("closings_admin_desk")
    client.force_login(member("Editors"))
    assert client.get(desk).status_code == 200
    for name in ["Reporters", "Weather", "Data", "Wire"]:
        client.force_login(member(name))
        assert client.get(desk).status_code in (302, 403), name


def test_editors_and_reporters_use_the_video_library_and_only_editors_delete():
    editor, reporter, weather = member("Editors"), member("Reporters"), member("Weather")
    assert editor.has_perm("news.add_video") and editor.has_perm("news.delete_video")
    assert reporter.has_perm("news.add_video") and not reporter.has_perm("news.delete_video")
    assert not weather.has_perm("news.add_video")
