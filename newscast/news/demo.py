"""The demo station's pages: a home page, sections and sample stories written for Newscast."""

from __future__ import annotations

from wagtail.models import Page, Site

from newscast.home.models import HomePage


def home_page_ensure(site: Site) -> HomePage:
    """Make the site's root a HomePage, replacing Wagtail's placeholder welcome page."""
    root = site.root_page.specific
    if isinstance(root, HomePage):
        return root
    placeholder = root
    tree_root = Page.get_first_root_node()
    home = HomePage(title="Home", slug="home-page", show_in_menus=False)
    tree_root.add_child(instance=home)
    home.save_revision().publish()
    site.root_page = home
    site.save()
    if placeholder.depth > 1 and not placeholder.get_children().exists():
        placeholder.delete()
        home.slug = "home"
        home.save_revision().publish()
    return HomePage.objects.get(pk=home.pk)


def load(stdout) -> None:
    """Fill the demo's page tree and stories when the site has none."""
    home_page_ensure(Site.objects.get(is_default_site=True))
