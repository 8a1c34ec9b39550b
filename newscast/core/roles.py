"""The newsroom's roles: which group may do what (docs/launch.md, "Editors and their roles").

The data migrations core/0003_newsroom_roles and 0004 make these groups with exactly these
permissions. Page permissions apply to the whole page tree (from the root), image and
document permissions to the root collection. A change to this table needs a new migration
that calls `roles_apply` again (it sets each group's permissions exactly, so it can rerun).
"""

from __future__ import annotations

ADMIN = ["wagtailadmin.access_admin"]
# Wagtail's page actions (GroupPagePermission), on the root page.
WRITE_PAGES = ["add_page", "change_page"]
PUBLISH_PAGES = [*WRITE_PAGES, "publish_page", "bulk_delete_page", "lock_page", "unlock_page"]
# Wagtail's collection actions (GroupCollectionPermission), on the root collection.
USE_MEDIA = ["wagtailimages.add_image", "wagtailimages.choose_image",
             "wagtaildocs.add_document", "wagtaildocs.choose_document"]  # fmt: skip
MANAGE_MEDIA = [*USE_MEDIA, "wagtailimages.change_image", "wagtailimages.delete_image",
                "wagtaildocs.change_document", "wagtaildocs.delete_document"]  # fmt: skip

ROLES: dict[str, dict[str, list[str]]] = {
    "Editors": {
        "pages": PUBLISH_PAGES,
        "collection": MANAGE_MEDIA,
        "model": [
            *ADMIN,
            "news.add_breakingnewsbanner", "news.change_breakingnewsbanner",
            "news.delete_breakingnewsbanner", "news.view_breakingnewsbanner",
            "wire.view_wireitem", "wire.change_wireitem",  # publish, hold, kill from the queue
            "core.change_stationsettings",
            # The video library (captions required for what aired) and the storm-day board.
            "news.add_video", "news.change_video", "news.delete_video", "news.view_video",
            "closings.add_organization", "closings.change_organization",
            "closings.view_organization", "closings.change_status", "closings.view_status",
            "closings.view_statuschange",
        ],
    },
    "Reporters": {
        "pages": WRITE_PAGES,  # write and submit for moderation; publishing is an editor's
        "collection": USE_MEDIA,
        # Their own clips for their stories; an aired clip still needs its captions.
        "model": [*ADMIN, "news.add_video", "news.change_video", "news.view_video"],
    },
    "Weather": {
        "pages": [],
        "collection": [],
        "model": [
            *ADMIN,
            "weather.view_cityweather", "weather.change_cityweather",  # the desk and "refresh now"
            "weather.view_stationreport", "weather.view_radarloop",
            # The alerts a drill plays (`newscast weather drill`) and the banner they drive.
            "weather.view_alertmessage", "weather.add_alertmessage", "weather.change_alertmessage",
        ],
    },
    "Data": {
        "pages": [],
        "collection": [],
        "model": [
            *ADMIN,
            # change_dataset also lets them press "Load now".
            "datadesk.view_dataset", "datadesk.add_dataset", "datadesk.change_dataset",
            "datadesk.view_loadrun",
        ],
    },
    "Wire": {
        "pages": [],
        "collection": [],
        "model": [
            *ADMIN,
            "wire.view_wirefeed", "wire.add_wirefeed", "wire.change_wirefeed",
            "wire.delete_wirefeed",
            "wire.view_wireitem", "wire.change_wireitem",  # the queue
        ],
    },
}  # fmt: skip


def permissions_ensure(apps) -> None:
    """Django makes permissions after `migrate` ends; the groups need them now (on a fresh
    database they do not exist yet), so make them here for every app, as that step would."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


# Permissions that older migrations find under their app of the time: the station settings
# lived in home until core 0005 moved them (and their permissions) into core.
BEFORE_CORE_0005 = {"core.change_stationsettings": "home.change_stationsettings"}


def _permission(Permission, dotted: str, moved: dict[str, str]):
    app_label, codename = moved.get(dotted, dotted).split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def roles_apply(
    apps, *, apps_not_yet_made: frozenset[str] = frozenset(), moved: dict[str, str] | None = None
) -> None:
    """Make each group hold exactly its role's permissions (others it had are taken away).

    An older migration runs before some apps' tables exist; it names those apps in
    `apps_not_yet_made` and their permissions wait for the later migration that adds them;
    it names in `moved` the permissions then found under another app (BEFORE_CORE_0005)."""
    moved = moved or {}
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Page.objects.filter(depth=1).first()
    collection = Collection.objects.filter(depth=1).first()
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        model = [p for p in role["model"] if p.split(".")[0] not in apps_not_yet_made]
        group.permissions.set([_permission(Permission, p, moved) for p in model])
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in role["pages"]:
            GroupPagePermission.objects.create(
                group=group,
                page=root,
                permission=_permission(Permission, f"wagtailcore.{codename}", moved),
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for dotted in role["collection"]:
            GroupCollectionPermission.objects.create(
                group=group,
                collection=collection,
                permission=_permission(Permission, dotted, moved),
            )
