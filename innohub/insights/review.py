"""The monthly review (DOMAIN.md, "Monthly review"): what the cabinet meeting reads of one
ministry's innovation — or the nation's — for one month. One function draws the figures
(`figures`), as plain JSON-ready values kept with the report, so that the page, the PDF and
the spreadsheet of a report show the same numbers, and an archived report shows what was
known when it was made.

- Pilots by stage now (from the roll-ups) and the month's moves between stages, beside the
  month before's.
- Stalled pilots: submitted, approved or ongoing, with no change for `REVIEW_STALLED_DAYS`
  (60 by default) at the month's end.
- TCV saved a year by the completed pilots (citizen-days, citizen-hours, money, visits):
  all of them, and those completed in the month.
- Budget allocated and spent; replications and scale-ups; the action-plan score of the plans
  running at the month's end, as of that day.
- The national review adds one row per ministry.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from innohub.orgs.models import Organisation
from innohub.pipeline.models import Pilot, PilotEvent, Status

from . import measures, plans, selectors
from .models import ActionPlan

STAGES = ("draft", "submitted", "approved", "ongoing", "completed", "discontinued")
ACTIVE = (Status.SUBMITTED, Status.APPROVED, Status.ONGOING)
STALLED_LISTED = 50
SAVED = ("days", "hours", "cost", "visits")


def stalled_days() -> int:
    return int(getattr(settings, "REVIEW_STALLED_DAYS", 60))


def month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
        days=1
    )


def previous_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _pilots_below(organisation: Organisation | None) -> QuerySet[Pilot]:
    pilots = Pilot.objects.all()
    if organisation is not None:
        pilots = pilots.filter(organisation__path__startswith=organisation.path)
    return pilots


def _day_span(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        month_end(month) + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def moves(organisation: Organisation | None, month: datetime.date) -> dict[str, int]:
    """How many pilots moved into each stage during the month (one grouped query over the
    month's moves)."""
    start, end = _day_span(month)
    events = PilotEvent.objects.filter(at__gte=start, at__lt=end)
    if organisation is not None:
        events = events.filter(pilot__organisation__path__startswith=organisation.path)
    counted = Counter(
        dict(
            events.values_list("to_status")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("to_status", "n")
        )
    )
    return {stage: counted.get(stage, 0) for stage in STAGES}


def stalled(organisation: Organisation | None, month: datetime.date) -> dict[str, Any]:
    """Pilots in an active stage whose last change is older than the stalled days at the
    month's end: how many, and the longest stalled first."""
    cutoff_day = month_end(month) - datetime.timedelta(days=stalled_days())
    cutoff = datetime.datetime.combine(
        cutoff_day + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    rows = _pilots_below(organisation).filter(status__in=ACTIVE, modified__lt=cutoff)
    listed = [
        {
            "id": pk,
            "title": title,
            "status": status,
            "organisation": organisation_name,
            "since": timezone.localtime(modified).date().isoformat(),
        }
        for pk, title, status, organisation_name, modified in rows.order_by(
            "modified", "id"
        ).values_list("pk", "title", "status", "organisation__name", "modified")[:STALLED_LISTED]
    ]
    return {"days": stalled_days(), "count": rows.count(), "pilots": listed}


def tcv_saved(organisation: Organisation | None, month: datetime.date) -> dict[str, Any]:
    """Σ of the completed pilots' savings a year, each measure: all the pilots completed by
    the month's end, and those completed in the month."""
    last = month_end(month)
    completed = list(
        _pilots_below(organisation)
        .filter(status=Status.COMPLETED, ended_on__lte=last)
        .values_list("pk", "annual_volume", "ended_on")
    )
    saved = measures.savings({pk: volume for pk, volume, _on in completed})
    total = dict.fromkeys(SAVED, Decimal(0))
    in_month = dict.fromkeys(SAVED, Decimal(0))
    for pk, _volume, ended_on in completed:
        for measure in SAVED:
            value = saved[pk][measure] or Decimal(0)
            total[measure] += value
            if ended_on is not None and ended_on >= month:
                in_month[measure] += value
    return {
        "pilots": len(completed),
        "total": {key: str(plans.cents(value)) for key, value in total.items()},
        "month": {key: str(plans.cents(value)) for key, value in in_month.items()},
    }


def plan_scores(organisation: Organisation | None, month: datetime.date) -> list[dict[str, Any]]:
    """The plans running at the month's end (of the organisation itself, or every plan for
    the nation), each scored as of that day, highest first."""
    last = month_end(month)
    running = ActionPlan.objects.filter(starts_on__lte=last, ends_on__gte=last)
    if organisation is not None:
        running = running.filter(organisation=organisation)
    chosen = list(
        running.select_related("organisation").prefetch_related("kpis")[: plans.RANKED_MAX]
    )
    scored = plans.scores(chosen, as_of=min(last, plans.today()))
    rows = [
        {
            "id": plan.pk,
            "title": plan.title,
            "organisation": plan.organisation.name,
            "score": str(scored[plan.pk]["score"]),
        }
        for plan in chosen
    ]
    return sorted(rows, key=lambda row: (-Decimal(row["score"]), row["organisation"]))


def _month_flows(organisation: Organisation | None, month: datetime.date) -> dict[str, int]:
    row = selectors.monthly(start=month, end=month, organisation=organisation)[0]
    return {key: value for key, value in row.items() if key != "month"}


def figures(organisation: Organisation | None, month: datetime.date) -> dict[str, Any]:
    """Everything the review shows, as JSON-ready values (decimals as strings)."""
    month = month.replace(day=1)
    funnel = selectors.funnel(organisation=organisation)
    stages = selectors.stages(organisation=organisation)
    found: dict[str, Any] = {
        "organisation": None
        if organisation is None
        else {
            "id": organisation.pk,
            "name": organisation.name,
            "name_local": organisation.name_local,
        },
        "month": f"{month:%Y-%m}",
        "made": timezone.now().isoformat(timespec="seconds"),
        "stages": stages,
        "moves": moves(organisation, month),
        "moves_before": moves(organisation, previous_month(month)),
        "flows": _month_flows(organisation, month),
        "flows_before": _month_flows(organisation, previous_month(month)),
        "stalled": stalled(organisation, month),
        "tcv_saved": tcv_saved(organisation, month),
        "money": {
            "currency": funnel["currency"],
            "budget": str(plans.cents(Decimal(funnel["budget"]))),
            "spent": str(plans.cents(Decimal(funnel["spent"]))),
            "other_currency_pilots": funnel["other_currency_pilots"],
        },
        "funnel": {
            key: funnel[key]
            for key in ("trained", "ideas", "pilots", "replicated", "scaled", "citizens_reached")
        },
        "plans": plan_scores(organisation, month),
    }
    if organisation is None:
        found["ministries"] = [
            {
                "id": child["organisation"].pk,
                "name": child["organisation"].name,
                "name_local": child["organisation"].name_local,
                **{
                    key: child[key]
                    for key in ("trained", "ideas", "pilots", "completed", "replicated")
                },
            }
            for child in selectors.children()
        ]
    return found
