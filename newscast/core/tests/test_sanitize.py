from newscast.core.sanitize import clean_story_html, clean_text


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
