"""The newsroom's people: an author's page (name, photo, role, bio, contact and social links)
and the stories they wrote.

An author is a snippet (Authors in the admin menu), not a page: a page of stories is a list
the news desk already draws (/authors/<slug>/, like /tags/<slug>/), and a snippet keeps people
out of the section tree. Stories name their authors in order; the plain `byline` text stays
for wire and guest bylines (docs/decisions/news-authors.md).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from newscast.core.sanitize import PlainFieldsBidiMixin


class Author(PlainFieldsBidiMixin, index.Indexed, ClusterableModel):
    """A reporter, anchor, meteorologist or producer whose bylines link to their page."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text="The page's address, /authors/<slug>/; made from the name when left empty.",
    )
    role = models.CharField(
        max_length=100, blank=True, help_text='As the newsroom says it: "Chief meteorologist".'
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = models.TextField(blank=True, help_text="A few sentences; blank lines start paragraphs.")
    email = models.EmailField(blank=True, help_text="Shown on the page for news tips.")
    phone = models.CharField(max_length=40, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("role"), FieldPanel("photo")]),
        FieldPanel("bio"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]), InlinePanel("links")],
            heading="Contact and social links",
        ),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("role"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "author"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)

    def _free_slug(self) -> str:
        base = slugify(self.name)[:90] or "author"
        slug, number = base, 2
        while Author.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug

    def get_absolute_url(self) -> str:
        return reverse("author", args=[self.slug])

    @property
    def bio_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.bio.split("\n\n") if part.strip()]


class AuthorLink(Orderable):
    """One contact or social link on an author's page ("X", "Facebook", "Website")."""

    author = ParentalKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=40, help_text='What readers see: "Instagram".')
    url = models.URLField(max_length=500)

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("url")])]

    def __str__(self):
        return f"{self.label}: {self.url}"


class StoryAuthor(Orderable):
    """An author of a story, in byline order."""

    story = ParentalKey("news.StoryPage", on_delete=models.CASCADE, related_name="story_authors")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="story_credits")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = "author"
