"""Identity of items and the order of their versions."""

from newscast.wire.identity import identity_key, is_newer, normalise_link, version_key


def test_normalise_link_drops_tracking_fragment_and_case():
    assert (
        normalise_link("HTTPS://Radio.Example.org:443/news/x/?utm_source=rss&b=2&a=1&fbclid=z#top")
        == "https://radio.example.org/news/x?a=1&b=2"
    )
    assert normalise_link("http://example.com:8080/") == "http://example.com:8080/"


def test_identity_prefers_guid_then_link():
    assert identity_key(" abc ", "https://x.example/1") == "guid:abc"
    assert identity_key("", "https://x.example/1/?utm_medium=feed") == "link:https://x.example/1"
    assert identity_key("", "") == ""


def test_version_key_explicit_then_date_then_hash():
    from datetime import UTC, datetime

    when = datetime(2020, 1, 8, tzinfo=UTC)
    assert version_key(version="3", updated=when, content_hash="h") == "v:3"
    assert version_key(version="", updated=when, content_hash="h") == f"d:{when.isoformat()}"
    assert version_key(version="", updated=None, content_hash="abc") == "h:abc"


def test_versions_and_dates_only_move_forward():
    assert is_newer("v:10", "v:9") and not is_newer("v:9", "v:10") and not is_newer("v:4", "v:4")
    assert is_newer("d:2020-01-08T17:00:00+00:00", "d:2020-01-08T10:00:00-06:00")
    assert not is_newer("d:2020-01-08T16:00:00+00:00", "d:2020-01-08T10:00:00-06:00")
    assert is_newer("h:b", "h:a") and not is_newer("h:a", "h:a")
    assert is_newer("v:1", "")
