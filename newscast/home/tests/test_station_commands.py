"""`newscast station show / set`: the station's settings from scripts, validated as in the admin."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from newscast.core.selectors import station_for_default_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(station):
    """The demo station with its home page, so pages can be read."""
    from wagtail.models import Site

    from newscast.home.demo_newsroom import home_page_ensure

    home_page_ensure(Site.objects.get(is_default_site=True))
    return station


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_show_the_demo_station_as_json_and_text(station):
    values = json.loads(run("station_show", "--json"))
    assert values["call_sign"] == "WNCS"
    assert values["time_zone"] == "America/Chicago"
    assert values["covered_states"] == ["MS", "AL"]
    assert values["weather_cities"][0] == "Tupelo,MS,34.2576,-88.7034"
    assert values["logo"] is None
    lines = run("station_show").splitlines()
    assert any(line.split() == ["call_sign", "WNCS"] for line in lines)
    assert any(line.split(None, 1) == ["covered_states", "MS, AL"] for line in lines)


def test_set_identity_and_the_page_shows_it(station, client):
    assert run("station_set", "call_sign", "WTVA").strip() == "call_sign = WTVA"
    run("station_set", "station_name", "WTVA 9 News")
    assert station_for_default_site().call_sign == "WTVA"
    page = client.get("/").content.decode()
    assert "WTVA 9 News" in page and "WNCS" not in page


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("time_zone", "Mars/Olympus_Mons", "'Mars/Olympus_Mons' is not an IANA time zone"),
        ("call_sign", "W" * 11, "call_sign: Ensure this value has at most 10 characters"),
        ("station_name", "", "station_name: This field cannot be blank"),
        ("covered_states", "MS,XX", "Not a state postal code: XX"),
        ("weather_cities", "Tupelo,MS,34.2576", "'Tupelo,MS,34.2576' is not NAME,ST,LATITUDE"),
        ("weather_cities", "Tupelo,MS,north,-88.7", "is not NAME,ST,LATITUDE,LONGITUDE"),
        ("weather_cities", "Tupelo,MS,134.2,-88.7", "coordinates out of range"),
        ("weather_cities", "Tupelo,ZZ,34.2,-88.7", "'ZZ' is not a state postal code"),
        ("colour", "red", "colour: No such setting. Settings: station_name, call_sign"),
    ],
)
def test_a_bad_value_is_refused_and_changes_nothing(station, key, value, message):
    before = json.loads(run("station_show", "--json"))
    with pytest.raises(CommandError, match=message):
        run("station_set", key, value)
    assert json.loads(run("station_show", "--json")) == before


def test_set_covered_states_and_weather_cities_in_order(station):
    run("station_set", "covered_states", "tn, MS,TN")
    assert station_for_default_site().covered_state_codes() == ["TN", "MS"]
    run("station_set", "weather_cities", "Memphis,TN,35.14954,-90.0490; Tupelo,MS,34.2576,-88.7034")
    cities = json.loads(run("station_show", "--json"))["weather_cities"]
    assert cities == ["Memphis,TN,35.1495,-90.0490", "Tupelo,MS,34.2576,-88.7034"]


def test_set_a_logo_from_a_file_then_clear_it(station, tmp_path, client, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    logo = tmp_path / "wtva.png"
    PillowImage.new("RGB", (240, 80), (10, 60, 140)).save(logo)
    assert run("station_set", "logo", str(logo)).strip() == "logo = WNCS logo".replace(
        "WNCS", "Newscast 9 (demo station)"
    )
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (240, 80)
    header = client.get("/").content.decode()
    assert 'class="site-header__logo"' in header and 'alt="WNCS"' in header
    run("station_set", "logo", "")
    assert station_for_default_site().logo is None


def test_a_logo_that_is_not_an_image_is_refused(station, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    fake = tmp_path / "logo.png"
    fake.write_text("<html>not a picture</html>")
    with pytest.raises(CommandError, match="logo: .*(image|format)"):
        run("station_set", "logo", str(fake))
    with pytest.raises(CommandError, match="logo: No file at"):
        run("station_set", "logo", str(tmp_path / "missing.png"))
    assert not get_image_model().objects.exists()
