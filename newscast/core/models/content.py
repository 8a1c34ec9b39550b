"""The content version: one row whose number moves whenever anything a public page shows
changes, and its read and bump (cached fragments, core/fragments.py, are keyed by it)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

# Defined with the cache that uses it; kept importable from here, where it always was.
from newscast.core.versioned_cache import FRAGMENT_CACHE_SECONDS as FRAGMENT_CACHE_SECONDS
from newscast.core.versions import version_for

_REQUEST_ATTR = "_content_version"
# Inside content_version_bumps_deferred: a one-item list, True once a bump was asked for.
_bumps_deferred: ContextVar[list[bool] | None] = ContextVar("bumps_deferred", default=None)


class ContentVersion(models.Model):
    """One row whose number moves whenever anything a public page shows changes.

    Cached page fragments (story lists, story bodies, the section links) are keyed by this
    number (newscast/core/fragments.py), so a publish, unpublish, move, delete or a change of
    station settings or images shows on the next request in every web process. It lives in
    the database, not the cache: the jobs worker (scheduled publishing) and web processes
    without a shared cache see the same number, and a bump commits with the change itself.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "news_contentversion"
        verbose_name = "content version"

    def __str__(self):
        return f"Content version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


def content_version() -> int:
    """The current content version (one primary-key read).

    Plain SQL: it runs on every page, and building the ORM query cost more than running it.
    """
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def content_version_for(request) -> int:
    """The content version, read once per request with the desks' versions (core/versions.py;
    each time without a request)."""
    if request is None:
        return content_version()
    number = getattr(request, _REQUEST_ATTR, None)
    if number is None:
        number = version_for(request, "content") or 0
        setattr(request, _REQUEST_ATTR, number)
    return number


def content_version_bump() -> None:
    """Move the content version: every cached fragment is stale from this commit on.

    Inside content_version_bumps_deferred the move is only noted, and made once on leaving.
    """
    asked = _bumps_deferred.get()
    if asked is not None:
        asked[0] = True
        return
    with transaction.atomic():
        moved = ContentVersion.objects.filter(pk=1).update(
            number=F("number") + 1, changed_at=timezone.now()
        )
        if not moved:
            ContentVersion.objects.get_or_create(pk=1, defaults={"number": 1})


@contextmanager
def content_version_bumps_deferred():
    """Move the content version once, on leaving, however many changes asked for it inside.

    A wire poll filing 1,000 stories, one transaction each, would otherwise write the
    version row 1,000 times (and on PostgreSQL queue every story behind that row's lock).
    Lists cached in fragments show the poll's stories from its end; each story's own page is
    readable from its commit. The move happens even when the block fails part way, since
    what committed before the failure must show. Nested blocks leave it to the outermost.
    """
    if _bumps_deferred.get() is not None:
        yield
        return
    asked = [False]
    token = _bumps_deferred.set(asked)
    try:
        yield
    finally:
        _bumps_deferred.reset(token)
        if asked[0]:
            content_version_bump()
