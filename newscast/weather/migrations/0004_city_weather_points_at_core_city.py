"""A city's weather points at the weather city now kept in core (same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_kernel_takes_station_places_content_version'),
        ('weather', '0003_map_stations_sample_radar'),
    ]

    operations = [
        # The table stays where it is (db_table): only Django's picture of it moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='cityweather',
                    name='city',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='weather', to='core.weathercity'),
                ),
            ],
        ),
    ]
