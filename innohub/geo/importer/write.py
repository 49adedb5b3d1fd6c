"""Writing a checked plan: new areas a generation at a time with their paths set in bulk,
changed fields by value, moves one by one (a move rewrites the subtree's paths)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from ..models import Area
from ..selectors import LOOKUP_CHUNK
from .plan import Plan
from .rows import Row

BATCH_SIZE = 500


def write(plan: Plan) -> int:
    """Create, then update, then move; how many areas were created. A new area's parent must
    have an id before the area is created, so new areas are created a generation at a time
    (parents first)."""
    areas = dict(plan.existing)
    generation: dict[str, int] = {}
    for row in plan.new:
        generation[row.code] = generation.get(row.parent_code, -1) + 1
    created = 0
    for depth in range(max(generation.values(), default=-1) + 1):
        rows = [row for row in plan.new if generation[row.code] == depth]
        batch = [
            Area(
                code=row.code,
                parent_id=areas[row.parent_code].pk if row.parent_code else None,
                **row.values,
            )
            for row in rows
        ]
        Area.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        areas.update((area.code, area) for area in batch)
        _write_paths(batch)
        created += len(batch)

    staying: list[tuple[Area, dict[str, Any]]] = []
    moving: list[Row] = []
    for row, area in plan.changed:
        parent_id = areas[row.parent_code].pk if row.parent_code else None
        if area.parent_id == parent_id:
            staying.append((area, row.values))
        else:
            moving.append(row)
    _write_changes(staying)

    # A move rewrites the paths of everything below (TreeNode.save); read each area fresh,
    # since an earlier move may have rewritten its path or its new parent's.
    for row in moving:
        area = Area.objects.get(code=row.code)
        for key, value in row.values.items():
            setattr(area, key, value)
        area.parent = Area.objects.get(code=row.parent_code) if row.parent_code else None
        area.save()

    return created


def _write_changes(changes: list[tuple[Area, dict[str, Any]]]) -> None:
    """Only the fields that changed, one UPDATE per field and new value (per 500 areas):
    a new wage for every union of a district is one query, not one per union, and far
    cheaper than a bulk_update, whose every row is a CASE branch of every field."""
    now = timezone.now()
    ids_by_change: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for area, values in changes:
        for key, value in values.items():
            if getattr(area, key) != value:
                ids_by_change[(key, value)].append(area.pk)
    for (key, value), ids in ids_by_change.items():
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = Area.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK])
            chunk.update(**{key: value, "modified": now})


def _write_paths(new_areas: list[Area]) -> None:
    """The materialised paths of freshly created areas whose parents already have theirs:
    the parent's path and the area's own id, set in the database a chunk at a time (a
    bulk_update would send every path back as a CASE branch)."""
    parent = Area.objects.filter(pk=OuterRef("parent_id"))
    own_id = Cast("id", output_field=CharField())
    for parented in (True, False):
        ids = [area.pk for area in new_areas if (area.parent_id is not None) == parented]
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = Area.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK])
            if parented:
                chunk.update(
                    path=Concat(
                        Subquery(parent.values("path")[:1]),
                        own_id,
                        Value("/"),
                        output_field=CharField(),
                    ),
                    depth=Subquery(parent.values("depth")[:1]) + 1,
                )
            else:
                chunk.update(
                    path=Concat(Value("/"), own_id, Value("/"), output_field=CharField()),
                    depth=0,
                )
