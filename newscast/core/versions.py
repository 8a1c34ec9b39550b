"""The versions a public page reads on every request, in one query.

Whatever a page keeps in the cache is keyed by a version read from the database, so a
change shows on the next request in every process: the content version (core), the
closings board's version, the weather alerts' figures, the data desk's last load. Each desk
registers the plain-SQL read of its own (a scalar subquery, from its app's ready()); a
request reads them all in one round trip, the first time one is asked for.
"""

from __future__ import annotations

from django.db import connection

_REQUEST_ATTR = "_page_versions"
# name -> (scalar SELECT, params): plain SQL because it runs on every page, and building
# ORM queries cost more than running them. Identifiers in double quotes (SQLite and
# PostgreSQL alike).
_READS: dict[str, tuple[str, tuple]] = {
    "content": ('SELECT number FROM "news_contentversion" WHERE id = 1', ()),
}


def version_read_register(name: str, sql: str, params: tuple = ()) -> None:
    """Add a desk's version read (a SELECT of one value) to the one every page makes."""
    _READS[name] = (sql, params)


def versions_read() -> dict[str, object]:
    """Every registered version, as the database has it now (None: no row yet)."""
    names = list(_READS)
    select = ", ".join(f"({_READS[name][0]})" for name in names)
    params = [param for name in names for param in _READS[name][1]]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}", params)
        row = cursor.fetchone()
    return dict(zip(names, row, strict=True))


def version_for(request, name: str):
    """Version `name`, read with all the others once per request (each time without one)."""
    if request is None:
        return versions_read()[name]
    versions = getattr(request, _REQUEST_ATTR, None)
    if versions is None:
        versions = versions_read()
        setattr(request, _REQUEST_ATTR, versions)
    return versions[name]
