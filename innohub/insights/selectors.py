"""The national figures, one selector a figure, read by the API, the pages, the reports and
the open data alike from the roll-ups (models.py): one aggregate query each."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from innohub.core.models import ids_in_path
from innohub.geo.models import Area
from innohub.orgs.models import Organisation

from .models import ActionPlan, Kpi, MonthFigures, MonthlyReport, NationalMonth, Standing
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
    nothing as zeros. The nation's from its own months (a row a month), a place's from the
    months of the pairs below it."""
    rows: Any
    if organisation is None and area is None:
        rows = NationalMonth.objects.filter(month__gte=start, month__lte=end).values(
            "month", *FLOWS
        )
    else:
        rows = (
            _within(
                MonthFigures.objects.filter(month__gte=start, month__lte=end), organisation, area
            )
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


# --- Action plans ----------------------------------------------------------------------------


def plan_list(
    *, organisation: Organisation | None = None, starts_on: datetime.date | None = None
) -> QuerySet[ActionPlan]:
    """Plans, the latest period first; below an organisation (its whole tree) and/or of one
    period. KPIs prefetched: a page costs three queries, and its scores one or two a measure."""
    plans = ActionPlan.objects.select_related("organisation").prefetch_related("kpis")
    if organisation is not None:
        plans = plans.filter(organisation__path__startswith=organisation.path)
    if starts_on is not None:
        plans = plans.filter(starts_on=starts_on)
    return plans.order_by("-starts_on", "organisation__name", "id")


def plan_detail(pk: int) -> ActionPlan | None:
    return plan_list().filter(pk=pk).first()


def kpi_of(plan: ActionPlan, pk: int) -> Kpi | None:
    return next((kpi for kpi in plan.kpis.all() if kpi.pk == pk), None)


def plan_periods() -> list[datetime.date]:
    """The days plans start on, latest first (for the ranking's choice of period)."""
    return list(
        ActionPlan.objects.order_by("-starts_on").values_list("starts_on", flat=True).distinct()
    )


def stages(*, organisation: Organisation | None = None, area: Area | None = None) -> dict[str, int]:
    """How many pilots are in each stage now, drafts included (from the roll-ups)."""
    names = ("draft", "submitted", "approved", "ongoing", "completed", "discontinued")
    sums = _within(Standing.objects.all(), organisation, area).aggregate(
        **{name: Coalesce(Sum(name), 0) for name in names}
    )
    return {name: int(sums[name]) for name in names}


# --- Monthly reviews ---------------------------------------------------------------------------


def reports_for(
    user: Any, *, organisation: Organisation | None = None, month: datetime.date | None = None
) -> QuerySet[MonthlyReport]:
    """The reports this person may read, newest month first: every one for those who review;
    for others, those they asked for and those of the organisations their innovation teams
    serve (and below). Filtered by organisation (exactly it) and month."""
    from innohub.accounts.models import InnovationTeam

    from .rules import reviews

    found = MonthlyReport.objects.select_related("organisation")
    if not reviews.test(user):
        paths = list(
            InnovationTeam.objects.filter(memberships__user=user, organisation__isnull=False)
            .values_list("organisation__path", flat=True)
            .distinct()[:50]
        )
        mine = Q(by=user)
        for path in paths:
            mine |= Q(organisation__path__startswith=path)
        found = found.filter(mine)
    if organisation is not None:
        found = found.filter(organisation=organisation)
    if month is not None:
        found = found.filter(month=month)
    return found.order_by("-month", "-id")


def report_detail(user: Any, pk: int) -> MonthlyReport | None:
    report = MonthlyReport.objects.select_related("organisation").filter(pk=pk).first()
    if report is None or not user.has_perm("insights.view_monthlyreport", report):
        return None
    return report


def serves_any_organisation(user: Any) -> bool:
    """On an innovation team that serves an organisation (who may ask for its review)."""
    from innohub.accounts.models import InnovationTeam

    return InnovationTeam.objects.filter(
        memberships__user=user, organisation__isnull=False
    ).exists()
