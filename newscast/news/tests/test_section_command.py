"""`newscast news section`: a fresh install gets its home page and sections from a script."""

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

from newscast.home.models import HomePage
from newscast.news.models import SectionPage

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("news_section", *args, stdout=out)
    return out.getvalue()


def test_a_fresh_install_gets_a_home_page_and_a_live_section(client):
    assert not HomePage.objects.exists()  # Wagtail's welcome page is the site's root
    out = run("local", "--title", "Local", "--intro", "Tupelo and Lee County.")
    assert out.strip() == "Made section 'Local' at /local/"
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    section = SectionPage.objects.get(slug="local")
    assert section.live and section.show_in_menus
    page = client.get("/local/")
    assert page.status_code == 200 and "Tupelo and Lee County." in page.content.decode()
    assert 'href="/local/"' in client.get("/").content.decode()  # in the header menu


def test_running_again_updates_the_section_instead_of_adding_one():
    run("local", "--title", "Local")
    out = run("local", "--title", "Local News", "--hidden")
    assert out.strip() == "Updated section 'Local News' at /local/"
    section = SectionPage.objects.get()
    assert (section.title, section.show_in_menus, section.live) == ("Local News", False, True)
    assert HomePage.objects.count() == 1


def test_a_bad_slug_is_refused_and_makes_no_section():
    with pytest.raises(CommandError, match="slug: Enter a valid"):
        run("Local News!", "--title", "Local")
    assert not SectionPage.objects.exists()
