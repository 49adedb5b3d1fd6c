"""National scale-up: a senior reviewer's decision to take a completed pilot to the whole
country, then the citizens it reaches over time (SETTLED.md: senior reviewers and
administrators). A pilot's `citizens_reached` is its latest figure by date, kept on the pilot
in the transaction that records a figure, so the funnel sums a column."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.text import clean_text

from .limits import TEXT_MAX
from .models import Pilot, Reach, ScaleUp, Status
from .signals import pilot_figures_changed

if TYPE_CHECKING:
    from innohub.accounts.models import User

# More people than live on Earth is a typing error.
REACH_MAX = 10_000_000_000


def _reach_error(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return _("Give a whole number, 0 or more.")
    if value > REACH_MAX:
        return _("At most %(max)d.") % {"max": REACH_MAX}
    return ""


def _date_error(day: datetime.date) -> str:
    if day > timezone.localdate():
        return _("Give a day that has come.")
    return ""


@transaction.atomic
def scale_up(
    *,
    by: User,
    pilot: Pilot,
    decided_on: datetime.date,
    citizens_reached: int,
    note: str = "",
) -> ScaleUp:
    """Record the national decision for a completed pilot (409 otherwise, and 409 a second
    time), with the citizens reached on the day of the decision."""
    if not by.has_perm("pipeline.add_scaleup", pilot):
        raise PermissionDenied(_("Only a senior reviewer decides a national scale-up."))
    errors = {
        field: message
        for field, message in (
            ("decided_on", _date_error(decided_on)),
            ("citizens_reached", _reach_error(citizens_reached)),
        )
        if message
    }
    if errors:
        raise ValidationError(errors)
    note = clean_text(note, "note", max_length=TEXT_MAX)
    locked = Pilot.objects.select_for_update(of=("self",)).get(pk=pilot.pk)
    if locked.status != Status.COMPLETED:
        raise Conflict(_("Only a completed pilot is scaled up."))
    if ScaleUp.objects.filter(pilot=locked).exists():
        raise Conflict(_("This pilot is already scaled up."))
    decision = ScaleUp.objects.create(pilot=locked, decided_on=decided_on, note=note, by=by)
    Reach.objects.create(scale_up=decision, on=decided_on, citizens_reached=citizens_reached, by=by)
    _keep_latest(decision)
    return decision


@transaction.atomic
def record_reach(*, by: User, pilot: Pilot, on: datetime.date, citizens_reached: int) -> Reach:
    """The citizens a scaled pilot reached as of `on` (409 before a scale-up); a second
    figure for the same day replaces the first."""
    if not by.has_perm("pipeline.add_scaleup", pilot):
        raise PermissionDenied(_("Only a senior reviewer records the citizens reached."))
    errors = {
        field: message
        for field, message in (
            ("on", _date_error(on)),
            ("citizens_reached", _reach_error(citizens_reached)),
        )
        if message
    }
    if errors:
        raise ValidationError(errors)
    Pilot.objects.select_for_update(of=("self",)).get(pk=pilot.pk)
    decision = ScaleUp.objects.filter(pilot_id=pilot.pk).first()
    if decision is None:
        raise Conflict(_("Citizens reached are recorded after a national scale-up."))
    if on < decision.decided_on:
        raise ValidationError(
            {"on": _("The scale-up was decided on %(day)s.") % {"day": decision.decided_on}}
        )
    figure, _created = Reach.objects.update_or_create(
        scale_up=decision, on=on, defaults={"citizens_reached": citizens_reached, "by": by}
    )
    _keep_latest(decision)
    return figure


def _keep_latest(decision: ScaleUp) -> None:
    latest = decision.reaches.order_by("-on").values_list("citizens_reached", flat=True).first()
    Pilot.objects.filter(pk=decision.pilot_id).update(citizens_reached=latest)
    pilot_figures_changed.send(sender=Pilot, pilot=decision.pilot)


def reach_of(pilot: Pilot) -> list[Reach]:
    """The pilot's reach figures, oldest first (empty before a scale-up)."""
    return list(Reach.objects.filter(scale_up__pilot_id=pilot.pk).order_by("on"))
