import pytest

from newscast.core.sanitize import clean_story_html, clean_text
from newscast.core.tests.hostile import PAYLOADS, assert_clean


def test_scripts_handlers_and_javascript_links_are_removed():
    dirty = (
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a></p>'
        "<script>alert(1)</script><style>p{}</style>"
        '<img src="x.jpg" onerror="alert(1)" style="width:9000px" width="9000">'
    )
    clean = clean_story_html(dirty, base_url="https://wire.example.com/story/1")
    assert "script" not in clean and "alert" not in clean and "onclick" not in clean
    assert "onerror" not in clean and "style" not in clean and "9000" not in clean
    assert '<img src="https://wire.example.com/story/x.jpg">' in clean


def test_relative_links_become_absolute():
    clean = clean_story_html('<a href="/news/2">more</a>', base_url="https://wire.example.com/a/b")
    assert 'href="https://wire.example.com/news/2"' in clean
    assert 'rel="noopener noreferrer"' in clean


def test_only_allow_listed_iframes_keep_their_src():
    ok = clean_story_html('<iframe src="https://www.youtube.com/embed/abc" title="v"></iframe>')
    bad = clean_story_html('<iframe src="https://evil.example/x"></iframe>')
    assert 'src="https://www.youtube.com/embed/abc"' in ok
    assert "evil" not in bad


def test_clean_text_strips_every_tag():
    assert (
        clean_text("<b>Storms</b> <script>x()</script>hit Tupelo &amp; Lee")
        == "Storms hit Tupelo &amp; Lee"
    )


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_corpus_is_cleaned(name):
    assert_clean(clean_story_html(PAYLOADS[name], base_url="https://wire.example.com/a/"))
    assert_clean(clean_text(PAYLOADS[name]))


def test_srcset_candidates_are_checked_and_made_absolute():
    clean = clean_story_html(
        '<img src="a.jpg" srcset="a.jpg 1x, /b.jpg 2x">', base_url="https://wire.example.com/s/"
    )
    assert 'srcset="https://wire.example.com/s/a.jpg 1x, https://wire.example.com/b.jpg 2x"' in (
        clean
    )
    assert "srcset" not in clean_story_html('<img srcset="x.jpg 1x, javascript:y 2x">')


def test_cite_with_a_script_url_is_dropped_but_the_quote_stays():
    clean = clean_story_html('<q cite="javascript:alert(1)">Quote</q>')
    assert clean == "<q>Quote</q>"


def test_an_iframe_that_lost_its_source_is_dropped_whole():
    assert clean_story_html('<p>a</p><iframe src="https://evil.example/x">x</iframe>') == (
        "<p>a</p>"
    )


def test_bidi_controls_are_stripped_from_plain_text():
    assert (
        clean_text("Tornado \u202ewarning\u202c for \u2066Lee\u2069") == "Tornado warning for Lee"
    )
