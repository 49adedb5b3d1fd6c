"""Action plans: an organisation's yearly innovation targets, scored out of 100 (docs/api.md,
"Insights"; SETTLED.md, "Action plans").

A plan's KPIs each measure something computed from innohub's data (`measures.py`) or
entered by hand with evidence (`manual`; unset, it counts 0). Each KPI's achievement is
min(100, max(0, 100 * actual / target)) per cent; it earns weight * achievement / 100
points; the score is the sum. Nothing is rounded until the end: the answered figures are
rounded half up to 2 places. Weights are positive and sum to exactly 100.00. The score is
computed when read, as of today (events after today do not count); the trend is the score
as of each month's end within the plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.text import collect_text
from innohub.orgs.models import Organisation

from . import measures
from .measures import Window
from .models import ActionPlan, Kpi, Measure

if TYPE_CHECKING:
    from innohub.accounts.models import User

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
TITLE_MAX = 200
EVIDENCE_MAX = 5000
KPIS_MAX = 30
# Five years and a leap day or two: a plan's trend is a score a month.
PLAN_DAYS_MAX = 5 * 366
# Every ministry's plan of a period, with room: a ranking is one answer, not pages.
RANKED_MAX = 500


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def today() -> datetime.date:
    return timezone.localdate()


# --- Writing --------------------------------------------------------------------------------


def _kpi(errors: dict[str, str], index: int, values: dict[str, Any]) -> Kpi:
    field = f"kpis.{index}"
    name = collect_text(errors, values.get("name"), f"{field}.name", max_length=200, required=True)
    measure = values.get("measure")
    if measure not in Measure.values:
        errors[f"{field}.measure"] = _("Choose one of: %(measures)s.") % {
            "measures": ", ".join(Measure.values)
        }
    target = values.get("target")
    if target is None or Decimal(target) <= 0:
        errors[f"{field}.target"] = _("The target is more than 0.")
    weight = values.get("weight")
    if weight is None or Decimal(weight) <= 0:
        errors[f"{field}.weight"] = _("The weight is more than 0.")
    return Kpi(
        position=index,
        name=name,
        measure=measure or "",
        target=Decimal(target or 0),
        weight=Decimal(weight or 0),
    )


@transaction.atomic
def create_plan(
    *,
    by: User,
    organisation: Organisation,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    kpis: Sequence[dict[str, Any]],
) -> ActionPlan:
    """A plan with its KPIs (`{name, measure, target, weight}`): programme managers and
    administrators (403). Errors name their field (422): `ends_on` before `starts_on`, a
    KPI's name, measure, target or weight, and `kpis` when there are none or their weights
    do not sum to exactly 100."""
    if not by.has_perm("insights.add_actionplan"):
        raise PermissionDenied(_("Only a programme manager or an administrator writes a plan."))
    errors: dict[str, str] = {}
    title = collect_text(errors, title, "title", max_length=TITLE_MAX, required=True)
    if ends_on < starts_on:
        errors["ends_on"] = _("A plan ends on or after the day it starts.")
    elif (ends_on - starts_on).days > PLAN_DAYS_MAX:
        errors["ends_on"] = _("A plan covers at most five years.")
    rows = [_kpi(errors, index, dict(values)) for index, values in enumerate(kpis)]
    if not rows:
        errors["kpis"] = _("A plan has at least one KPI.")
    elif len(rows) > KPIS_MAX:
        errors["kpis"] = _("A plan has at most %(max)d KPIs.") % {"max": KPIS_MAX}
    else:
        total = sum((row.weight for row in rows), Decimal(0))
        if not any(key.endswith(".weight") for key in errors) and total != HUNDRED:
            errors["kpis"] = _("The weights sum to %(total)s; they must sum to exactly 100.") % {
                "total": cents(total)
            }
    if errors:
        raise ValidationError(errors)
    plan = ActionPlan.objects.create(
        organisation=organisation, title=title, starts_on=starts_on, ends_on=ends_on, by=by
    )
    for row in rows:
        row.plan = plan
    Kpi.objects.bulk_create(rows)
    return plan


@transaction.atomic
def set_actual(*, by: User, kpi: Kpi, actual: Decimal, evidence: str = "") -> Kpi:
    """Enter a manual KPI's actual figure with its evidence: programme managers,
    administrators and the organisation's innovation team (403). A computed KPI is 409."""
    if not by.has_perm("insights.change_actionplan", kpi.plan):
        raise PermissionDenied(_("You may not enter figures for this plan."))
    if kpi.measure != Measure.MANUAL:
        raise Conflict(_("This KPI is computed from innohub's data; it is not entered by hand."))
    errors: dict[str, str] = {}
    evidence = collect_text(errors, evidence, "evidence", max_length=EVIDENCE_MAX)
    if errors:
        raise ValidationError(errors)
    locked = Kpi.objects.select_for_update().get(pk=kpi.pk)
    locked.actual = Decimal(actual)
    locked.evidence = evidence
    locked.save(update_fields=["actual", "evidence"])
    return locked


