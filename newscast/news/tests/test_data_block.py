"""A story body can embed the data desk's state table (the seed page's case tables in a story)."""

import io

import pytest

from newscast.datadesk import demo as datadesk_demo
from newscast.datadesk.models import Dataset

pytestmark = pytest.mark.django_db


def test_story_embeds_a_state_table_that_follows_the_data(client, make_story):
    datadesk_demo.load(io.StringIO())
    dataset = Dataset.objects.get(slug="coronavirus")
    story = make_story(
        "Case counts climb in Lee County",
        body=[
            {"type": "paragraph", "value": "<p>Here is where things stand.</p>"},
            {"type": "data", "value": {"dataset": dataset.pk, "state": "MS", "display": "table"}},
        ],
    )
    html = client.get(story.url).content.decode()
    assert "Here is where things stand." in html
    # The embed itself, not the sidebar widget that every story page also carries.
    embed = html.split('<aside class="data-embed"', 1)[1].split("</aside>", 1)[0]
    assert 'aria-label="Mississippi Coronavirus Cases"' in embed
    assert "Hinds" in embed and "Lee" in embed and "Data is updated nightly." in embed
    assert "Sample data" in embed  # the demo dataset is labelled as sample wherever shown
