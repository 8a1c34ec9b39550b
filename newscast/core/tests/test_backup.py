"""`newscast backup` / `newscast restore`: the whole station comes back on an empty install.

Runs on the database the suite runs on: SQLite (online backup API) or PostgreSQL (pg_dump and
pg_restore) when DATABASE_URL points at it.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.images import get_image_model

from newscast.core.selectors import station_as_dict, station_for_default_site
from newscast.datadesk.models import CountyDay, Dataset
from newscast.news.models import StoryPage

pytestmark = pytest.mark.django_db(transaction=True)

NYT_FILE = Path(__file__).parents[2] / "datadesk/tests/recorded/nyt_us_counties.csv"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def newsroom(station, media):
    """A station in use: settings, sections and stories with pictures, a loaded dataset, users."""
    from newscast.core.geography.reference import geography_ensure
    from newscast.datadesk.services import dataset_load
    from newscast.home import demo_newsroom as news_demo

    news_demo.load(io.StringIO())
    geography_ensure()
    dataset = Dataset.objects.create(name="Coronavirus Cases", slug="coronavirus")
    dataset_load(dataset, str(NYT_FILE), "nyt")
    call_command("station_set", "call_sign", "WTVA", stdout=io.StringIO())
    User.objects.create_superuser("chief", password="restore-test-pass-1")
    return station


def snapshot(media: Path) -> dict:
    """Everything a reader or an editor would miss if it did not come back."""
    return {
        "stories": sorted(
            (s.title, s.url_path, s.live, s.body.raw_data.__len__())
            for s in StoryPage.objects.all()
        ),
        "images": sorted((i.title, i.file.name, i.width) for i in get_image_model().objects.all()),
        "media": {
            f.relative_to(media).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in media.rglob("*")
            if f.is_file()
        },
        "rows": sorted(
            CountyDay.objects.values_list(
                "dataset__slug", "county_id", "date", "confirmed", "deaths"
            )
        ),
        "station": station_as_dict(station_for_default_site()),
        "users": sorted(User.objects.values_list("username", "password", "is_superuser")),
    }


def wipe(media: Path) -> None:
    """An empty install: a database with no rows, no media."""
    call_command("flush", interactive=False, verbosity=0)
    for file in sorted(media.rglob("*"), reverse=True):
        file.unlink() if file.is_file() else file.rmdir()


def test_a_backup_restored_on_an_empty_install_has_everything(newsroom, media, tmp_path):
    before = snapshot(media)
    assert len(before["stories"]) >= 5 and len(before["images"]) >= 2
    assert len(before["rows"]) == 24 and before["station"]["call_sign"] == "WTVA"
    archive = tmp_path / "wtva.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"to {archive}" in out.getvalue() and f"({connection.vendor}," in out.getvalue()

    wipe(media)
    assert not StoryPage.objects.exists() and not list(media.rglob("*.*"))

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert out.getvalue().startswith("Restored ")
    assert snapshot(media) == before
    # The site serves the restored station at once (nothing stale in the cache).
    assert StoryPage.objects.live().count() == len([s for s in before["stories"] if s[2]])


def test_the_archive_holds_a_manifest_the_database_and_the_media(newsroom, media, tmp_path):
    archive = tmp_path / "wtva.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    database = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert names[:2] == ["manifest.json", database]
    assert all(name.startswith("media/") for name in names[2:])
    assert manifest["row_counts"]["datadesk_countyday"] == 24
    assert manifest["media_files"] == len(names) - 2


def test_restore_refuses_an_install_in_use(newsroom, media, tmp_path):
    archive = tmp_path / "wtva.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    StoryPage.objects.first().delete()
    before = snapshot(media)
    with pytest.raises(CommandError, match="not empty \\(1 user account"):
        call_command("restore", str(archive))
    assert snapshot(media) == before


def test_backup_never_overwrites(newsroom, tmp_path):
    archive = tmp_path / "wtva.tar.gz"
    archive.write_text("yesterday's backup")
    with pytest.raises(CommandError, match="exists; choose a new name"):
        call_command("backup", str(archive))
    assert archive.read_text() == "yesterday's backup"


def test_a_cut_or_foreign_archive_is_refused_and_changes_nothing(newsroom, media, tmp_path):
    archive = tmp_path / "wtva.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    wipe(media)
    with pytest.raises(CommandError, match="is not a readable backup archive"):
        call_command("restore", str(cut))
    with pytest.raises(CommandError, match="is not a readable backup archive"):
        call_command("restore", str(notes))
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    assert not StoryPage.objects.exists()
