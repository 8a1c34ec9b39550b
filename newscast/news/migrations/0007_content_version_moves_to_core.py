"""The content version now lives in core (core 0005); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_kernel_takes_station_places_content_version'),
        ('news', '0006_remove_storypage_lead_video_url'),
    ]

    operations = [
        # The table stays where it is (db_table): only Django's picture of it moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='ContentVersion',
                ),
            ],
        ),
    ]
