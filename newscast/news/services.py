"""Writes of the news desk: creating, revising and unpublishing stories; adding videos.

Editors do this in the admin; the wire desk and scripts call these services, which go
through Wagtail's revisions and publishing so that history, scheduling and the
Posted/Updated rules are the same whichever way a story arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published

from newscast.news.models import Author, SectionPage, StoryAuthor, StoryPage
from newscast.news.videos import Video

UNPUBLISH_REASON_ACTION = "news.story.unpublished"


def _body_value(raw: list):
    """Raw StreamField data as blocks, so every block's own cleaning runs when it is saved
    (Wagtail would otherwise store untouched raw data as given, outside HTML included)."""
    if not isinstance(raw, list):
        return raw
    value = StoryPage.body.field.stream_block.to_python(raw)
    list(value)  # expand the lazy stream: only expanded blocks run their get_prep_value
    return value


@transaction.atomic
def story_create(
    section: SectionPage,
    *,
    title: str,
    summary: str = "",
    body: list | None = None,
    byline: str = "",
    source_credit: str = "",
    canonical_url: str = "",
    lead_image=None,
    lead_video: Video | None = None,
    lead_caption: str = "",
    lead_credit: str = "",
    authors: Iterable[Author] = (),
    tags: Iterable[str] = (),
    publish: bool = True,
    go_live_at: datetime | None = None,
    posted_at: datetime | None = None,
    user=None,
) -> StoryPage:
    """Add a story under the section and save its first revision.

    publish=True publishes it now, or schedules it when go_live_at is in the future (the
    jobs worker publishes it then); publish=False leaves a draft. posted_at, when given
    (a wire story's original time), is kept; otherwise it is set at first publish.
    `authors` are credited in byline order.
    """
    story = StoryPage(
        title=title,
        summary=summary,
        body=_body_value(body or []),
        byline=byline,
        source_credit=source_credit,
        canonical_url=canonical_url,
        lead_image=lead_image,
        lead_video=lead_video,
        lead_caption=lead_caption,
        lead_credit=lead_credit,
        go_live_at=go_live_at,
        posted_at=posted_at,
        live=False,
        owner=user,
    )
    story.story_authors = [StoryAuthor(author=author) for author in authors]
    if tags:
        story.tags.set(list(tags))
    section.add_child(instance=story)
    # add_child has just cleaned the page; the admin's create view skips the second clean too.
    revision = story.save_revision(user=user, log_action=True, clean=False)
    if publish:
        revision.publish(user=user)
        story.refresh_from_db()
    return story


# What Wagtail's create -> save_revision -> publish writes in a new page's history.
FILED_LIVE_ACTIONS = ("wagtail.create", "wagtail.edit", "wagtail.publish")


@transaction.atomic
def story_file_live(
    section: SectionPage,
    *,
    tags: Iterable[str] = (),
    posted_at: datetime | None = None,
    listed_in_sitemaps: bool = False,
    user=None,
    **fields,
) -> StoryPage | None:
    """Add a story that is live at once, by a short path for copy cleaned beforehand.

    It leaves what story_create(..., publish=True) leaves: the page live, one revision that
    is both latest and live, first-published and posted times, "created", "edited" and
    "published" in its history, page_published sent, the index updates queued. What it
    skips: Wagtail's two further saves of the page, its full clean (the wire cleaned the
    copy: newscast.wire.content) and a log entry saved and validated a query per key at a
    time; that was some seventy queries a story, this is about a dozen. `fields` are the
    StoryPage fields. Returns None, having written nothing, when the title gives no address
    (slug): story_create's full clean says why to the caller then.
    """
    now = timezone.now()
    body = fields.pop("body", None) or []
    story = StoryPage(
        **fields,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        posted_at=posted_at,
        owner=user,
        locale_id=section.locale_id,
    )
    story.body = _body_value(body)
    story.draft_title = story.title
    story.agency_copy_in_sitemaps = listed_in_sitemaps
    story.plain_fields_bidi_strip()
    if tags:
        story.tags.set(list(tags))
    if not _tree_place(section, story):
        return None
    story.save(clean=False, log_action=None)  # history is written below, in one insert
    revision = Revision.objects.create(
        content_object=story,
        base_content_type=story.get_base_content_type(),
        user=user,
        content=story.serializable_data(),
        object_str=str(story),
    )
    Page.objects.filter(pk=story.pk).update(
        latest_revision=revision, live_revision=revision, latest_revision_created_at=now
    )
    story.latest_revision = story.live_revision = revision
    story.latest_revision_created_at = now
    _history_filed_live(story, revision, user, now)
    page_published.send(sender=StoryPage, instance=story, revision=revision)
    return story


def _tree_place(section: SectionPage, story: StoryPage) -> bool:
    """Give the story its place under the section as treebeard's add_child does (the
    section's row locked, the next path, numchild moved) and its slug, without the save."""
    parent = Page.objects.select_for_update().only("path", "depth", "numchild").get(pk=section.pk)
    last = parent.get_last_child() if parent.numchild else None
    story.depth = parent.depth + 1
    story.path = last._inc_path() if last else Page._get_path(parent.path, story.depth, 1)
    story._cached_parent_obj = section
    base_slug = slugify(story.title, allow_unicode=True)
    if not base_slug:
        return False
    story.slug = story._get_autogenerated_slug(base_slug)
    Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + 1)
    section.numchild = parent.numchild + 1
    return True


