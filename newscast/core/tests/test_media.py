"""Documents reach readers only through Django's view, with Wagtail's privacy and headers."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from newscast.core.stack import StackConfig, render_nginx_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return get_document_model().objects.create(
        title="Budget", file=ContentFile(b"date,amount\n", name="budget.csv")
    )


def test_a_document_is_served_with_download_headers(document):
    response = Client().get(document.url)
    assert document.url.startswith("/documents/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "default-src 'none'"  # nothing runs inside


def test_a_private_collections_document_needs_a_login(document):
    private = Collection.get_first_root_node().add_child(name="Newsroom only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document.collection = private
    document.save()
    response = Client().get(document.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_nginx_never_serves_document_files_directly(tmp_path):
    text = render_nginx_config(StackConfig(run_dir=tmp_path))
    block = text.split("location /media/documents/", 1)[1].split("}", 1)[0]
    assert "return 404" in block
