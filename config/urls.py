"""URL map: admin, each desk's own URLs, then Wagtail's page tree for everything else."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("newscast.core.urls")),
    path("", include("newscast.news.urls")),
    path("", include("newscast.datadesk.urls")),
    path("", include("newscast.weather.urls")),
    path("", include("newscast.closings.urls")),
]

if settings.NEWSCAST_WIRE_SAMPLES:
    # Only while the demo runs: the sample feeds it polls, and the sample agency's pages.
    urlpatterns.append(path("", include("newscast.wire.urls")))

if getattr(settings, "NEWSCAST_SERVE_MEDIA", False):
    # The demo serves uploads itself; production leaves them to nginx (deploy/). Documents
    # only through /documents/ (Wagtail's privacy rules and headers), as nginx does.
    from django.urls import re_path
    from django.views.static import serve

    def media(request, path):
        # MEDIA_ROOT read per request: tests point it at a temporary folder.
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    # Documents are never served from the folder: Django's document view applies their
    # collection's privacy and headers (docs/production.md, security).
    urlpatterns.append(re_path(r"^media/(?P<path>(?!documents/).*)$", media))

urlpatterns.append(path("", include(wagtail_urls)))

handler404 = "newscast.core.views.page_not_found"
handler500 = "newscast.core.views.server_error"
