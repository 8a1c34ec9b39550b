"""The newsroom's groups - Editors, Reporters, Weather, Data, Wire - with exactly their
permissions (newscast/core/roles.py). Wagtail's own "Editors" group is taken over."""

from django.db import migrations

from newscast.core.roles import BEFORE_CORE_0005, permissions_ensure, roles_apply


def roles_make(apps, schema_editor):
    permissions_ensure(apps)
    # The closings desk and the video library came later: core 0004 gives their permissions.
    roles_apply(
        apps, apps_not_yet_made=frozenset({"closings", "news"}), moved=BEFORE_CORE_0005
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_jobrun_interrupted"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("news", "0003_story_body_data_block"),
        ("wire", "0002_feed_body_hash"),
        ("datadesk", "0002_dataset_updated_at"),
        ("weather", "0001_initial"),
        ("home", "0004_stationsettings_logo"),
    ]

    operations = [migrations.RunPython(roles_make, migrations.RunPython.noop)]
