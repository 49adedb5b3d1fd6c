"""The checks across the rows of a file and against innohub (a code twice, parents, levels),
and what they leave to write: the plan."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from innohub.core.imports import RowError

from ..models import LEVEL_RANK, Area, level_label, placement_error
from ..selectors import LOOKUP_CHUNK, areas_by_code
from .rows import Row


@dataclass
class Plan:
    new: list[Row]
    changed: list[tuple[Row, Area]]
    unchanged: int
    existing: dict[str, Area]


def check(rows: list[Row]) -> tuple[Plan, list[RowError]]:
    """The checks across rows and against innohub: duplicates, parents, levels."""
    codes = [row.code for row in rows] + [row.parent_code for row in rows if row.parent_code]
    existing = areas_by_code(codes)
    # The level each code will have once the file is in: the file's word wins.
    final_level = {code: area.level for code, area in existing.items()}
    first_line: dict[str, int] = {}
    for row in rows:
        if row.level and row.code not in first_line:
            final_level[row.code] = row.level
        first_line.setdefault(row.code, row.line)

    errors: list[RowError] = []
    plan = Plan(new=[], changed=[], unchanged=0, existing=existing)
    earlier: set[str] = set()
    for row in rows:
        if first_line[row.code] != row.line:
            message = _("“%(code)s” appears twice in the file (first on line %(first)d).")
            errors.append(
                RowError(
                    row.line, "code", message % {"code": row.code, "first": first_line[row.code]}
                )
            )
            continue
        earlier.add(row.code)
        problem = _placement_problem(row, earlier, existing, final_level)
        if problem is not None:
            errors.append(problem)
            continue
        if not row.valid:
            continue
        area = existing.get(row.code)
        if area is None:
            plan.new.append(row)
        elif _differs(row, area, existing):
            plan.changed.append((row, area))
        else:
            plan.unchanged += 1
    errors.extend(_check_existing_children(plan.changed, final_level))
    return plan, errors


def _placement_problem(
    row: Row, earlier: set[str], existing: dict[str, Area], final_level: dict[str, str]
) -> RowError | None:
    parent = row.parent_code
    if parent == row.code:
        return RowError(row.line, "parent_code", _("An area cannot sit under itself."))
    if parent and parent not in earlier and parent not in existing:
        message = _(
            "Unknown parent code “%(code)s”: it is neither in innohub nor on an earlier line."
        )
        return RowError(row.line, "parent_code", message % {"code": parent})
    parent_level = final_level.get(parent) if parent else None
    if not row.level or (parent and parent_level is None):
        return None  # an unknown level was reported already
    problem = placement_error(level=row.level, parent_level=parent_level)
    if problem:
        return RowError(row.line, "level" if parent else "parent_code", problem)
    return None


def _differs(row: Row, area: Area, existing: dict[str, Area]) -> bool:
    if row.parent_code and row.parent_code not in existing:
        return True  # its new parent is created by this file
    parent = existing.get(row.parent_code) if row.parent_code else None
    if area.parent_id != (parent.pk if parent else None):
        return True
    # Compared as values: a wage of 70 is the 70.00 already stored.
    return any(getattr(area, key) != value for key, value in row.values.items())


def _check_existing_children(
    changed: list[tuple[Row, Area]], final_level: dict[str, str]
) -> list[RowError]:
    """An existing area whose level goes down must stay above its sub-areas in innohub."""
    lowered = {area.pk: row for row, area in changed if row.level != area.level}
    errors: list[RowError] = []
    ids = sorted(lowered)
    reported: set[int] = set()
    for start in range(0, len(ids), LOOKUP_CHUNK):
        children = Area.objects.filter(parent_id__in=ids[start : start + LOOKUP_CHUNK])
        for code, level, parent_id in children.values_list("code", "level", "parent_id"):
            row = lowered[parent_id]
            child_level = final_level.get(code, level)
            if parent_id in reported or LEVEL_RANK[child_level] > LEVEL_RANK[row.level]:
                continue
            reported.add(parent_id)
            message = _(
                "%(code)s has sub-areas at level %(child_level)s in innohub (such as "
                "%(child)s): a %(level)s cannot hold them."
            ) % {
                "code": row.code,
                "child_level": level_label(child_level),
                "child": code,
                "level": level_label(row.level),
            }
            errors.append(RowError(row.line, "level", message))
    return errors
