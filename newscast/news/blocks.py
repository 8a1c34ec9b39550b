"""StreamField blocks of a story body: one template per block in templates/blocks/."""

from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from newscast.core.sanitize import clean_story_html, clean_text
from newscast.datadesk.blocks import DataEmbedBlock


class SanitizedHTMLBlock(blocks.RawHTMLBlock):
    """Outside HTML (a syndicated body): cleaned when saved and again when rendered.

    Cleaning on save keeps the database free of scripts; cleaning on render protects pages
    from anything stored before a tightening of the allow-list or written around the form.
    """

    def get_prep_value(self, value):
        return clean_story_html(super().get_prep_value(value) or "")

    def render_basic(self, value, context=None):
        return mark_safe(clean_story_html(value or ""))  # safe: cleaned by nh3 just now

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["clean_html"] = self.render_basic(value)
        return context

    def get_searchable_content(self, value):
        return [clean_text(value or "")]

    class Meta:
        icon = "code"
        label = "Outside HTML (sanitised)"
        template = "blocks/html_block.html"


class StoryImageBlock(blocks.StructBlock):
    """A photo inside the story with its caption and credit."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        help_text="Describe the photo for readers who cannot see it; blank uses the image title.",
    )
    caption = blocks.CharBlock(required=False)
    credit = blocks.CharBlock(required=False, help_text="Photographer or agency.")

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    """A pull quote with who said it."""

    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class VideoBlock(blocks.StructBlock):
    """A video from the library (Videos in the admin), with its captions and transcript."""

    video = SnippetChooserBlock("news.Video")
    caption = blocks.CharBlock(required=False, help_text="Text shown under the video.")

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"


class RelatedStoriesBlock(blocks.StructBlock):
    """Links to other stories, chosen by the editor."""

    heading = blocks.CharBlock(required=False, default="Related stories")
    stories = blocks.ListBlock(blocks.PageChooserBlock(page_type="news.StoryPage"))

    class Meta:
        icon = "link"
        template = "blocks/related_stories_block.html"


class StoryBodyBlock(blocks.StreamBlock):
    """The body of a story: the newsroom's own blocks, wire copy, and the data desk's tables."""

    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "h2", "h3", "ol", "ul", "document-link"],
        template="blocks/paragraph_block.html",
    )
    image = StoryImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    related = RelatedStoriesBlock()
    html = SanitizedHTMLBlock()
    data = DataEmbedBlock()
