"""Run a batch of Wagtail's background tasks at once: the search index updated in bulk, per
model, and the reference index in one transaction (core.task_backend.index_updates_batched).

One task per story costs the worker a task of its own each: a database connection opened and
closed, a commit, one search-index write. A wire poll's thousand new stories are two thousand
such tasks (37 s on SQLite, 81 s on PostgreSQL, issue 12); as one batch they share all that.
The outcome is the same as running each task: what no longer exists is skipped.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from contextlib import suppress

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from modelsearch.index import get_search_backends_with_name
from wagtail.models import ReferenceIndex

logger = logging.getLogger(__name__)

# Named, not imported: this module loads with the task backend, while those modules are
# still declaring their tasks.
SEARCH_TASK = "modelsearch.tasks.insert_or_update_object_task"
REFERENCE_TASK = "wagtail.tasks.update_reference_index_task"


def wagtail_tasks_bulk_run(tasks: list) -> str:
    """Run (module_path, args, kwargs) tasks, each once; returns what was done, for the log."""
    search: dict[tuple[str, str], list] = defaultdict(list)
    references: dict[tuple[str, str], list] = defaultdict(list)
    others = []
    for module_path, args, kwargs in _unique(tasks):
        if module_path in (SEARCH_TASK, REFERENCE_TASK) and len(args) == 3 and not kwargs:
            by_model = search if module_path == SEARCH_TASK else references
            by_model[(args[0], args[1])].append(args[2])
        else:
            others.append((module_path, args, kwargs))
    indexed = sum(_search_index(apps.get_model(*model), pks) for model, pks in search.items())
    with transaction.atomic():
        referenced = sum(
            _references_index(apps.get_model(*model), pks) for model, pks in references.items()
        )
    for module_path, args, kwargs in others:
        import_string(module_path).call(*args, **kwargs)
    return (
        f"{indexed} objects indexed for search, {referenced} for references, "
        f"{len(others)} other tasks"
    )


def _unique(tasks: list) -> list:
    """A batch can hold the same update twice (two saves in two transactions): run it once."""
    seen = {
        json.dumps([path, args, kwargs], sort_keys=True): (path, args, kwargs)
        for path, args, kwargs in tasks
    }
    return list(seen.values())


def _search_index(model, pks: list) -> int:
    """What insert_or_update_object does for each object, with one add_bulk per class."""
    by_class = defaultdict(list)
    for instance in model._default_manager.filter(pk__in=pks):
        indexed = instance.get_indexed_instance()
        if indexed is not None:
            by_class[type(indexed)].append(indexed.pk)
    count = 0
    for cls, ids in by_class.items():
        # What the class indexes at all (Wagtail pages: exactly this page type), with the
        # related rows its search fields read (a story's tags) fetched for all at once.
        items = list(cls.get_indexed_objects().filter(pk__in=ids))
        if items:
            _backends_add(cls, items)
            count += len(items)
    return count


def _backends_add(cls, items: list) -> None:
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(cls, items)
        except Exception:
            # As modelsearch: an outside search service being down loses the update (logged;
            # `newscast update_index` rebuilds), a database backend's error is raised.
            logger.exception("adding %d %s to the %r search backend failed", len(items), cls, name)
            if not backend.catch_indexing_errors:
                raise


def _references_index(model, pks: list) -> int:
    """What update_reference_index_task does for each object, with the child rows it reads
    (a story's authors, tags, corrections, comments) fetched for all objects at once."""
    if _is_child_model(model):
        # A child row indexes its parent: Wagtail's own task finds it.
        task = import_string(REFERENCE_TASK)
        for pk in pks:
            with suppress(model.DoesNotExist):  # deleted since: its references went with it
                task.func(model._meta.app_label, model._meta.model_name, pk)
        return len(pks)
    if not ReferenceIndex.is_indexed(model):
        return 0
    children = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    count = 0
    for instance in model._default_manager.filter(pk__in=pks).prefetch_related(*children):
        ReferenceIndex.create_or_update_for_object(instance)
        count += 1
    return count


def _is_child_model(model) -> bool:
    return any(isinstance(field, ParentalKey) for field in model._meta.get_fields())
