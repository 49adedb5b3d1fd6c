"""The steps of a process map or journey as plain data, and the one check of their values.

Pages, the API and the importer all hand steps to the services as `StepData`, so a step is
validated in one place and the error keys are the JSON paths of API.md (`steps.2.visits`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import MAX_COUNT_PER_STEP, MAX_DURATION, MAX_MONEY, PainCategory

CENT = Decimal("0.01")
TITLE_MAX, OFFICE_MAX, ACTOR_MAX = 200, 200, 100
DESCRIPTION_MAX = 2000

MONEY_FIELDS = ("fees", "travel_cost", "other_cost")
DURATION_FIELDS = ("elapsed_days", "citizen_hours")
COUNT_FIELDS = ("documents", "visits")


@dataclass(frozen=True)
class PainPointData:
    category: str
    description: str = ""


@dataclass(frozen=True)
class StepData:
    """One step as typed: units are calendar days, the citizen's hours, money in the
    service's currency, counts of documents and visits."""

    title: str
    office: str = ""
    actor: str = ""
    documents: int = 0
    elapsed_days: Decimal = Decimal("0")
    citizen_hours: Decimal = Decimal("0")
    fees: Decimal = Decimal("0")
    travel_cost: Decimal = Decimal("0")
    other_cost: Decimal = Decimal("0")
    visits: int = 0
    pain_points: tuple[PainPointData, ...] = ()


def _text_error(value: Any, *, max_length: int, required: bool) -> str | None:
    if not isinstance(value, str):
        return _("Give text.")
    if "\x00" in value:
        return _("Text may not contain the NUL character.")
    if required and not value.strip():
        return _("This field is required.")
    if len(value) > max_length:
        return _("At most %(n)d characters.") % {"n": max_length}
    return None


def _decimal_error(value: Any, *, maximum: Decimal) -> str | None:
    if value is None:
        return _("Give a number (0 when nothing was spent).")
    if isinstance(value, bool):
        return _("Give a number, not true or false.")
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return _("Give a number.")
    if not number.is_finite():
        return _("Give a number.")
    if number < 0:
        return _("Give 0 or more.")
    if number > maximum:
        return _("At most %(max)s.") % {"max": maximum}
    if number != number.quantize(CENT):
        return _("At most 2 digits after the decimal point.")
    return None


def _count_error(value: Any) -> str | None:
    if value is None:
        return _("Give a whole number (0 for none).")
    if isinstance(value, bool) or not isinstance(value, int):
        return _("Give a whole number.")
    if value < 0:
        return _("Give 0 or more.")
    if value > MAX_COUNT_PER_STEP:
        return _("At most %(max)d per step.") % {"max": MAX_COUNT_PER_STEP}
    return None


def step_errors(step: StepData, *, prefix: str) -> dict[str, str]:
    """The problems of one step, keyed by JSON path under `prefix` (e.g. `steps.2`)."""
    errors: dict[str, str] = {}
    for name, max_length, required in (
        ("title", TITLE_MAX, True),
        ("office", OFFICE_MAX, False),
        ("actor", ACTOR_MAX, False),
    ):
        if message := _text_error(getattr(step, name), max_length=max_length, required=required):
            errors[f"{prefix}.{name}"] = message
    for name in MONEY_FIELDS:
        if message := _decimal_error(getattr(step, name), maximum=MAX_MONEY):
            errors[f"{prefix}.{name}"] = message
    for name in DURATION_FIELDS:
        if message := _decimal_error(getattr(step, name), maximum=MAX_DURATION):
            errors[f"{prefix}.{name}"] = message
    for name in COUNT_FIELDS:
        if message := _count_error(getattr(step, name)):
            errors[f"{prefix}.{name}"] = message
    for index, pain in enumerate(step.pain_points):
        where = f"{prefix}.pain_points.{index}"
        if pain.category not in PainCategory.values:
            errors[f"{where}.category"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(PainCategory.values)
            }
        if message := _text_error(pain.description, max_length=DESCRIPTION_MAX, required=False):
            errors[f"{where}.description"] = message
    return errors


def validate_steps(steps: Sequence[StepData], *, prefix: str = "steps") -> None:
    """Refuse (ValidationError keyed `steps.2.visits`, every problem at once) a step without a
    title, text with NUL or too long, a number that is missing, negative, boolean, too large
    or has more than 2 decimals, a count that is not a whole number, an unknown pain category.
    Does not refuse an empty list: whether steps are needed is the caller's rule."""
    errors: dict[str, str] = {}
    for index, step in enumerate(steps):
        errors.update(step_errors(step, prefix=f"{prefix}.{index}"))
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def step_values(step: StepData) -> dict[str, Any]:
    """The model field values of a validated step (decimals to the cent)."""
    return {
        "title": step.title.strip(),
        "office": step.office.strip(),
        "actor": step.actor.strip(),
        "documents": step.documents,
        "visits": step.visits,
        **{
            name: Decimal(str(getattr(step, name))).quantize(CENT)
            for name in (*DURATION_FIELDS, *MONEY_FIELDS)
        },
    }


def step_data_of(step: Any) -> StepData:
    """A stored step (with its pain points, prefetched) back as data: for copying a map."""
    return StepData(
        title=step.title,
        office=step.office,
        actor=step.actor,
        documents=step.documents,
        elapsed_days=step.elapsed_days,
        citizen_hours=step.citizen_hours,
        fees=step.fees,
        travel_cost=step.travel_cost,
        other_cost=step.other_cost,
        visits=step.visits,
        pain_points=tuple(
            PainPointData(category=p.category, description=p.description)
            for p in step.pain_points.all()
        ),
    )
