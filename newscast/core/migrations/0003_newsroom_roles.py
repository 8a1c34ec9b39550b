"""The newsroom's groups - Editors, Reporters, Weather, Data, Wire - with exactly their
permissions (newscast/core/roles.py). Wagtail's own "Editors" group is taken over."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from newscast.core.roles import roles_apply


def permissions_ensure(apps) -> None:
    """Django makes permissions after `migrate` ends; the groups need them now (on a fresh
    database they do not exist yet), so make them here for every app, as that step would."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def roles_make(apps, schema_editor):
    permissions_ensure(apps)
    roles_apply(apps)


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
