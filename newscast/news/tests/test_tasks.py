"""The every-minute job publishes scheduled stories and expires stories past their expiry."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from newscast.core.models import JobRun
from newscast.news.models import StoryPage
from newscast.news.services import story_create
from newscast.news.tasks import news_publish_scheduled

pytestmark = pytest.mark.django_db


def test_scheduled_story_goes_live_when_the_job_runs(section):
    go_live = timezone.now() + timedelta(minutes=10)
    story = story_create(section, title="Scheduled for the morning", go_live_at=go_live)
    assert not StoryPage.objects.get(pk=story.pk).live

    news_publish_scheduled.call_local()  # before its time: nothing happens
    assert not StoryPage.objects.get(pk=story.pk).live

    # The clock moved past go_live, not waited for: the outcome is the same on a loaded machine.
    with time_machine.travel(go_live + timedelta(seconds=30), tick=False):
        JobRun.objects.all().delete()  # the next minute's slot
        news_publish_scheduled.call_local()

    published = StoryPage.objects.get(pk=story.pk)
    assert published.live
    assert published.posted_at is not None
    run = JobRun.objects.get(job="news_publish_scheduled")
    assert run.outcome == JobRun.Outcome.SUCCESS
    assert run.summary.startswith("published 1 scheduled")


def test_expired_story_is_taken_down(make_story):
    story = make_story()
    StoryPage.objects.filter(pk=story.pk).update(expire_at=timezone.now() - timedelta(minutes=1))

    news_publish_scheduled.call_local()

    gone = StoryPage.objects.get(pk=story.pk)
    assert not gone.live
    assert gone.expired
