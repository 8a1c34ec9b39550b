from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0005_video_addresses_into_library")]

    operations = [
        migrations.RemoveField(model_name="storypage", name="lead_video_captions"),
        migrations.RemoveField(model_name="storypage", name="lead_video_url"),
    ]
