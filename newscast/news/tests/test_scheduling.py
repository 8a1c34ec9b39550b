"""A scheduled story is Posted at the moment it goes live, not when it was scheduled."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newscast.core.models import JobRun
from newscast.news.models import StoryPage
from newscast.news.tasks import news_publish_scheduled

pytestmark = pytest.mark.django_db


def _run_job_after(go_live):
    """Run the every-minute job with the clock moved just past go_live (no waiting, so the
    outcome does not depend on how fast a loaded machine gets there)."""
    with time_machine.travel(go_live + timedelta(seconds=30), tick=False):
        JobRun.objects.all().delete()  # the next minute's slot
        news_publish_scheduled.call_local()


def test_story_scheduled_in_the_admin_is_posted_when_it_goes_live(section):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client = Client()
    client.force_login(user)
    go_live = timezone.localtime(timezone.now() + timedelta(minutes=10))
    data = {
        "title": "Council meets at noon",
        "slug": "council-meets-at-noon",
        "summary": "",
        "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
        "corrections": inline_formset([]),
        "story_authors": inline_formset([]),
        "tags": "",
        "update_note": "",
        "go_live_at": go_live.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "action-publish": "action-publish",
    }
    response = client.post(f"/admin/pages/add/news/storypage/{section.pk}/", nested_form_data(data))
    assert response.status_code == 302, response.content[:3000]
    story = StoryPage.objects.get(slug="council-meets-at-noon")

    assert not story.live

    _run_job_after(go_live)

    published = StoryPage.objects.get(pk=story.pk)

    assert published.live
    assert published.posted_at >= go_live
