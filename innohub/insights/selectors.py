"""The national figures, one selector a figure, read by the API (and, later, the pages,
reports and open data alike) from the roll-ups (models.py): one aggregate query each."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from innohub.core.models import ids_in_path
from innohub.geo.models import Area
from innohub.orgs.models import Organisation

from .models import MonthFigures, Standing
from .rollups import FLOWS, currency

STANDING = (
    "trained", "ideas", "ongoing", "completed", "discontinued", "replicated", "scaled",
    "citizens_reached", "other_currency_pilots",
)  # fmt: skip


def _within(rows: QuerySet, organisation: Organisation | None, area: Area | None) -> QuerySet:
    """Rows of the pairs below the organisation and the area (each with its whole tree)."""
    if organisation is not None:
        rows = rows.filter(organisation__path__startswith=organisation.path)
    if area is not None:
        rows = rows.filter(area__path__startswith=area.path)
    return rows


def funnel(*, organisation: Organisation | None = None, area: Area | None = None) -> dict[str, Any]:
    """trained → ideas → pilots (ongoing, completed, discontinued) → replicated → scaled →
    citizens reached, with the pilots' budget and spending in the deployment's currency."""
    sums = _within(Standing.objects.all(), organisation, area).aggregate(
        **{name: Coalesce(Sum(name), 0) for name in STANDING},
        budget=Coalesce(Sum("budget"), Decimal(0)),
        spent=Coalesce(Sum("spent"), Decimal(0)),
    )
    sums["pilots"] = sums["ongoing"] + sums["completed"] + sums["discontinued"]
    sums["currency"] = currency()
    return sums


def months_back(end: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count - 1` months before `end`'s: `count` months in all."""
    index = end.year * 12 + end.month - 1 - (count - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def monthly(
    *,
    start: datetime.date,
    end: datetime.date,
    organisation: Organisation | None = None,
    area: Area | None = None,
) -> list[dict[str, Any]]:
    """What happened in each month from `start` to `end` (first days of months), months with
    nothing as zeros."""
    rows = (
        _within(MonthFigures.objects.filter(month__gte=start, month__lte=end), organisation, area)
        .values("month")
        .annotate(**{name: Sum(name) for name in FLOWS})
        .order_by("month")
    )
    found = {row["month"]: row for row in rows}
    return [
        {"month": month, **{name: found.get(month, {}).get(name) or 0 for name in FLOWS}}
        for month in months_between(start, end)
    ]


CHILD_FIGURES = ("trained", "ideas", "ongoing", "completed", "discontinued", "replicated")


def children(
    *, organisation: Organisation | None = None, area: Area | None = None
) -> list[dict[str, Any]]:
    """The drill-down: the organisations one level below `organisation` (the ministries at
    the top), each with its figures and everything below it, most pilots first. One grouped
    query over the roll-ups below the node, and one for the names."""
    depth = len(ids_in_path(organisation.path)) if organisation is not None else 0
    rows = (
        _within(Standing.objects.filter(organisation__isnull=False), organisation, area)
        .values("organisation__path")
        .annotate(**{name: Sum(name) for name in CHILD_FIGURES})
    )
    totals: dict[int, dict[str, int]] = {}
    for row in rows:
        ids = ids_in_path(row["organisation__path"])
        if len(ids) <= depth:
            continue  # the node itself: its own pilots are in the funnel, not a child's
        child = totals.setdefault(ids[depth], dict.fromkeys(CHILD_FIGURES, 0))
        for name in CHILD_FIGURES:
            child[name] += row[name] or 0
    names = Organisation.objects.in_bulk(list(totals))
    found: list[dict[str, Any]] = [
        {
            "organisation": names[pk],
            **figures,
            "pilots": figures["ongoing"] + figures["completed"] + figures["discontinued"],
        }
        for pk, figures in totals.items()
        if pk in names
    ]
    found.sort(key=lambda child: (-child["pilots"], -child["ideas"], str(child["organisation"])))
    return found
