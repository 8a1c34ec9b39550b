"""Cache-Control for every response: news pages kept at the edge until purged, other public
pages micro-cached, editors and the admin never.

News pages (a view wrapped in `keep_at_edge`, or a Wagtail page whose class says
`kept_at_edge = True`) are kept by nginx for up to core.edge.EDGE_SECONDS (X-Accel-Expires)
and by a CDN as long (s-maxage), and purged when they change (core/edge.py,
docs/decisions/stack-purge-on-publish.md); browsers revalidate every time (max-age=0).

Every other public page: the shared cache in front of the site (nginx,
deploy/nginx.conf.template; or a CDN) keeps it for PUBLIC_SHARED_MAX_AGE seconds, then may
serve that copy for up to PUBLIC_STALE_WHILE_REVALIDATE more seconds while one request
fetches the new one. So a data load or a closing reaches readers within
PUBLIC_SHARED_MAX_AGE + PUBLIC_STALE_WHILE_REVALIDATE seconds plus one render: under the
5-second promise (docs/decisions/stack-caching.md). Browsers revalidate every time (max-age=0)
with the ETag that ConditionalGetMiddleware adds, which nginx answers with a 304 from its cache.
"""

from functools import wraps

from django.utils.cache import patch_cache_control

from newscast.core.edge import edge_seconds

PUBLIC_SHARED_MAX_AGE = 1
PUBLIC_STALE_WHILE_REVALIDATE = 3
# When gunicorn is down or failing, nginx may keep serving the last good page this long.
PUBLIC_STALE_IF_ERROR = 24 * 60 * 60

# Statuses that are the same for every reader and safe to keep for a second or two.
SHAREABLE_STATUSES = frozenset({200, 203, 301, 404, 410})
PRIVATE_PATH_PREFIXES = ("/admin/", "/django-admin/", "/healthz", "/metrics")


def keep_at_edge(view):
    """Mark a view's public answers as news pages: kept at the edge until purged."""

    @wraps(view)
    def kept(request, *args, **kwargs):
        request.kept_at_edge = True
        return view(request, *args, **kwargs)

    return kept


def is_private_request(request) -> bool:
    """True for editors, the admin, previews and operations URLs: never stored by a cache."""
    if request.path_info.startswith(PRIVATE_PATH_PREFIXES):
        return True
    if getattr(request, "is_preview", False):  # Wagtail sets it while rendering a preview
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class CacheControlMiddleware:
    """Set Cache-Control on every response that has not chosen its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private_request(request):
            # Overrides whatever the view said: an editor's page must never reach a shared cache.
            response["Cache-Control"] = "private, no-store"
        elif "Cache-Control" in response:
            pass  # the view (a feed, an API, /healthz) decided for itself
        elif request.method not in ("GET", "HEAD") or response.cookies:
            # A page that sets a cookie (a CSRF token for a form, a session) is that reader's.
            response["Cache-Control"] = "private, no-cache"
        elif response.status_code == 200 and getattr(request, "kept_at_edge", False):
            keep_until_purged(response, request)
        elif response.status_code in SHAREABLE_STATUSES:
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=PUBLIC_SHARED_MAX_AGE,
                stale_while_revalidate=PUBLIC_STALE_WHILE_REVALIDATE,
                stale_if_error=PUBLIC_STALE_IF_ERROR,
            )
        else:
            response["Cache-Control"] = "no-store"  # errors are never kept
        return response


def keep_until_purged(response, request=None) -> None:
    """A news page: nginx keeps it (X-Accel-Expires, which it never passes on), a CDN too
    (s-maxage), until a purge or edge_seconds(); the last good copy if Django fails."""
    seconds = edge_seconds(request)
    response["X-Accel-Expires"] = str(seconds)
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=seconds,
        stale_if_error=PUBLIC_STALE_IF_ERROR,
    )
