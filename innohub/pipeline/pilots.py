"""Writes for pilots: create, change, move, spend, risks, lessons.

Every function is keyword-only and atomic; it refuses bad input with a ValidationError keyed
by field, a person who may not with PermissionDenied, and an illegal state change with
`Conflict` (409 in the API). A pilot's row is locked (`select_for_update`) while it moves or
spends, so two requests at once cannot both pass the budget or make the same move.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.roles import is_administrator, is_programme_manager
from innohub.core.text import clean_text
from innohub.core.units import CENT, MAX_MONEY
from innohub.geo.models import Area, is_known_currency
from innohub.orgs.models import Kind as OrganisationKind
from innohub.orgs.models import Organisation
from innohub.services.limits import ANNUAL_VOLUME_MAX
from innohub.services.models import Service
from innohub.services.steps import decimal_error

from . import moves, notices, search
from .limits import BUDGET_CODE_MAX, TEXT_MAX, TITLE_MAX
from .models import Idea, Lesson, MentoringNote, Pilot, PilotEvent, Risk, Spend, Status
from .rules import standing
from .signals import pilot_figures_changed

if TYPE_CHECKING:
    from innohub.accounts.models import User

# Mentor and budget are settled once a pilot has ended.
ENDED = (Status.COMPLETED, Status.DISCONTINUED)
SPENDING = (Status.APPROVED, Status.ONGOING)


# --- Checks ---------------------------------------------------------------------------------


def money_error(value: Any, *, positive: bool = False) -> str:
    if message := decimal_error(value, maximum=MAX_MONEY):
        return message
    if positive and Decimal(str(value)) <= 0:
        return _("Give an amount above 0.")
    return ""


def _volume_error(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return _("Give a whole number, 0 or more.")
    if value > ANNUAL_VOLUME_MAX:
        return _("At most %(max)d.") % {"max": ANNUAL_VOLUME_MAX}
    return ""


def _scale_error(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        return _("Give a whole number from 1 to 5.")
    return ""


def _text(values: dict[str, Any], errors: dict[str, str], name: str, **limits: Any) -> None:
    """Clean `values[name]` in place, or note its error."""
    try:
        values[name] = clean_text(values[name], name, **limits)
    except ValidationError as error:
        errors[name] = error.message_dict[name][0]


def _pilot_values(fields: dict[str, Any], *, lead_id: int | None) -> dict[str, Any]:
    """Checked values of the given editable fields of a pilot."""
    values = dict(fields)
    errors: dict[str, str] = {}
    if "title" in values:
        _text(values, errors, "title", max_length=TITLE_MAX, required=True)
    if "budget_code" in values:
        _text(values, errors, "budget_code", max_length=BUDGET_CODE_MAX)
    if "budget" in values:
        if message := money_error(values["budget"]):
            errors["budget"] = message
        else:
            values["budget"] = Decimal(str(values["budget"])).quantize(CENT)
    if "currency" in values:
        currency = values["currency"]
        if not isinstance(currency, str) or not is_known_currency(currency):
            errors["currency"] = _("Give an ISO 4217 currency code (for example BDT).")
    if "annual_volume" in values and (message := _volume_error(values["annual_volume"])):
        errors["annual_volume"] = message
    mentor = values.get("mentor")
    if mentor is not None and lead_id is not None and mentor.pk == lead_id:
        errors["mentor"] = _("The mentor cannot be the pilot's lead.")
    started, ended = values.get("started_on"), values.get("ended_on")
    if started and ended and ended < started:
        errors["ended_on"] = _("A pilot cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    return values


def _today() -> datetime.date:
    return timezone.localdate()


# --- Create and change ----------------------------------------------------------------------


@transaction.atomic
def create_pilot(
    *,
    by: User,
    title: str,
    idea: Idea,
    service: Service | None = None,
    area: Area,
    organisation: Organisation,
    lead: User | None = None,
    mentor: User | None = None,
    budget: Any = Decimal(0),
    currency: str | None = None,
    budget_code: str = "",
    annual_volume: int = 0,
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    replicates: Pilot | None = None,
    partner: Organisation | None = None,
) -> Pilot:
    """A new pilot, in draft. The caller leads it unless a programme manager or an
    administrator names someone else. The service is the idea's unless another is given; a
    `partner` (an organisation of kind partner: a university, an NGO) hosts it as a testbed."""
    if (
        lead is not None
        and lead.pk != by.pk
        and not (is_programme_manager(by) or is_administrator(by))
    ):
        raise PermissionDenied(_("Only a programme manager names someone else as the lead."))
    lead = lead or by
    service = service or idea.service
    if service is None:
        raise ValidationError({"service": _("Name the service this pilot changes.")})
    values = _pilot_values(
        {
            "title": title,
            "budget": budget,
            "currency": currency or service.currency,
            "budget_code": budget_code,
            "annual_volume": annual_volume,
            "mentor": mentor,
            "started_on": started_on,
            "ended_on": ended_on,
        },
        lead_id=lead.pk,
    )
    pilot = Pilot.objects.create(
        idea=idea,
        service=service,
        area=area,
        organisation=organisation,
        lead=lead,
        replicates=replicates,
        partner=_testbed(partner),
        **values,
    )
    search.index_pilot(pilot)
    notices.mentor_named(pilot)
    return pilot


def _testbed(partner: Organisation | None) -> Organisation | None:
    """A pilot's testbed is a partner organisation (a university, an NGO, a company)."""
    if partner is not None and partner.kind != OrganisationKind.PARTNER:
        raise ValidationError(
            {"partner": _("A testbed is a partner organisation, such as a university.")}
        )
    return partner


