"""The station settings now live in core (core 0005); their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_kernel_takes_station_places_content_version'),
        ('home', '0005_station_broadcaster_links_and_live'),
        ('weather', '0004_city_weather_points_at_core_city'),
    ]

    operations = [
        # The table stays where it is (db_table): only Django's picture of it moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='onairslot',
                    name='station',
                ),
                migrations.RemoveField(
                    model_name='stationsettings',
                    name='logo',
                ),
                migrations.RemoveField(
                    model_name='stationsettings',
                    name='site',
                ),
                migrations.RemoveField(
                    model_name='weathercity',
                    name='station',
                ),
                migrations.DeleteModel(
                    name='CoveredState',
                ),
                migrations.DeleteModel(
                    name='OnAirSlot',
                ),
                migrations.DeleteModel(
                    name='StationSettings',
                ),
                migrations.DeleteModel(
                    name='WeatherCity',
                ),
            ],
        ),
    ]