# --- Scoring --------------------------------------------------------------------------------


def window(plan: ActionPlan, as_of: datetime.date) -> Window:
    """The plan's days up to `as_of` (and never past its end)."""
    return Window(plan.organisation.path, plan.starts_on, min(plan.ends_on, as_of))


def _scored(kpis: Iterable[Kpi], actual_of: Any) -> dict[str, Any]:
    rows, total = [], Decimal(0)
    for kpi in kpis:
        actual = actual_of(kpi)
        achievement = max(Decimal(0), min(HUNDRED, HUNDRED * actual / kpi.target))
        points = kpi.weight * achievement / HUNDRED
        total += points
        rows.append(
            {
                "id": kpi.pk,
                "name": kpi.name,
                "measure": kpi.measure,
                "target": kpi.target,
                "actual": actual,
                "evidence": kpi.evidence,
                "weight": kpi.weight,
                "achievement_pct": cents(achievement),
                "points": cents(points),
            }
        )
    return {"score": cents(total), "kpis": rows}


def scores(
    plans: Sequence[ActionPlan], *, as_of: datetime.date | None = None
) -> dict[int, dict[str, Any]]:
    """Each plan's score as of `as_of` (today by default), KPI by KPI: one or two queries a
    measure the plans use, whatever their number. The plans' KPIs must be prefetched."""
    return _score_windows([(plan, as_of or today()) for plan in plans], key=lambda item: item[0].pk)


def _score_windows(items: Sequence[tuple[ActionPlan, datetime.date]], key: Any) -> dict:
    wanted: dict[str, list[Window]] = {}
    slots: dict[tuple[int, str], int] = {}
    for number, (plan, as_of) in enumerate(items):
        for kpi in plan.kpis.all():
            if kpi.measure == Measure.MANUAL or (number, kpi.measure) in slots:
                continue
            windows = wanted.setdefault(kpi.measure, [])
            slots[(number, kpi.measure)] = len(windows)
            windows.append(window(plan, as_of))
    found = measures.figures(wanted)

    def actual_of(number: int) -> Any:
        def read(kpi: Kpi) -> Decimal:
            if kpi.measure == Measure.MANUAL:
                return kpi.actual if kpi.actual is not None else Decimal(0)
            return found[kpi.measure][slots[(number, kpi.measure)]]

        return read

    return {
        key(item): _scored(item[0].kpis.all(), actual_of(number))
        for number, item in enumerate(items)
    }


def score(plan: ActionPlan, *, as_of: datetime.date | None = None) -> dict[str, Any]:
    return scores([plan], as_of=as_of)[plan.pk]


def month_ends(plan: ActionPlan, *, until: datetime.date | None = None) -> list[datetime.date]:
    """The last day of each month of the plan up to `until` (today), the last one cut to it."""
    last = min(plan.ends_on, until or today())
    ends: list[datetime.date] = []
    month = plan.starts_on.replace(day=1)
    while month <= last:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        ends.append(min(following - datetime.timedelta(days=1), last))
        month = following
    return ends


def trend(plan: ActionPlan, *, until: datetime.date | None = None) -> list[dict[str, Any]]:
    """The score as of each month's end within the plan (up to today): `[{month, score}]`."""
    ends = month_ends(plan, until=until)
    scored = _score_windows([(plan, end) for end in ends], key=lambda item: item[1])
    return [{"month": end.replace(day=1), "score": scored[end]["score"]} for end in ends]


def ranking(plans: Sequence[ActionPlan]) -> list[dict[str, Any]]:
    """The plans, highest score first (ties share a rank, then by organisation name)."""
    scored = scores(plans)
    rows = sorted(
        (
            {
                "plan": plan,
                "id": plan.pk,
                "organisation": plan.organisation_id,
                "organisation_name": plan.organisation.name,
                "title": plan.title,
                "starts_on": plan.starts_on,
                "ends_on": plan.ends_on,
                "score": scored[plan.pk]["score"],
            }
            for plan in plans
        ),
        key=lambda row: (-row["score"], row["organisation_name"], row["id"]),
    )
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row["score"] != previous:
            rank, previous = position, row["score"]
        row["rank"] = rank
    return rows


def attach_scores(plans: Sequence[ActionPlan]) -> None:
    """Give each plan its `scored` figures (as of today), read for the whole page at once."""
    scored = scores(plans)
    for plan in plans:
        plan.scored = scored[plan.pk]  # type: ignore[attr-defined]


def scored(plan: ActionPlan) -> dict[str, Any]:
    if not hasattr(plan, "scored"):
        attach_scores([plan])
    return plan.scored  # type: ignore[attr-defined]
