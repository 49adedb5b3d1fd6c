"""The steps of a process map or journey as plain data, and the one check of their values.

Pages and the API hand steps to the services as `StepData`, so a step is validated in one
place and the error keys are the JSON paths of docs/api.md (`steps.2.visits`). The file import
parses its cells into numbers and asks the same `decimal_error`, `count_error` and
`text_error` of each value, keyed by its column.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from innohub.core.text import text_error
from innohub.core.units import CENT, MAX_COUNT_PER_STEP, MAX_DURATION, MAX_MONEY

from .limits import ACTOR_MAX, OFFICE_MAX, PAIN_DESCRIPTION_MAX, TITLE_MAX
from .models import PainCategory

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
    # A journey step's id made by the recorder (it survives edits of the journey's steps).
    client_id: uuid.UUID | None = None


def decimal_error(value: Any, *, maximum: Decimal) -> str:
    """Money or a duration: a number from 0 to `maximum` with at most 2 decimals."""
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
    return ""


def count_error(value: Any) -> str:
    """A count per step (documents, visits): a whole number from 0 to 10,000."""
    if value is None:
        return _("Give a whole number (0 for none).")
    if isinstance(value, bool) or not isinstance(value, int):
        return _("Give a whole number.")
    if value < 0:
        return _("Give 0 or more.")
    if value > MAX_COUNT_PER_STEP:
        return _("At most %(max)d per step.") % {"max": MAX_COUNT_PER_STEP}
    return ""


# A step's text fields: (name, longest, required).
STEP_TEXTS = (
    ("title", TITLE_MAX, True),
    ("office", OFFICE_MAX, False),
    ("actor", ACTOR_MAX, False),
)


def pain_category_error(category: Any) -> str:
    if category not in PainCategory.values:
        return _("Choose one of: %(choices)s.") % {"choices": ", ".join(PainCategory.values)}
    return ""


def step_errors(step: StepData, *, prefix: str) -> dict[str, str]:
    """The problems of one step, keyed by JSON path under `prefix` (e.g. `steps.2`)."""
    errors: dict[str, str] = {}
    for name, max_length, required in STEP_TEXTS:
        if message := text_error(getattr(step, name), max_length=max_length, required=required):
            errors[f"{prefix}.{name}"] = message
    for name in MONEY_FIELDS:
        if message := decimal_error(getattr(step, name), maximum=MAX_MONEY):
            errors[f"{prefix}.{name}"] = message
    for name in DURATION_FIELDS:
        if message := decimal_error(getattr(step, name), maximum=MAX_DURATION):
            errors[f"{prefix}.{name}"] = message
    for name in COUNT_FIELDS:
        if message := count_error(getattr(step, name)):
            errors[f"{prefix}.{name}"] = message
    for index, pain in enumerate(step.pain_points):
        where = f"{prefix}.pain_points.{index}"
        if message := pain_category_error(pain.category):
            errors[f"{where}.category"] = message
        if message := text_error(pain.description, max_length=PAIN_DESCRIPTION_MAX):
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
        client_id=getattr(step, "client_id", None),
    )
