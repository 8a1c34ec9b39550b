"""Scheduled publishing: every minute the jobs worker publishes and expires what is due."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from newscast.core.jobs import periodic_job


def publish_scheduled() -> str:
    """Run Wagtail's own publish_scheduled (go-live and expiry of pages and snippets) and
    return a one-line summary of what was due."""
    now = timezone.now()
    due = Revision.objects.filter(approved_go_live_at__lt=now).count()
    expiring = Page.objects.filter(live=True, expire_at__lt=now).count()
    call_command("publish_scheduled", stdout=io.StringIO())
    return f"published {due} scheduled revision(s), expired {expiring} page(s)"


# Scheduled stories go live within the minute.
@periodic_job(
    "news_publish_scheduled",
    every="every minute",
    fresh_within=timedelta(minutes=10),
    minute="*",
)
def news_publish_scheduled() -> str:
    return publish_scheduled()
