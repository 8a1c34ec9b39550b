"""Admin: the breaking-news banner, the video library and the newsroom's authors as
snippets, and the unpublish reason in page history."""

from django.utils.html import format_html
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newscast.news.models import Author, BreakingNewsBanner
from newscast.news.services import UNPUBLISH_REASON_ACTION
from newscast.news.videos import Video


class BreakingNewsBannerViewSet(SnippetViewSet):
    model = BreakingNewsBanner
    icon = "warning"
    menu_label = "Breaking news"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["headline", "starts_at", "expires_at"]


register_snippet(BreakingNewsBannerViewSet)


class VideoViewSet(SnippetViewSet):
    """The video library: uploads and HLS addresses, captions required for aired video."""

    model = Video
    icon = "media"
    menu_label = "Videos"
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["title", "aired_on_tv", "duration_seconds", "created_at"]
    list_filter = ["aired_on_tv"]
    search_fields = ["title", "description", "transcript"]


register_snippet(VideoViewSet)


class AuthorViewSet(SnippetViewSet):
    """The newsroom's people: each has a page at /authors/<slug>/ that bylines link to."""

    model = Author
    icon = "user"
    menu_label = "Authors"
    add_to_admin_menu = True
    menu_order = 270
    list_display = ["name", "role", "slug"]
    search_fields = ["name", "role"]


register_snippet(AuthorViewSet)


@hooks.register("register_log_actions")
def register_news_log_actions(actions):
    @actions.register_action(UNPUBLISH_REASON_ACTION)
    class UnpublishReason(LogFormatter):
        label = "Unpublished (with reason)"

        def format_message(self, log_entry):
            return format_html("Unpublished: {}", log_entry.data.get("reason", ""))
