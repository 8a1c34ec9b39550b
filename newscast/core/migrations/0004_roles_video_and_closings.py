"""Editors run the storm-day board and the video library; reporters add their own clips
(newscast/core/roles.py). roles_apply sets each group's permissions exactly, so it reruns."""

from django.db import migrations

from newscast.core.roles import BEFORE_CORE_0005, permissions_ensure, roles_apply


def roles_make(apps, schema_editor):
    permissions_ensure(apps)
    roles_apply(apps, moved=BEFORE_CORE_0005)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_newsroom_roles"),
        ("news", "0006_remove_storypage_lead_video_url"),
        ("closings", "0001_initial"),
    ]

    operations = [migrations.RunPython(roles_make, migrations.RunPython.noop)]
