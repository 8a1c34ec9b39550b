"""An organization points at the county now kept in core (same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('closings', '0001_initial'),
        ('core', '0005_kernel_takes_station_places_content_version'),
    ]

    operations = [
        # The table stays where it is (db_table): only Django's picture of it moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='organization',
                    name='county',
                    field=models.ForeignKey(help_text='Reference county (data desk geography); the board groups by it.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.county'),
                ),
            ],
        ),
    ]
