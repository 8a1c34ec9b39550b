"""Parsing recorded feed files of several real-world shapes into WireEntry records."""

from datetime import UTC, datetime

import pytest

from newscast.wire.parse import FeedError, WireEntry, parse_feed
from newscast.wire.tests.conftest import feed_file


def parse(name, **kwargs):
    return parse_feed(feed_file(name), **kwargs)


def test_rss2_content_encoded_media_content_and_dc_creator():
    feed = parse("rss2_network_content_encoded.xml")
    spillway, session = feed.entries
    assert feed.format == "rss20" and feed.title.startswith("Magnolia Network News")
    assert spillway.guid == "mnn-20200108-spillway"
    assert spillway.headline == "River authority opens spillway gates as rain totals climb"
    assert "<h2>What comes next</h2>" in spillway.body_html
    assert spillway.summary_html.startswith("Engineers opened four gates")
    assert spillway.byline == "By Dana Whitfield, Magnolia Network News"
    assert spillway.published == datetime(2020, 1, 8, 13, 0, tzinfo=UTC)
    assert spillway.updated is None  # pubDate is a publication date, not a version
    picture = spillway.pictures[0]
    assert picture.url == "https://cdn.example.net/photos/spillway-1200.jpg"
    assert picture.caption == "Water pours through the spillway gates on Wednesday."
    assert picture.credit == "Lee Ann Porter/Magnolia Network News"
    assert (picture.width, picture.height, picture.mime_type) == (1200, 675, "image/jpeg")
    assert spillway.keywords == ("Weather", "Flooding")
    assert session.pictures[0].url.endswith("capitol-thumb.jpg")  # media:thumbnail


def test_rss2_without_guids_uses_enclosure_pictures_only():
    library, podcast = parse("rss2_enclosure_no_guid.xml").entries
    assert library.guid == "" and "utm_campaign" in library.link
    assert library.pictures[0].url == "https://radio.example.org/images/library-hours.jpg"
    assert library.pictures[0].size == 48213
    assert library.byline == "Priya Natarajan"
    assert podcast.pictures == ()  # an audio enclosure is not a picture


def test_rss1_rdf_dc_date_is_a_modification_date():
    (notice,) = parse("rss1_rdf_dc_date.xml").entries
    assert notice.guid == "https://county.example.gov/news/2020-01-06-road-closure"
    assert notice.updated == datetime(2020, 1, 6, 15, 30, tzinfo=UTC)
    assert notice.byline == "Public Works Department"


def test_rss091_latin1_without_guid_or_date():
    feed = parse("rss091_no_dates.xml")
    (item,) = feed.entries
    assert feed.format == "rss091n"
    assert item.headline == "Ribbon cutting set for downtown café"
    assert item.guid == "" and item.published is None and item.updated is None


def test_atom_updated_authors_xml_base_and_xhtml_content():
    clinics, airport = parse("atom_agency_updated.xml").entries
    assert clinics.guid == "tag:agency.example.com,2020:gspa-1187"
    assert clinics.link == "https://agency.example.com/stories/2020/01/08/rural-clinics"
    assert clinics.updated == datetime(2020, 1, 8, 16, 0, tzinfo=UTC)
    assert clinics.byline == "Ruth Okafor, Tom Greer"
    assert "https://agency.example.com/images/clinic-inline.jpg" in clinics.body_html
    assert "<strong>Feb. 3</strong>" in airport.body_html
    assert airport.published is None and airport.updated is not None


def test_ninjs1_single_item_with_renditions_object():
    feed = parse("ninjs1_single_item.json")
    (item,) = feed.entries
    assert feed.format == "ninjs1"
    assert item.guid == "urn:newsml:wire.example.net:20200108:flu-season"
    assert item.link == ""  # a urn is not a web address
    assert item.version == "2" and item.pubstatus == "usable"
    assert item.headline == "Flu cases climb early as clinics urge shots"
    assert item.summary_html == "<p>Health officials say it is not too late to get vaccinated.</p>"
    # baseImage is preferred over the thumbnail, whatever the order in the file.
    assert item.pictures[0].url == "https://cdn.example.net/photos/flu-1024.jpg"
    assert item.pictures[0].credit == "Wes Hardin/Magnolia Network News"
    assert item.pictures[0].caption == "A nurse prepares a flu shot at a county clinic."
    assert item.keywords == ("Health",)


def test_ninjs2_list_prefers_html_body_and_reads_canceled():
    sirens, plant = parse("ninjs2_list.json").entries
    assert sirens.headline == "County tests new tornado sirens on Saturday"
    assert sirens.body_html.startswith("<p>The sirens will sound <em>twice</em>")
    assert sirens.byline == "Gulf States Press Agency"
    assert sirens.pictures[0].url.endswith("siren-900.jpg")
    assert sirens.published == datetime.fromisoformat("2020-01-08T10:00:00-06:00")
    assert plant.pubstatus == "canceled" and plant.withdrawn and plant.version == "3"


def test_ninjs3_camel_case_envelope_and_embargo():
    feed = parse("ninjs3_envelope_embargo.json")
    board, jobs = feed.entries
    assert feed.format == "ninjs3.0"
    assert board.version == "4"
    assert board.updated == datetime.fromisoformat("2020-01-08T13:20:00-06:00")
    assert board.published == datetime.fromisoformat("2020-01-08T09:00:00-06:00")
    assert board.pictures[0].url.endswith("board-preview.jpg")
    assert board.pictures[1].size == 10326191
    assert board.keywords == ("Education",)
    assert jobs.embargoed_until == datetime.fromisoformat("2031-01-10T07:30:00-06:00")


def test_agency_api_envelope_of_item_wrappers():
    content = b'{"data": {"items": [{"item": {"uri": "urn:a:1", "headline": "Wrapped"}}]}}'
    (item,) = parse_feed(content).entries
    assert (item.guid, item.headline) == ("urn:a:1", "Wrapped")


def test_ninjs_items_without_uri_are_skipped_with_a_warning():
    feed = parse_feed(b'[{"headline": "no uri"}, {"uri": "urn:b:2", "headline": "ok"}]')
    assert [e.guid for e in feed.entries] == ["urn:b:2"]
    assert feed.warnings == ["item 1 has no uri; skipped"]


def test_wrong_encoding_is_read_with_a_warning():
    feed = parse("rss2_cp1252_undeclared.xml", content_type="text/xml")
    (item,) = feed.entries
    assert item.headline == "Café owner wins “Small Business of the Year”"
    assert feed.warnings and feed.warnings[0].startswith("encoding:")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed_truncated.xml", "not well-formed XML"),
        ("html_page_instead.html", "served an HTML web page, not a feed"),
        ("malformed.json", "the JSON is malformed"),
    ],
)
def test_bad_files_raise_plain_words(name, message):
    with pytest.raises(FeedError, match=message):
        parse(name)


def test_empty_and_non_feed_xml():
    with pytest.raises(FeedError, match="empty"):
        parse_feed(b"  \n")
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(b"<?xml version='1.0'?><catalog><book/></catalog>")
    with pytest.raises(FeedError, match="neither a ninjs item"):
        parse_feed(b'{"hello": "world"}')


def test_forced_format_still_refuses_an_html_page():
    with pytest.raises(FeedError, match="HTML web page"):
        parse_feed(feed_file("html_page_instead.html"), fmt="syndication")


def test_entry_round_trips_through_json():
    (item,) = parse("ninjs1_single_item.json").entries
    assert WireEntry.from_json(item.to_json()) == item
