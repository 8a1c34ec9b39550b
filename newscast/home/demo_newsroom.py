"""The demo station's pages: a home page, sections and sample stories written for Newscast.

Every story here is fictional and written for the project; the images are drawn locally
with Pillow and say "Sample image" on their face. The sample video is a six-second test
pattern and tone made with ffmpeg for the project (newscast/static/video/sample/), with a
WebVTT caption track written for it.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from django.templatetags.static import static
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from newscast.home.models import HomePage, HomeTopStory
from newscast.news.authors import Author, AuthorLink
from newscast.news.models import (
    BreakingNewsBanner,
    SectionPage,
    StoryCorrection,
    StoryPage,
    VideoSectionPage,
)
from newscast.news.services import story_create, story_revise, video_create
from newscast.news.videos import Video

SAMPLE_VIDEO_DIR = Path(__file__).resolve().parent.parent / "static" / "video" / "sample"

SECTIONS = [
    ("local", "Local", "Tupelo, Lee County and the towns around them."),
    ("mississippi", "Mississippi", "News from across the state."),
    ("nation-world", "Nation & World", "National and world news from our wire partners."),
    ("sports", "Sports", "High school, college and community sports."),
    ("community", "Community", "Schools, libraries, churches and neighbors."),
]

# (name, top colour, bottom colour) of each locally drawn sample picture.
SAMPLE_IMAGES = [
    ("City hall", (11, 61, 145), (120, 170, 230)),
    ("School bus", (200, 140, 20), (250, 220, 120)),
    ("Trail and trees", (30, 100, 50), (150, 210, 140)),
    ("Farm field", (120, 90, 40), (220, 200, 120)),
    ("Ball field", (20, 110, 60), (240, 240, 240)),
    ("Library", (100, 40, 90), (230, 190, 220)),
]
SHARE_SPECS = ["fill-1200x675", "fill-960x540", "fill-480x270"]  # drawn ahead: fast first load


def _p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


# The demo's sample newsroom: (name, role, portrait colours, bio). People written for the
# project, not real journalists; their pages say so.
SAMPLE_AUTHORS = [
    ("Dana Whitfield", "City hall reporter", (11, 61, 145), (120, 170, 230),
     "Dana covers Tupelo city government, parks and budgets."),
    ("Marcus Bell", "Education reporter", (200, 140, 20), (250, 220, 120),
     "Marcus covers schools, buses and the people who run them across Lee County."),
    ("Priya Raman", "Outdoors and environment reporter", (30, 100, 50), (150, 210, 140),
     "Priya covers trails, rivers and the weather's mark on the region."),
    ("Chris Hollis", "Sports reporter", (20, 110, 60), (240, 240, 240),
     "Chris covers high school and college sports in northeast Mississippi."),
    ("Lena Ortiz", "Community reporter", (100, 40, 90), (230, 190, 220),
     "Lena covers libraries, churches, schools and neighbors."),
]  # fmt: skip
SAMPLE_AUTHOR_NOTE = "A sample author written for the Newscast demo, not a real person."

# (section, image index or None, hours ago, title, summary, byline, tags, body blocks)
STORIES = [
    (
        "local",
        0,
        2,
        "Tupelo council votes to keep city splash pads open later this summer",
        "The council voted 6-1 to extend evening hours at two splash pads through Labor Day.",
        "By Dana Whitfield",
        ["tupelo", "city council", "parks"],
        _p(
            "The Tupelo City Council voted 6-1 Tuesday night to keep the city's two splash "
            "pads open until 8 p.m. through Labor Day, two hours later than last summer.",
            "Parks staff told the council the later hours would cost about $9,000 in extra "
            "lifeguard and maintenance time, paid from the parks department's existing budget.",
        )
        + [
            {
                "type": "quote",
                "value": {
                    "quote": "Families told us the pads closed just as it cooled off enough "
                    "to go outside.",
                    "attribution": "Parks director (fictional, for the Newscast demo)",
                },
            }
        ]
        + _p("The lone vote against the change asked for a review of attendance in August."),
    ),
    (
        "local",
        1,
        5,
        "Lee County schools add an evening bus route for after-school programs",
        "Students in tutoring and band can ride home on a new 6 p.m. route starting next month.",
        "By Marcus Bell",
        ["lee county", "schools"],
        _p(
            "Lee County School District will run a late bus route on weekdays starting next "
            "month, so students who stay for tutoring, band or robotics have a ride home.",
            "The district said the route covers the county's western side first and will "
            "add stops where parents ask for them.",
        ),
    ),
    (
        "local",
        2,
        9,
        "Volunteers plant 300 trees along a Tupelo walking trail",
        "About 80 volunteers planted oaks, maples and redbuds on a Saturday morning.",
        "By Dana Whitfield",
        ["tupelo", "volunteers", "trees"],
        _p(
            "About 80 volunteers planted 300 young trees along a city walking trail on "
            "Saturday, part of a plan to shade the trail within ten years.",
            "Organizers said the next planting day is set for the spring.",
        ),
    ),
    (
        "mississippi",
        3,
        14,
        "Starkville researchers test drones that map flooded farmland",
        "A university team flew drones over fields in the Delta to measure standing water.",
        "By Priya Raman",
        ["starkville", "agriculture", "research"],
        _p(
            "A research team in Starkville is testing drones that map standing water on "
            "farmland after heavy rain, hoping to help farmers decide when to replant.",
            "The team said the maps take about an hour to make for a 200-acre field.",
        ),
    ),
    (
        "mississippi",
        None,
        20,
        "Columbus riverwalk reopens after bank repairs",
        "The walkway along the Tombigbee River reopened after three months of work.",
        "By Priya Raman",
        ["columbus", "parks"],
        _p(
            "The Columbus riverwalk reopened Friday after crews shored up a section of the "
            "riverbank that had slumped after spring rains.",
            "City officials said the repair stayed within its budget.",
        ),
    ),
    (
        "sports",
        4,
        26,
        "Tupelo High rallies late to win its region opener",
        "Two fourth-quarter touchdowns lifted the Golden Wave to a 24-21 win.",
        "By Chris Hollis",
        ["tupelo", "high school football"],
        _p(
            "Tupelo scored twice in the final six minutes to win its region opener 24-21 on "
            "Friday night in a game played for the Newscast demo.",
            "The winning score came on a 12-yard run with 48 seconds left.",
        ),
    ),
    (
        "sports",
        None,
        31,
        "Oxford youth soccer league doubles its fall sign-ups",
        "More than 600 children signed up, and the league is looking for coaches.",
        "By Chris Hollis",
        ["oxford", "youth sports"],
        _p(
            "Oxford's youth soccer league says fall registration passed 600 players, about "
            "twice last year's count, and it needs 20 more volunteer coaches.",
        ),
    ),
    (
        "community",
        5,
        40,
        "Pontotoc library card drive passes its goal",
        "The library signed up 1,200 new card holders during its September drive.",
        "By Lena Ortiz",
        ["pontotoc", "libraries"],
        _p(
            "Pontotoc's public library signed up 1,200 new card holders in September, "
            "passing its goal of 1,000 with a week to spare.",
        ),
    ),
    (
        "community",
        None,
        52,
        "Verona food pantry adds Saturday hours before the holidays",
        "The pantry will open from 9 a.m. to noon on Saturdays through December.",
        "By Lena Ortiz",
        ["verona", "food pantry"],
        _p(
            "A Verona food pantry will open on Saturday mornings through December to serve "
            "families who work during the week.",
        ),
    ),
    (
        "local",
        None,
        60,
        "Overnight lane closures planned on a Tupelo boulevard",
        "One lane in each direction will close from 8 p.m. to 5 a.m. for resurfacing.",
        "By Marcus Bell",
        ["tupelo", "traffic"],
        _p(
            "Drivers should expect overnight lane closures on a busy Tupelo boulevard for "
            "two weeks while crews resurface the road.",
        ),
    ),
    (
        "mississippi",
        None,
        75,
        "State fair organizers report a record crowd",
        "Organizers counted more visitors than any year before.",
        "By Priya Raman",
        ["state fair"],
        _p("Organizers of the state fair said this year's attendance set a record."),
    ),
]

WIRE_STORY = {
    "section": "nation-world",
    "hours_ago": 4,
    "title": "Federal safety agency reminds families how to use space heaters safely",
    "summary": "Keep heaters three feet from anything that can burn, the agency says.",
    "source_credit": "Sample Wire Service",
    "canonical_url": "https://wire.example.com/stories/space-heater-safety",
    "body_html": (
        "<p>WASHINGTON (Sample Wire Service) — As temperatures drop, a federal safety agency "
        "is reminding families to keep space heaters at least three feet from anything that "
        "can burn and to plug them directly into a wall outlet.</p>"
        "<p>The agency said heaters should be turned off when people leave the room or go "
        "to sleep. <em>This wire story is fictional, written for the Newscast demo.</em></p>"
    ),
}


def home_page_ensure(site: Site) -> HomePage:
    """Make the site's root a HomePage, replacing Wagtail's placeholder welcome page."""
    root = site.root_page.specific
    if isinstance(root, HomePage):
        return root
    home = HomePage(title="Home", slug="home-page")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site.root_page = home
    site.save()
    if root.depth > 1 and not root.get_children().exists():
        root.delete()  # Wagtail's "Welcome to your new Wagtail site!" page
    return HomePage.objects.get(pk=home.pk)


# Wagtail's placeholder site and the demo's own loopback addresses; any other hostname was
# set by someone in Settings -> Sites and is left alone.
DEMO_HOSTNAMES = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def site_address_follow_demo(site: Site) -> None:
    """Give the site the address the demo serves on (settings.WAGTAILADMIN_BASE_URL).

    Canonical links, og:url, JSON-LD, feeds and sitemaps print the site's hostname and
    port, so `newscast demo --port 8123` must not leave them pointing at another port.
    """
    if site.hostname not in DEMO_HOSTNAMES:
        return
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if not address.hostname:
        return
    port = address.port or (443 if address.scheme == "https" else 80)
    if (site.hostname, site.port) != (address.hostname, port):
        site.hostname, site.port = address.hostname, port
        site.save()


def load(stdout) -> None:
    """Fill the demo's sections and sample stories when the site has no stories yet."""
    site = Site.objects.get(is_default_site=True)
    home = home_page_ensure(site)
    site_address_follow_demo(site)
    if StoryPage.objects.exists():
        return
    sections = {slug: _section(home, slug, title, intro) for slug, title, intro in SECTIONS}
    images = [_sample_image(name, top, bottom) for name, top, bottom in SAMPLE_IMAGES]
    authors = sample_authors_create()
    now = timezone.now()
    stories = []
    for slug, image, hours, title, summary, byline, tags, body in STORIES:
        author = authors.get(byline.removeprefix("By "))
        stories.append(
            story_create(
                sections[slug],
                title=title,
                summary=summary,
                body=body,
                byline="" if author else byline,
                authors=[author] if author else [],
                tags=[*tags, "sample"],
                lead_image=images[image] if image is not None else None,
                lead_caption="A picture drawn for the Newscast demo." if image is not None else "",
                lead_credit="Sample image" if image is not None else "",
                posted_at=now - timedelta(hours=hours),
            )
        )
    stories.append(_video_story(home, sections, now, authors))
    stories.append(  # last: the editorial touches put the wire story among the top stories
        story_create(
            sections[WIRE_STORY["section"]],
            title=WIRE_STORY["title"],
            summary=WIRE_STORY["summary"],
            body=[{"type": "html", "value": WIRE_STORY["body_html"]}],
            source_credit=WIRE_STORY["source_credit"],
            canonical_url=WIRE_STORY["canonical_url"],
            tags=["safety", "sample"],
            posted_at=now - timedelta(hours=WIRE_STORY["hours_ago"]),
        )
    )
    _editorial_touches(home, stories, now)
    stdout.write(f"News desk: {len(sections)} sections, {len(stories)} sample stories.")


