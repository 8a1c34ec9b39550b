"""The video library: uploaded MP4s and HLS addresses, with captions, poster and transcript.

A video is a snippet (Videos in the admin menu) that a story uses as its lead media or in a
video block, and that the Video section lists. One that aired on TV must carry its caption
track online too (FCC, 47 CFR 79.4), so it cannot be saved, and so cannot be shown, without
one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from newscast.core.validators import video_address_validate

WEBVTT_SIGNATURE = b"WEBVTT"  # a WebVTT file starts with it (https://www.w3.org/TR/webvtt1/)
CAPTIONS_REQUIRED_MESSAGE = (
    "This video aired on TV, so the FCC requires its captions online too (47 CFR 79.4, "
    "IP closed captioning): upload its WebVTT caption file (.vtt), or untick "
    '"Aired on TV" if it never aired.'
)


def webvtt_validate(upload) -> None:
    """Refuse a caption file that is not WebVTT (an .srt renamed, a cut upload)."""
    upload.seek(0)
    head = upload.read(len(WEBVTT_SIGNATURE) + 3)
    upload.seek(0)
    if not head.removeprefix(b"\xef\xbb\xbf").startswith(WEBVTT_SIGNATURE):
        raise ValidationError(
            'This is not a WebVTT file: its first line must be "WEBVTT". Convert SRT '
            "captions to WebVTT first."
        )


def iso8601_duration(seconds: int) -> str:
    """PT1M30S for 90 seconds: the form schema.org and video sitemaps take."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


class Video(index.Indexed, models.Model):
    """One video in the library: an uploaded MP4, an HLS address, or both (HLS plays first
    through hls.js, the MP4 is the fallback and the download)."""

    title = models.CharField(max_length=255)
    description = models.TextField(
        blank=True, help_text="One or two sentences, for search engines and the Video section."
    )
    file = models.FileField(
        upload_to="videos/",
        blank=True,
        validators=[FileExtensionValidator(["mp4"])],
        verbose_name="MP4 file",
        help_text="H.264/AAC MP4: every browser plays it.",
    )
    mp4_url = models.CharField(
        max_length=1000,
        blank=True,
        validators=[video_address_validate],
        verbose_name="MP4 address",
        help_text="Or an https:// MP4 kept elsewhere (an agency's rendition).",
    )
    hls_url = models.CharField(
        max_length=1000,
        blank=True,
        validators=[video_address_validate],
        verbose_name="HLS address",
        help_text="An https:// .m3u8 playlist (adaptive streaming), or a path on this site. "
        "The MP4 is used where HLS cannot play.",
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Still shown before play; needed to appear in the video sitemap.",
    )
    duration_seconds = models.PositiveIntegerField(
        null=True, blank=True, verbose_name="duration (seconds)"
    )
    captions = models.FileField(
        upload_to="videos/captions/",
        blank=True,
        validators=[FileExtensionValidator(["vtt"]), webvtt_validate],
        help_text="WebVTT caption track (.vtt); shown by default.",
    )
    transcript = models.TextField(blank=True, help_text="Shown below the video.")
    aired_on_tv = models.BooleanField(
        default=False,
        verbose_name="Aired on TV",
        help_text="Video that aired on TV with captions must be captioned online "
        "(FCC, 47 CFR 79.4): a caption file is then required.",
    )
    credit = models.CharField(max_length=200, blank=True, help_text="Videographer or agency.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("file"),
                FieldPanel("mp4_url"),
                FieldPanel("hls_url"),
                FieldPanel("poster"),
            ],
            heading="Sources",
        ),
        FieldRowPanel([FieldPanel("duration_seconds"), FieldPanel("credit")]),
        MultiFieldPanel(
            [FieldPanel("aired_on_tv"), FieldPanel("captions"), FieldPanel("transcript")],
            heading="Captions and transcript",
        ),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("description"),
        index.SearchField("transcript"),
        index.AutocompleteField("title"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "video"

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if not (self.file or self.mp4_url or self.hls_url):
            errors["file"] = "Upload an MP4 file, or give an MP4 or HLS address."
        if self.aired_on_tv and not self.captions:
            errors["captions"] = CAPTIONS_REQUIRED_MESSAGE
        if errors:
            raise ValidationError(errors)

    @property
    def mp4_src(self) -> str:
        """The MP4 readers fall back to: the upload, else the outside address."""
        return self.file.url if self.file else self.mp4_url

    @property
    def duration_iso(self) -> str:
        return iso8601_duration(self.duration_seconds) if self.duration_seconds else ""
