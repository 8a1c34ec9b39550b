"""The kernel takes the station settings (from home), the states and counties (from datadesk)
and the content version (from news). Their tables keep their names and rows; the content
types move too, so permissions and Wagtail's settings menu follow
(docs/decisions/core-one-way-layers.md)."""

import django.db.models.deletion
import modelcluster.fields
import newscast.core.models.station
import newscast.core.validators
from django.db import migrations, models

# (old app, model) for every model that moved into core.
MOVED = [
    ("home", "stationsettings"),
    ("home", "onairslot"),
    ("home", "coveredstate"),
    ("home", "weathercity"),
    ("datadesk", "state"),
    ("datadesk", "county"),
    ("news", "contentversion"),
]


def content_types_move(apps, schema_editor):
    """Relabel each moved model's content type, so its permissions (and the groups holding
    them) follow it. Where core's already exists, its twin's permissions join it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for old_app, model in MOVED:
        old = ContentType.objects.filter(app_label=old_app, model=model).first()
        if old is None:
            continue  # a database whose content types are made after migrate
        new = ContentType.objects.filter(app_label="core", model=model).first()
        if new is None:
            old.app_label = "core"
            old.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
                continue
            twin.group_set.add(*permission.group_set.all())
            twin.user_set.add(*permission.user_set.all())
            permission.delete()
        old.delete()


def content_types_move_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        ContentType.objects.filter(app_label="core", model=model).update(app_label=old_app)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('news', '0006_remove_storypage_lead_video_url'),
        ('datadesk', '0004_loadrun_queued_lost'),
        ('home', '0005_station_broadcaster_links_and_live'),
        ('core', '0004_roles_video_and_closings'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        # The table stays where it is (db_table): only Django's picture of it moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ContentVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveBigIntegerField(default=0)),
                        ('changed_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'content version',
                        'db_table': 'news_contentversion',
                    },
                ),
                migrations.CreateModel(
                    name='State',
                    fields=[
                        ('id', models.PositiveSmallIntegerField(help_text='State FIPS code.', primary_key=True, serialize=False)),
                        ('postal_code', models.CharField(choices=[('AL', 'Alabama'), ('AK', 'Alaska'), ('AZ', 'Arizona'), ('AR', 'Arkansas'), ('CA', 'California'), ('CO', 'Colorado'), ('CT', 'Connecticut'), ('DE', 'Delaware'), ('DC', 'District of Columbia'), ('FL', 'Florida'), ('GA', 'Georgia'), ('HI', 'Hawaii'), ('ID', 'Idaho'), ('IL', 'Illinois'), ('IN', 'Indiana'), ('IA', 'Iowa'), ('KS', 'Kansas'), ('KY', 'Kentucky'), ('LA', 'Louisiana'), ('ME', 'Maine'), ('MD', 'Maryland'), ('MA', 'Massachusetts'), ('MI', 'Michigan'), ('MN', 'Minnesota'), ('MS', 'Mississippi'), ('MO', 'Missouri'), ('MT', 'Montana'), ('NE', 'Nebraska'), ('NV', 'Nevada'), ('NH', 'New Hampshire'), ('NJ', 'New Jersey'), ('NM', 'New Mexico'), ('NY', 'New York'), ('NC', 'North Carolina'), ('ND', 'North Dakota'), ('OH', 'Ohio'), ('OK', 'Oklahoma'), ('OR', 'Oregon'), ('PA', 'Pennsylvania'), ('RI', 'Rhode Island'), ('SC', 'South Carolina'), ('SD', 'South Dakota'), ('TN', 'Tennessee'), ('TX', 'Texas'), ('UT', 'Utah'), ('VT', 'Vermont'), ('VA', 'Virginia'), ('WA', 'Washington'), ('WV', 'West Virginia'), ('WI', 'Wisconsin'), ('WY', 'Wyoming')], max_length=2, unique=True)),
                        ('name', models.CharField(max_length=60, unique=True)),
                    ],
                    options={
                        'db_table': 'datadesk_state',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='County',
                    fields=[
                        ('id', models.PositiveIntegerField(help_text='County FIPS code.', primary_key=True, serialize=False)),
                        ('name', models.CharField(help_text='Short name, as readers say it: "Lee".', max_length=80)),
                        ('full_name', models.CharField(help_text='Census name: "Lee County".', max_length=100)),
                        ('population', models.PositiveIntegerField(blank=True, help_text='Census resident population estimate, July 1, 2019.', null=True)),
                        ('is_unassigned', models.BooleanField(default=False)),
                        ('state', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counties', to='core.state')),
                    ],
                    options={
                        'verbose_name_plural': 'counties',
                        'db_table': 'datadesk_county',
                        'ordering': ['state', 'is_unassigned', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='StationSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('station_name', models.CharField(default='Newscast Station', max_length=100)),
                        ('call_sign', models.CharField(default='NEWS', help_text='For example WTVA.', max_length=10)),
                        ('tagline', models.CharField(blank=True, max_length=200)),
                        ('time_zone', models.CharField(default='America/Chicago', help_text='IANA time zone that every page shows its times in.', max_length=64, validators=[newscast.core.models.station.validate_time_zone])),
                        ('radar_site', models.CharField(default='KGWX', help_text='NWS radar (NEXRAD) site id, for example KGWX.', max_length=4)),
                        ('live_stream_url', models.CharField(blank=True, help_text="The station's live .m3u8 stream, shown on /live/ (https:// address).", max_length=1000, validators=[newscast.core.validators.video_address_validate], verbose_name='live stream (HLS)')),
                        ('live_stream_captioned', models.BooleanField(default=True, help_text='The stream carries the on-air closed captions (CEA-608/708) viewers can turn on in the player.')),
                        ('fcc_public_file_url', models.URLField(blank=True, help_text="The station's page on publicfiles.fcc.gov.", verbose_name='FCC online public file')),
                        ('eeo_report_url', models.CharField(blank=True, help_text='A page on this site (/about/), an https:// or mailto: address.', max_length=500, validators=[newscast.core.models.station.site_link_validate], verbose_name='EEO public file report')),
                        ('contest_rules_url', models.CharField(blank=True, help_text='A page on this site (/about/), an https:// or mailto: address.', max_length=500, validators=[newscast.core.models.station.site_link_validate], verbose_name='Contest rules')),
                        ('privacy_url', models.CharField(blank=True, help_text='A page on this site (/about/), an https:// or mailto: address.', max_length=500, validators=[newscast.core.models.station.site_link_validate], verbose_name='Privacy policy')),
                        ('terms_url', models.CharField(blank=True, help_text='A page on this site (/about/), an https:// or mailto: address.', max_length=500, validators=[newscast.core.models.station.site_link_validate], verbose_name='Terms of use')),
                        ('contact_url', models.CharField(blank=True, help_text='A page on this site (/about/), an https:// or mailto: address.', max_length=500, validators=[newscast.core.models.station.site_link_validate], verbose_name='Contact us')),
                        ('about_url', models.CharField(blank=True, help_text='A page on this site (/about/), an https:// or mailto: address.', max_length=500, validators=[newscast.core.models.station.site_link_validate], verbose_name='About us')),
                        ('news_tip_url', models.CharField(blank=True, help_text='A page on this site (/about/), an https:// or mailto: address.', max_length=500, validators=[newscast.core.models.station.site_link_validate], verbose_name='Send us a news tip')),
                        ('captioning_immediate_name', models.CharField(blank=True, help_text='Who answers immediate closed-captioning concerns (47 CFR 79.1(i)(1)).', max_length=200, verbose_name='name')),
                        ('captioning_immediate_phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                        ('captioning_immediate_email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                        ('captioning_written_name', models.CharField(blank=True, help_text='Who receives written closed-captioning complaints (47 CFR 79.1(i)(2)).', max_length=200, verbose_name='name and title')),
                        ('captioning_written_address', models.TextField(blank=True, verbose_name='postal address')),
                        ('captioning_written_phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                        ('captioning_written_email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                        ('logo', models.ForeignKey(blank=True, help_text='In the page header instead of the call sign; a wide PNG, 48 px high or more.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image')),
                        ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
                    ],
                    options={
                        'verbose_name': 'Station settings',
                        'db_table': 'home_stationsettings',
                    },
                ),
                migrations.CreateModel(
                    name='OnAirSlot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('weekday', models.IntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')])),
                        ('starts_at', models.TimeField(help_text='Station time.')),
                        ('ends_at', models.TimeField(help_text='Station time; a show past midnight ends the next day.')),
                        ('title', models.CharField(help_text='For example "News at 6".', max_length=100)),
                        ('station', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='on_air_slots', to='core.stationsettings')),
                    ],
                    options={
                        'verbose_name': 'on-air newscast',
                        'db_table': 'home_onairslot',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='WeatherCity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('name', models.CharField(max_length=100)),
                        ('state', models.CharField(choices=[('AL', 'Alabama'), ('AK', 'Alaska'), ('AZ', 'Arizona'), ('AR', 'Arkansas'), ('CA', 'California'), ('CO', 'Colorado'), ('CT', 'Connecticut'), ('DE', 'Delaware'), ('DC', 'District of Columbia'), ('FL', 'Florida'), ('GA', 'Georgia'), ('HI', 'Hawaii'), ('ID', 'Idaho'), ('IL', 'Illinois'), ('IN', 'Indiana'), ('IA', 'Iowa'), ('KS', 'Kansas'), ('KY', 'Kentucky'), ('LA', 'Louisiana'), ('ME', 'Maine'), ('MD', 'Maryland'), ('MA', 'Massachusetts'), ('MI', 'Michigan'), ('MN', 'Minnesota'), ('MS', 'Mississippi'), ('MO', 'Missouri'), ('MT', 'Montana'), ('NE', 'Nebraska'), ('NV', 'Nevada'), ('NH', 'New Hampshire'), ('NJ', 'New Jersey'), ('NM', 'New Mexico'), ('NY', 'New York'), ('NC', 'North Carolina'), ('ND', 'North Dakota'), ('OH', 'Ohio'), ('OK', 'Oklahoma'), ('OR', 'Oregon'), ('PA', 'Pennsylvania'), ('RI', 'Rhode Island'), ('SC', 'South Carolina'), ('SD', 'South Dakota'), ('TN', 'Tennessee'), ('TX', 'Texas'), ('UT', 'Utah'), ('VT', 'Vermont'), ('VA', 'Virginia'), ('WA', 'Washington'), ('WV', 'West Virginia'), ('WI', 'Wisconsin'), ('WY', 'Wyoming')], max_length=2)),
                        ('latitude', models.DecimalField(decimal_places=4, max_digits=7)),
                        ('longitude', models.DecimalField(decimal_places=4, max_digits=8)),
                        ('station', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='weather_cities', to='core.stationsettings')),
                    ],
                    options={
                        'verbose_name_plural': 'weather cities',
                        'db_table': 'home_weathercity',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='CoveredState',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('postal_code', models.CharField(choices=[('AL', 'Alabama'), ('AK', 'Alaska'), ('AZ', 'Arizona'), ('AR', 'Arkansas'), ('CA', 'California'), ('CO', 'Colorado'), ('CT', 'Connecticut'), ('DE', 'Delaware'), ('DC', 'District of Columbia'), ('FL', 'Florida'), ('GA', 'Georgia'), ('HI', 'Hawaii'), ('ID', 'Idaho'), ('IL', 'Illinois'), ('IN', 'Indiana'), ('IA', 'Iowa'), ('KS', 'Kansas'), ('KY', 'Kentucky'), ('LA', 'Louisiana'), ('ME', 'Maine'), ('MD', 'Maryland'), ('MA', 'Massachusetts'), ('MI', 'Michigan'), ('MN', 'Minnesota'), ('MS', 'Mississippi'), ('MO', 'Missouri'), ('MT', 'Montana'), ('NE', 'Nebraska'), ('NV', 'Nevada'), ('NH', 'New Hampshire'), ('NJ', 'New Jersey'), ('NM', 'New Mexico'), ('NY', 'New York'), ('NC', 'North Carolina'), ('ND', 'North Dakota'), ('OH', 'Ohio'), ('OK', 'Oklahoma'), ('OR', 'Oregon'), ('PA', 'Pennsylvania'), ('RI', 'Rhode Island'), ('SC', 'South Carolina'), ('SD', 'South Dakota'), ('TN', 'Tennessee'), ('TX', 'Texas'), ('UT', 'Utah'), ('VT', 'Vermont'), ('VA', 'Virginia'), ('WA', 'Washington'), ('WV', 'West Virginia'), ('WI', 'Wisconsin'), ('WY', 'Wyoming')], max_length=2)),
                        ('station', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='covered_states', to='core.stationsettings')),
                    ],
                    options={
                        'db_table': 'home_coveredstate',
                        'ordering': ['sort_order'],
                        'abstract': False,
                        'constraints': [models.UniqueConstraint(fields=('station', 'postal_code'), name='unique_covered_state')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_move, content_types_move_back),
    ]