VIDEO_STORY = {
    "section": "community",
    "hours_ago": 5,
    "title": "Watch: how the newsroom captions every video it puts online",
    "summary": "A sample clip shows the captions and transcript that come with every video "
    "that aired on our newscasts.",
    "author": "Dana Whitfield",
    "body": (
        "Every video that aired on our newscasts is captioned on this site too, as federal "
        "rules require. Captions are on when the video starts; the transcript is below it.",
        "This six-second clip is a sample made for the Newscast demo: a test pattern and a tone.",
    ),
}


def sample_authors_create() -> dict[str, Author]:
    """The sample newsroom's authors, each with a drawn "sample image" portrait, by name."""
    authors = {}
    for name, role, top, bottom, bio in SAMPLE_AUTHORS:
        author = Author(
            name=name,
            role=f"{role} (sample)",
            photo=_sample_image(f"{name} portrait", top, bottom),
            bio=f"{bio}\n\n{SAMPLE_AUTHOR_NOTE}",
            email=f"{name.split()[0].lower()}@example.com",
        )
        author.links = [AuthorLink(label="Newsroom page (sample)", url="https://example.com/")]
        author.save()
        authors[name] = author
    return authors


def _video_story(home: HomePage, sections: dict, now, authors: dict) -> StoryPage:
    """The Video section and a story that leads with the sample clip (MP4, HLS, captions)."""
    video_section = VideoSectionPage(
        title="Video",
        slug="video",
        introduction="Stories that lead with video, newest first. Every video is captioned.",
        show_in_menus=True,
    )
    home.add_child(instance=video_section)
    video_section.save_revision().publish()
    return story_create(
        sections[VIDEO_STORY["section"]],
        title=VIDEO_STORY["title"],
        summary=VIDEO_STORY["summary"],
        authors=[authors[VIDEO_STORY["author"]]],
        body=_p(*VIDEO_STORY["body"]),
        lead_video=sample_video_create(),
        tags=["video", "sample"],
        posted_at=now - timedelta(hours=VIDEO_STORY["hours_ago"]),
    )


