"""Stories' lead video addresses and video blocks (a bare URL and a caption document) become
videos in the library, so nothing an editor entered is lost when the old fields go."""

from django.db import migrations


def _video_from(Video, *, title, url, captions_document, poster_id, credit):
    kind = "hls_url" if ".m3u8" in url.lower() else "mp4_url"
    return Video.objects.create(
        title=title[:255] or "Video",
        captions=captions_document.file.name if captions_document is not None else "",
        poster_id=poster_id,
        credit=credit[:200],
        **{kind: url},
    )


def addresses_into_library(apps, schema_editor):
    StoryPage = apps.get_model("news", "StoryPage")
    Video = apps.get_model("news", "Video")
    Document = apps.get_model("wagtaildocs", "Document")
    for story in StoryPage.objects.all():
        changed = []
        if story.lead_video_url:
            story.lead_video = _video_from(
                Video,
                title=story.title,
                url=story.lead_video_url,
                captions_document=story.lead_video_captions,
                poster_id=story.lead_image_id,
                credit=story.lead_credit,
            )
            changed.append("lead_video")
        raw = list(story.body.raw_data)
        for block in raw:
            value = block.get("value") or {}
            if block.get("type") == "video" and value.get("video_url"):
                video = _video_from(
                    Video,
                    title=value.get("caption") or story.title,
                    url=value["video_url"],
                    captions_document=Document.objects.filter(pk=value.get("captions")).first(),
                    poster_id=value.get("poster"),
                    credit=value.get("credit") or "",
                )
                block["value"] = {"video": video.pk, "caption": value.get("caption") or ""}
                changed.append("body")
        if "body" in changed:
            story.body = raw
        if changed:
            story.save(update_fields=sorted(set(changed)))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_video_library"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(addresses_into_library, migrations.RunPython.noop)]