def _history_filed_live(story: StoryPage, revision, user, now) -> None:
    """The page's created/edited/published entries, written in one insert (bulk_create
    skips the per-entry full clean; these actions are Wagtail's own, always registered)."""
    content_type = ContentType.objects.get_for_model(story, for_concrete_model=False)
    label = story.get_admin_display_title()
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            content_type=content_type,
            label=label,
            action=action,
            timestamp=now,
            data={},
            user=user,
            page=story,
            revision=None if action == "wagtail.create" else revision,
            content_changed=action != "wagtail.create",
        )
        for action in FILED_LIVE_ACTIONS
    )


def story_sitemap_listing_set(story_ids: Iterable[int], *, listed: bool) -> int:
    """Whether these agency copies appear in the sitemaps (their feed's setting).

    Written on the page row, not in a revision: it follows the feed, so publishing an older
    revision must not undo it (StoryPage.with_content_json keeps it). Returns rows changed.
    """
    stories = StoryPage.objects.filter(pk__in=list(story_ids))
    return stories.exclude(agency_copy_in_sitemaps=listed).update(agency_copy_in_sitemaps=listed)


def video_create(**fields) -> Video:
    """Add a video to the library after the admin's own checks (a source is given, captions
    on video that aired on TV, WebVTT captions): raises ValidationError otherwise."""
    video = Video(**fields)
    video.full_clean()
    video.save()
    return video


@transaction.atomic
def story_revise(
    story: StoryPage,
    *,
    fields: dict,
    update_note: str | None = None,
    user=None,
    publish: bool = True,
) -> StoryPage:
    """Apply field changes to the story's latest version and save a revision.

    With an update_note this is a significant update: when published, Updated moves to
    that moment and the note is shown. Without one, Posted/Updated stay as they are.
    `fields` may include "tags" (a list of names). Publishes unless publish=False.
    """
    draft = story.get_latest_revision_as_object()
    fields = dict(fields)
    tags = fields.pop("tags", None)
    for name, value in fields.items():
        if not hasattr(draft, name):
            raise ValueError(f"StoryPage has no field {name!r}")
        setattr(draft, name, _body_value(value) if name == "body" else value)
    if tags is not None:
        draft.tags.set(list(tags))
    draft.significant_update = update_note is not None
    if update_note is not None:
        draft.update_note = update_note
    revision = draft.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return StoryPage.objects.get(pk=story.pk)


@transaction.atomic
def story_unpublish(story: StoryPage, *, reason: str, user=None) -> StoryPage:
    """Take the story off the site and record why in its history (the admin's log)."""
    story.unpublish(user=user)
    PageLogEntry.objects.log_action(
        instance=story, action=UNPUBLISH_REASON_ACTION, user=user, data={"reason": reason}
    )
    return StoryPage.objects.get(pk=story.pk)