def _locked(pilot: Pilot) -> Pilot:
    """The pilot's row, locked until the transaction ends, with the fields as stored now."""
    return (
        Pilot.objects.select_for_update(of=("self",))
        .select_related("area", "organisation", "lead", "mentor")
        .get(pk=pilot.pk)
    )


@transaction.atomic
def update_pilot(*, by: User, pilot: Pilot, **fields: Any) -> Pilot:
    """Change title, budget, budget code, annual volume, mentor, testbed partner and dates
    (PATCH): the lead,
    a programme manager of the pilot's place, an administrator. Mentor and budget only
    before the pilot ends (409 after)."""
    if not by.has_perm("pipeline.change_pilot", pilot):
        raise PermissionDenied(_("Only the pilot's lead or a programme manager changes it."))
    allowed = {
        "title",
        "budget",
        "budget_code",
        "annual_volume",
        "mentor",
        "started_on",
        "ended_on",
        "partner",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    locked = _locked(pilot)
    if locked.status in ENDED and {"mentor", "budget"} & set(fields):
        raise Conflict(_("Mentor and budget are settled once a pilot has ended."))
    if "partner" in fields:
        locked.partner = _testbed(fields.pop("partner"))
    merged = {"started_on": locked.started_on, "ended_on": locked.ended_on, **fields}
    values = _pilot_values(merged, lead_id=locked.lead_id)
    if "budget" in fields and values["budget"] < locked.spent:
        raise ValidationError(
            {
                "budget": _("The budget cannot go below what is already spent (%(spent)s).")
                % {"spent": locked.spent}
            }
        )
    mentor_before = locked.mentor_id
    for name in fields:
        setattr(locked, name, values[name])
    locked.save()
    if locked.mentor_id is not None and locked.mentor_id != mentor_before:
        notices.mentor_named(locked)
    if "title" in fields:
        search.index_pilot(locked)
    return locked


# --- Moves ----------------------------------------------------------------------------------


@transaction.atomic
def move(*, by: User, pilot: Pilot, to: str, note: str = "") -> Pilot:
    """Move the pilot to `to` if `moves.MOVES` allows it and `by` may make the move; record
    the move. Starting sets `started_on` (and completing `ended_on`) to today when empty; a
    discontinued pilot's note becomes its lesson."""
    note = clean_text(note, "note", max_length=TEXT_MAX)
    locked = _locked(pilot)
    try:
        moves.check_move(
            status=locked.status,
            to=to,
            standing=standing(by, locked),
            has_mentor=locked.mentor_id is not None,
            note=note,
        )
    except moves.MoveRefused as refused:
        if refused.status == 403:
            raise PermissionDenied(refused.message) from None
        if refused.status == 422:
            raise ValidationError({refused.field or "to": refused.message}) from None
        raise Conflict(refused.message) from None
    start = locked.status
    locked.status = to
    if to == Status.ONGOING and locked.started_on is None:
        locked.started_on = _today()
    if to in ENDED and locked.ended_on is None:
        locked.ended_on = max(_today(), locked.started_on or _today())
    locked.save()
    PilotEvent.objects.create(pilot=locked, from_status=start, to_status=to, by=by, note=note)
    notices.moved(locked, to=to, by=by, note=note)
    if to == Status.DISCONTINUED:
        search.index_lesson(Lesson.objects.create(pilot=locked, text=note, by=by))
    return locked


# --- Spending, risks, lessons ---------------------------------------------------------------


@transaction.atomic
def record_spend(
    *, by: User, pilot: Pilot, amount: Any, spent_on: datetime.date, note: str = ""
) -> Spend:
    """Spending against the pilot's budget, while it is approved or ongoing (409 otherwise);
    spending that would pass the budget is refused (422 naming `amount`) and nothing is
    recorded."""
    if not by.has_perm("pipeline.add_spend", pilot):
        raise PermissionDenied(
            _("Only the pilot's lead, its mentor or a programme manager records spending.")
        )
    errors: dict[str, str] = {}
    if message := money_error(amount, positive=True):
        errors["amount"] = message
    if spent_on > _today():
        errors["spent_on"] = _("The day of spending cannot be in the future.")
    note = clean_text(note, "note", max_length=TEXT_MAX)
    if errors:
        raise ValidationError(errors)
    amount = Decimal(str(amount)).quantize(CENT)
    locked = _locked(pilot)
    if locked.status not in SPENDING:
        raise Conflict(_("Spending is recorded only while a pilot is approved or ongoing."))
    if locked.spent + amount > locked.budget:
        raise ValidationError(
            {
                "amount": _(
                    "This would take spending to %(total)s %(currency)s, above the budget of "
                    "%(budget)s %(currency)s: %(left)s %(currency)s is left."
                )
                % {
                    "total": locked.spent + amount,
                    "budget": locked.budget,
                    "left": locked.budget - locked.spent,
                    "currency": locked.currency,
                }
            }
        )
    spend = Spend.objects.create(pilot=locked, amount=amount, spent_on=spent_on, note=note, by=by)
    Pilot.objects.filter(pk=locked.pk).update(spent=F("spent") + amount)
    pilot_figures_changed.send(sender=Pilot, pilot=locked)
    return spend


@transaction.atomic
def add_risk(
    *,
    by: User,
    pilot: Pilot,
    description: str,
    likelihood: int,
    impact: int,
    exposure: str = "",
    course_correction: str = "",
) -> Risk:
    """A risk in the pilot's register: the lead, the mentor, a programme manager."""
    if not by.has_perm("pipeline.add_risk", pilot):
        raise PermissionDenied(
            _("Only the pilot's lead, its mentor or a programme manager keeps its risks.")
        )
    values: dict[str, Any] = {
        "description": description,
        "exposure": exposure,
        "course_correction": course_correction,
    }
    errors: dict[str, str] = {}
    _text(values, errors, "description", max_length=TEXT_MAX, required=True)
    _text(values, errors, "exposure", max_length=TEXT_MAX)
    _text(values, errors, "course_correction", max_length=TEXT_MAX)
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if message := _scale_error(value):
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    return Risk.objects.create(pilot=pilot, likelihood=likelihood, impact=impact, by=by, **values)


@transaction.atomic
def add_lesson(*, by: User, pilot: Pilot, text: str) -> Lesson:
    """What the pilot taught: the lead, the mentor, the innovation team, a programme manager."""
    if not by.has_perm("pipeline.add_lesson", pilot):
        raise PermissionDenied(
            _("Only the pilot's lead, its mentor or the innovation team adds lessons.")
        )
    text = clean_text(text, "text", max_length=TEXT_MAX, required=True)
    lesson = Lesson.objects.create(pilot=pilot, text=text, by=by)
    search.index_lesson(lesson)
    return lesson


@transaction.atomic
def add_mentoring_note(
    *, by: User, pilot: Pilot, met_on: datetime.date, text: str
) -> MentoringNote:
    """A dated note of a mentoring meeting: the mentor or the lead."""
    if not by.has_perm("pipeline.add_mentoringnote", pilot):
        raise PermissionDenied(_("Only the pilot's mentor or lead keeps mentoring notes."))
    errors: dict[str, str] = {}
    values = {"text": text}
    _text(values, errors, "text", max_length=TEXT_MAX, required=True)
    if met_on > _today():
        errors["met_on"] = _("The day of the meeting cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return MentoringNote.objects.create(pilot=pilot, author=by, met_on=met_on, text=values["text"])
