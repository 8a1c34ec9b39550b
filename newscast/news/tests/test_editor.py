"""The story editor in the Wagtail admin: significant updates are ticked, not automatic."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newscast.news.models import StoryPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client():
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def publish_from_admin(client, story, **changes):
    data = {
        "title": story.title,
        "slug": story.slug,
        "summary": story.summary,
        "body": streamfield([("paragraph", rich_text("<p>Edited body.</p>"))]),
        "corrections": inline_formset([]),
        "story_authors": inline_formset([]),
        "tags": "",
        "update_note": "",
        "action-publish": "action-publish",
    }
    data.update(changes)
    return client.post(f"/admin/pages/{story.pk}/edit/", nested_form_data(data))


def test_edit_form_shows_the_significant_update_box_unticked(editor_client, make_story):
    story = make_story()
    StoryPage.objects.filter(pk=story.pk).update(significant_update=True)

    response = editor_client.get(f"/admin/pages/{story.pk}/edit/")

    assert response.status_code == 200
    assert response.context["form"].initial["significant_update"] is False
    assert b"This is a significant update" in response.content


def test_plain_publish_from_the_admin_keeps_updated(editor_client, make_story):
    story = make_story()

    response = publish_from_admin(editor_client, story, summary="A typo fixed.")

    assert response.status_code == 302
    published = StoryPage.objects.get(pk=story.pk)
    assert published.summary == "A typo fixed."
    assert published.posted_at == story.posted_at
    assert published.updated_at is None


def test_ticked_publish_from_the_admin_moves_updated_and_shows_the_note(editor_client, make_story):
    story = make_story()

    response = publish_from_admin(
        editor_client, story, significant_update="on", update_note="Adds the final vote."
    )

    assert response.status_code == 302
    published = StoryPage.objects.get(pk=story.pk)
    assert published.updated_at > story.posted_at
    assert published.update_note == "Adds the final vote."
    assert published.posted_at == story.posted_at


def test_ticked_without_a_note_is_refused(editor_client, make_story):
    story = make_story()

    response = publish_from_admin(editor_client, story, significant_update="on")

    assert response.status_code == 200
    assert "update_note" in response.context["form"].errors
    assert StoryPage.objects.get(pk=story.pk).updated_at is None


RLO, PDI = "\u202e", "\u2069"  # right-to-left override, pop directional isolate


def test_bidi_controls_typed_into_plain_fields_are_stripped_on_publish(editor_client, make_story):
    """A headline with a right-to-left override would read backwards (Trojan Source): the
    plain fields an editor types lose the controls, the rest of the text stays."""
    story = make_story()

    response = publish_from_admin(
        editor_client,
        story,
        title=f"Council {RLO}evorppa{PDI} splash pad",
        summary=f"Vote{RLO} tonight.",
        byline=f"By {RLO}Jane Doe",
        lead_caption=f"The park{PDI}",
        corrections=inline_formset(
            [
                {
                    "kind": "correction",
                    "noted_at": "2026-03-02 10:00",
                    "note": f"An earlier{RLO} version erred.",
                }
            ]
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    published = StoryPage.objects.get(pk=story.pk)
    assert published.title == "Council evorppa splash pad"
    assert published.summary == "Vote tonight."
    assert (published.byline, published.lead_caption) == ("By Jane Doe", "The park")
    assert published.corrections.get().note == "An earlier version erred."
    revision = published.latest_revision.as_object()  # the stored revision is clean too
    assert RLO not in revision.title and RLO not in revision.summary


def test_a_page_saved_in_code_loses_bidi_controls_too(make_story):
    story = make_story(f"Storm {RLO}warning{PDI}", summary=f"\u202a\u2066Sirens{PDI}")
    story.refresh_from_db()
    assert (story.title, story.summary) == ("Storm warning", "Sirens")