def sample_video_create() -> Video:
    """The demo's sample clip in the library: MP4 upload, HLS from static files, captions."""
    with (SAMPLE_VIDEO_DIR / "sample-clip-poster.jpg").open("rb") as poster_file:
        poster = get_image_model()(
            title="Sample video poster (Newscast demo)",
            file=ImageFile(poster_file, name="sample-clip-poster.jpg"),
        )
        poster.save()
    with (
        (SAMPLE_VIDEO_DIR / "sample-clip.mp4").open("rb") as mp4,
        (SAMPLE_VIDEO_DIR / "sample-clip.vtt").open("rb") as vtt,
    ):
        return video_create(
            title="Sample clip: a captioned test pattern",
            description="A six-second test pattern and tone made for the Newscast demo.",
            file=File(mp4, name="sample-clip.mp4"),
            hls_url=static("video/sample/sample-clip.m3u8"),
            captions=File(vtt, name="sample-clip.vtt"),
            poster=poster,
            duration_seconds=6,
            aired_on_tv=True,
            credit="Sample video (Newscast demo)",
            transcript="[Sample video] This is the Newscast demo clip. Captions are on by "
            "default, as on air. [Tone plays] End of the sample clip.",
        )


def _section(home: HomePage, slug: str, title: str, intro: str) -> SectionPage:
    section = SectionPage(title=title, slug=slug, introduction=intro, show_in_menus=True)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def _sample_image(name: str, top: tuple, bottom: tuple):
    """A 1600x900 gradient with the words "Sample image" on it, saved as a Wagtail image."""
    width, height = 1600, 900
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / (height - 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    font = ImageFont.load_default(size=96)
    small = ImageFont.load_default(size=48)
    draw.text((80, 620), "SAMPLE IMAGE", font=font, fill=(255, 255, 255))
    draw.text((84, 740), f"{name} (Newscast demo)", font=small, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    image = get_image_model()(
        title=f"Sample image: {name}",
        description=f"Sample picture for the demo: {name.lower()}",
        file=ImageFile(buffer, name=f"sample-{name.lower().replace(' ', '-')}.jpg"),
    )
    image.save()
    for spec in SHARE_SPECS:
        image.get_rendition(spec)
    return image


def _editorial_touches(home: HomePage, stories: list[StoryPage], now) -> None:
    """Curate the home page, and show a significant update, a correction and a banner."""
    home.lead_story = stories[0]
    home.top_stories = [
        HomeTopStory(story=story) for story in (stories[-1], stories[1], stories[3])
    ]
    home.save_revision().publish()
    story_revise(
        stories[1],
        fields={"summary": "Students in tutoring, band and robotics can ride a 6 p.m. route."},
        update_note="Adds robotics to the programs served by the late route.",
    )
    StoryCorrection.objects.create(
        story=stories[2],
        kind=StoryCorrection.Kind.CORRECTION,
        noted_at=now - timedelta(hours=3),
        note="An earlier version said 200 trees were planted. Volunteers planted 300.",
    )
    BreakingNewsBanner.objects.create(
        headline="Sample banner: the Newscast demo site is running",
        link_page=stories[0],
        starts_at=now,
        expires_at=now + timedelta(days=1),
    )
