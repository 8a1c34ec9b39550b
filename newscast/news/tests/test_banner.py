"""The breaking-news banner shows from its start until its expiry, then goes by itself."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from newscast.news.models import BreakingNewsBanner

pytestmark = pytest.mark.django_db


def render_banner() -> str:
    return Template("{% load news_tags %}{% breaking_news_banner %}").render(Context({}))


def test_active_banner_renders_with_its_link():
    now = timezone.now()
    BreakingNewsBanner.objects.create(
        headline="Tornado warning for Lee County",
        link_url="https://example.com/warning",
        starts_at=now - timedelta(minutes=1),
        expires_at=now + timedelta(hours=1),
    )

    html = render_banner()

    assert 'aria-label="Breaking news"' in html
    assert '<a href="https://example.com/warning">Tornado warning for Lee County</a>' in html


def test_expired_and_future_banners_render_nothing():
    now = timezone.now()
    BreakingNewsBanner.objects.create(
        headline="Old", starts_at=now - timedelta(hours=2), expires_at=now - timedelta(seconds=1)
    )
    BreakingNewsBanner.objects.create(
        headline="Later", starts_at=now + timedelta(hours=1), expires_at=now + timedelta(hours=2)
    )

    assert render_banner().strip() == ""


def test_newest_active_banner_wins():
    now = timezone.now()
    for minutes, headline in ((30, "Earlier"), (5, "Newer")):
        BreakingNewsBanner.objects.create(
            headline=headline,
            starts_at=now - timedelta(minutes=minutes),
            expires_at=now + timedelta(hours=1),
        )

    assert "Newer" in render_banner() and "Earlier" not in render_banner()


def test_banner_must_expire_after_it_starts():
    from django.core.exceptions import ValidationError

    now = timezone.now()
    banner = BreakingNewsBanner(headline="Backwards", starts_at=now, expires_at=now)

    with pytest.raises(ValidationError, match="expire after it starts"):
        banner.full_clean()


def test_a_new_banner_shows_at_once_and_a_deleted_one_goes():
    assert render_banner().strip() == ""  # caches "no banners"
    now = timezone.now()
    banner = BreakingNewsBanner.objects.create(
        headline="School closings", starts_at=now, expires_at=now + timedelta(hours=1)
    )

    assert "School closings" in render_banner()
    banner.delete()
    assert render_banner().strip() == ""


def test_a_banner_headline_loses_bidi_controls_when_cleaned():
    now = timezone.now()
    banner = BreakingNewsBanner(
        headline="Tornado \u202ewarning\u202c for Lee",
        starts_at=now,
        expires_at=now + timedelta(hours=1),
    )
    banner.full_clean()
    assert banner.headline == "Tornado warning for Lee"
