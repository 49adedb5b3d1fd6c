"""Writes for project designs: one function saves the whole document, its timeline, budget
lines and risks, atomically; errors are keyed by field, rows by their JSON-like path
(`activities.1.ends_on`), as the API's are."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innohub.core.text import clean_text
from innohub.core.units import CENT, MAX_MONEY
from innohub.services.steps import decimal_error

from .limits import TEXT_MAX, TITLE_MAX
from .models import Activity, BudgetLine, Idea, ProjectDesign, Risk

if TYPE_CHECKING:
    from innohub.accounts.models import User

MAX_ROWS = 100  # activities, budget lines or risks in one design
MAX_JOURNEYS = 100_000


@dataclass(frozen=True)
class ActivityData:
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    who: str = ""


@dataclass(frozen=True)
class BudgetLineData:
    item: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class RiskData:
    description: str
    likelihood: int
    impact: int
    exposure: str = ""
    course_correction: str = ""


def _text(errors: dict[str, str], key: str, value: Any, **limits: Any) -> str:
    try:
        return clean_text(value, "value", **limits)
    except ValidationError as error:
        errors[key] = error.message_dict["value"][0]
        return ""


def _check_rows(
    activities: Sequence[ActivityData],
    budget_lines: Sequence[BudgetLineData],
    risks: Sequence[RiskData],
    errors: dict[str, str],
) -> None:
    for name, rows in (
        ("activities", activities),
        ("budget_lines", budget_lines),
        ("risks", risks),
    ):
        if len(rows) > MAX_ROWS:
            errors[name] = _("At most %(max)d rows.") % {"max": MAX_ROWS}
    for n, activity in enumerate(activities):
        _text(errors, f"activities.{n}.title", activity.title, max_length=TITLE_MAX, required=True)
        _text(errors, f"activities.{n}.who", activity.who, max_length=TITLE_MAX)
        if activity.ends_on < activity.starts_on:
            errors[f"activities.{n}.ends_on"] = _("An activity cannot end before it starts.")
    for n, line in enumerate(budget_lines):
        _text(errors, f"budget_lines.{n}.item", line.item, max_length=TITLE_MAX, required=True)
        _text(errors, f"budget_lines.{n}.note", line.note, max_length=TITLE_MAX)
        if message := decimal_error(line.amount, maximum=MAX_MONEY):
            errors[f"budget_lines.{n}.amount"] = message
    for n, risk in enumerate(risks):
        _text(
            errors, f"risks.{n}.description", risk.description, max_length=TEXT_MAX, required=True
        )
        for name in ("likelihood", "impact"):
            value = getattr(risk, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                errors[f"risks.{n}.{name}"] = _("Give a whole number from 1 to 5.")


@transaction.atomic
def save_design(
    *,
    by: User,
    idea: Idea,
    title: str,
    objectives: str,
    team: str = "",
    measurement_method: str = "",
    baseline_journeys: int = 0,
    after_journeys: int = 0,
    baseline_from: datetime.date | None = None,
    baseline_to: datetime.date | None = None,
    after_from: datetime.date | None = None,
    after_to: datetime.date | None = None,
    activities: Sequence[ActivityData] = (),
    budget_lines: Sequence[BudgetLineData] = (),
    risks: Sequence[RiskData] = (),
) -> ProjectDesign:
    """Write the idea's design (a new one, or all of it again): the proposer, the lead of a
    pilot of it, programme managers and administrators."""
    if not by.has_perm("pipeline.change_projectdesign", idea):
        raise PermissionDenied(
            _("Only the idea's proposer, a pilot's lead or a programme manager writes its design.")
        )
    errors: dict[str, str] = {}
    values = {
        "title": _text(errors, "title", title, max_length=TITLE_MAX, required=True),
        "objectives": _text(errors, "objectives", objectives, max_length=TEXT_MAX, required=True),
        "team": _text(errors, "team", team, max_length=TEXT_MAX),
        "measurement_method": _text(
            errors, "measurement_method", measurement_method, max_length=TEXT_MAX
        ),
    }
    for name, count in (
        ("baseline_journeys", baseline_journeys),
        ("after_journeys", after_journeys),
    ):
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_JOURNEYS:
            errors[name] = _("Give a whole number from 0 to %(max)d.") % {"max": MAX_JOURNEYS}
    for start, end, key in (
        (baseline_from, baseline_to, "baseline_to"),
        (after_from, after_to, "after_to"),
    ):
        if start and end and end < start:
            errors[key] = _("A period cannot end before it starts.")
    if baseline_to and after_from and after_from < baseline_to:
        errors["after_from"] = _("After journeys are measured once the baseline is done.")
    _check_rows(activities, budget_lines, risks, errors)
    if errors:
        raise ValidationError(errors)
    design, _created = ProjectDesign.objects.update_or_create(
        idea=idea,
        defaults={
            **values,
            "currency": idea.service.currency if idea.service else "BDT",
            "baseline_journeys": baseline_journeys,
            "after_journeys": after_journeys,
            "baseline_from": baseline_from,
            "baseline_to": baseline_to,
            "after_from": after_from,
            "after_to": after_to,
            "by": by,
        },
    )
    design.activities.all().delete()
    design.budget_lines.all().delete()
    design.risks.all().delete()
    Activity.objects.bulk_create(
        Activity(
            design=design,
            position=n,
            title=a.title.strip(),
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            who=a.who.strip(),
        )
        for n, a in enumerate(activities)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            design=design,
            position=n,
            item=line.item.strip(),
            amount=Decimal(str(line.amount)).quantize(CENT),
            note=line.note.strip(),
        )
        for n, line in enumerate(budget_lines)
    )
    Risk.objects.bulk_create(
        Risk(
            design=design,
            description=r.description.strip(),
            likelihood=r.likelihood,
            impact=r.impact,
            exposure=r.exposure.strip(),
            course_correction=r.course_correction.strip(),
            by=by,
        )
        for r in risks
    )
    return design
