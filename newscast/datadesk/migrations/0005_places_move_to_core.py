"""The data desk's rows point at the states and counties now kept in core (same tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('closings', '0002_organization_points_at_core_county'),
        ('core', '0005_kernel_takes_station_places_content_version'),
        ('datadesk', '0004_loadrun_queued_lost'),
    ]

    operations = [
        # The table stays where it is (db_table): only Django's picture of it moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='countyday',
                    name='county',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='days', to='core.county'),
                ),
                migrations.AlterField(
                    model_name='stateday',
                    name='state',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.state'),
                ),
                migrations.AlterField(
                    model_name='countyday',
                    name='state',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.state'),
                ),
                migrations.AlterField(
                    model_name='dataset',
                    name='states',
                    field=models.ManyToManyField(blank=True, help_text="States shown on /data/ and in the sidebar; empty means the station's covered states. Loads keep every state in the source.", to='core.state'),
                ),
                migrations.DeleteModel(
                    name='County',
                ),
                migrations.DeleteModel(
                    name='State',
                ),
            ],
        ),
    ]
