"""The content version moves when anything cached fragments show changes besides pages:
pictures, documents (caption files), tags and the station settings (core/signals.py)."""

import pytest
from django.core.files.base import ContentFile
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from newscast.core.models import StationSettings
from newscast.core.models.content import content_version

pytestmark = pytest.mark.django_db


def _moves(change) -> bool:
    before = content_version()
    change()
    return content_version() > before


def test_an_image_moves_it_when_uploaded_edited_and_deleted():
    image = get_image_model()(title="Sample: flooded road", file=get_test_image_file())
    assert _moves(image.save)

    def retitle():
        image.title = "Sample: flooded road on Main Street"
        image.save()

    assert _moves(retitle)
    assert _moves(image.delete)


def test_a_document_moves_it_when_uploaded_and_deleted():
    document = get_document_model()(title="Sample captions")
    document.file.save("sample.vtt", ContentFile(b"WEBVTT\n"), save=False)
    assert _moves(document.save)
    assert _moves(document.delete)


def test_a_tag_moves_it_when_renamed_and_deleted():
    tag = Tag.objects.create(name="storms", slug="storms")

    def rename():
        tag.name = "Severe storms"
        tag.save()

    assert _moves(rename)
    assert _moves(tag.delete)


def test_station_settings_move_it_when_saved():
    station = StationSettings.for_site(Site.objects.get(is_default_site=True))
    station.tagline = "Sample tagline"
    assert _moves(station.save)
