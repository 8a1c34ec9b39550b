"""What news pages at the edge last showed of the weather, kept in the database instead of the
cache (a Redis outage read as "changed" and purged the site at every refresh)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('weather', '0004_city_weather_points_at_core_city'),
    ]

    operations = [
        migrations.CreateModel(
            name='EdgeDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.CharField(choices=[('banner', 'Warnings banner'), ('conditions', 'Conditions (widget and strip)')], max_length=20, unique=True)),
                ('digest', models.CharField(help_text='MD5 of the part as pages draw it.', max_length=32)),
                ('changed_at', models.DateTimeField(help_text='When pages were last renewed for this part.')),
            ],
        ),
    ]
