"""Writes for observed journeys: recording, editing, adding steps, finishing.

Every function is keyword-only and atomic; it refuses bad input with a ValidationError keyed
by field (step errors by JSON path, `steps.2.visits`), a caller who may not with
PermissionDenied, and an illegal state change with `Conflict` (409 in the API). The rules of
a journey's fields are `checks.py`'s, of its steps `steps.py`'s.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict, Stale
from innohub.core.text import clean_text
from innohub.geo.models import Area

from . import pilot_link
from .checks import check_choice, observed_on_error, ref_error
from .limits import NOTES_MAX, REF_MAX
from .models import (
    TOTAL_FIELDS,
    Journey,
    JourneyStatus,
    JourneyStep,
    Method,
    PainPoint,
    Service,
)
from .pilot_link import UNLINKED, Link
from .steps import StepData, step_errors, step_values, validate_steps
from .totals import bump, refresh, store

if TYPE_CHECKING:
    from innohub.accounts.models import User


def _write_journey_steps(journey: Journey, steps: Sequence[StepData], *, start: int = 0) -> None:
    # Journey steps are parts of the journey (whose own history records the change) and are
    # written in bulk: no history row each.
    rows = JourneyStep.objects.bulk_create(
        [
            JourneyStep(
                journey=journey,
                position=start + index,
                client_id=step.client_id,
                **step_values(step),
            )
            for index, step in enumerate(steps)
        ]
    )
    if not all(r.pk for r in rows):  # a backend that does not return ids from bulk inserts
        rows = list(journey.steps.filter(position__gte=start).order_by("position"))
    PainPoint.objects.bulk_create(
        [
            PainPoint(journey_step=row, category=p.category, description=p.description.strip())
            for row, step in zip(rows, steps, strict=True)
            for p in step.pain_points
        ]
    )


# --- Journeys -------------------------------------------------------------------------------


def today() -> datetime.date:
    """Today in the deployment's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


def _journey_values(fields: dict[str, Any], *, journey: Journey | None) -> dict[str, Any]:
    """Checked values of the given journey fields; `journey` is the one being changed."""
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}

    def check(name: str, fn: Any) -> None:
        if name in fields:
            try:
                values[name] = fn(fields[name])
            except ValidationError as error:
                errors.update(error.message_dict)

    def service_of(value: Any) -> Service:
        if not isinstance(value, Service):
            raise ValidationError({"service": _("Choose a service.")})
        return value

    def area_of(value: Any) -> Area:
        if not isinstance(value, Area):
            raise ValidationError({"area": _("Choose an area.")})
        return value

    def date_of(value: Any) -> datetime.date:
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise ValidationError({"observed_on": _("Give a date.")})
        if message := observed_on_error(value, today=today()):
            raise ValidationError({"observed_on": message})
        return value

    def ref_of(value: Any) -> str:
        if message := ref_error(value):
            raise ValidationError({"ref": message})
        return clean_text(value, "ref", max_length=REF_MAX)

    check("service", service_of)
    check("area", area_of)
    check("observed_on", date_of)
    check("method", lambda v: check_choice(v, "method", Method.values))
    check("status", lambda v: check_choice(v, "status", JourneyStatus.values))
    check("ref", ref_of)
    check("notes", lambda v: clean_text(v, "notes", max_length=NOTES_MAX))
    ref = values.get("ref", journey.ref if journey else "")
    service = values.get("service", journey.service if journey else None)
    if ref and service is not None and "ref" not in errors:
        others = Journey.objects.filter(service=service, ref=ref)
        if journey is not None:
            others = others.exclude(pk=journey.pk)
        if others.exists():
            errors["ref"] = [_("Another journey of this service has this reference.")]
    if errors:
        raise ValidationError(errors)
    return values


def _need_steps_to_be_final(*, status: str, has_steps: bool) -> None:
    if status == JourneyStatus.FINAL and not has_steps:
        raise ValidationError({"steps": _("A final journey has at least one step.")})


def _journey_columns() -> list[str]:
    """What saving a journey writes: never its stored TCV, which only `totals` writes (a
    journey read before another request added a step would write back a stale total)."""
    return [
        field.name
        for field in Journey._meta.concrete_fields
        if not field.primary_key and field.name not in TOTAL_FIELDS
    ]


def _save_journey(journey: Journey) -> None:
    try:
        with transaction.atomic():
            journey.save(update_fields=_journey_columns() if journey.pk else None)
    except IntegrityError:  # the same reference (or client id) saved meanwhile by another request
        if (
            journey.client_id is not None
            and Journey.objects.filter(client_id=journey.client_id).exists()
        ):
            raise Conflict(
                _("This journey is being recorded by another request: send it again.")
            ) from None
        raise ValidationError(
            {"ref": _("Another journey of this service has this reference.")}
        ) from None


@transaction.atomic
def create_journey(
    *,
    by: User,
    service: Service,
    area: Area,
    observed_on: datetime.date,
    method: str,
    ref: str = "",
    status: str = JourneyStatus.FINAL,
    steps: Sequence[StepData] = (),
    notes: str = "",
    link: Link = UNLINKED,
    client_id: uuid.UUID | None = None,
) -> Journey:
    """Record a journey observed by `by`. Refuses (by field) a date in the future (in
    settings.TIME_ZONE), an unknown method or status, a reference used by another journey of
    the service or starting with `id:`, bad steps, and a final journey without steps. `link`
    makes it a pilot's baseline or after journey (`pilot_link.check` says when it may).
    With a `client_id` the recorder made, a journey sent again is the one already recorded
    (`recorded_with`), never a second."""
    if not by.has_perm("services.add_journey"):
        raise PermissionDenied(_("Sign in to record journeys."))
    if client_id is not None and (earlier := recorded_with(by=by, client_id=client_id)):
        return earlier
    values = _journey_values(
        {
            "service": service,
            "area": area,
            "observed_on": observed_on,
            "method": method,
            "ref": ref,
            "status": status,
            "notes": notes,
        },
        journey=None,
    )
    validate_steps(steps)
    _need_steps_to_be_final(status=values["status"], has_steps=bool(steps))
    pilot_link.check(
        by=by,
        link=link,
        service_id=values["service"].pk,
        area_path=values["area"].path,
        observed_on=values["observed_on"],
    )
    journey = Journey(observer=by, client_id=client_id, **values)
    _save_journey(journey)
    _write_journey_steps(journey, steps)
    refresh(journey)
    if link.pilot is not None:
        pilot_link.write(journey, link)
    return journey


def recorded_with(*, by: User, client_id: uuid.UUID) -> Journey | None:
    """The journey `by` recorded with this client id, if any; another person's is a
    Conflict (client ids are random: it is a client's mistake, never a guess)."""
    earlier = Journey.objects.filter(client_id=client_id).first()
    if earlier is not None and earlier.observer_id != by.pk:
        raise Conflict(_("This client id names another person's journey."))
    return earlier


def _may_change(by: User, journey: Journey) -> None:
    if not by.has_perm("services.change_journey", journey):
        raise PermissionDenied(
            _(
                "Only the observer, the innovation team and programme managers of its area, "
                "and administrators change this journey."
            )
        )


@transaction.atomic
def update_journey(
    *, by: User, journey: Journey, link: Link | None = None, **fields: Any
) -> Journey:
    """Change the given fields (service, area, observed_on, method, ref, status, notes),
    checked as in `create_journey`; `steps` (if given) replace the steps. A final journey
    keeps at least one step. PermissionDenied unless `by` may change this journey (checked
    against where it is now and, if moved, where it goes). `link` (if given) replaces where
    it counts; a journey that counts for a pilot is checked against the pilot's rules again
    when its service, area or day change."""
    _may_change(by, journey)
    allowed = {"service", "area", "observed_on", "method", "ref", "status", "notes", "steps"}
    if unknown := set(fields) - allowed:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    steps = fields.pop("steps", None)
    values = _journey_values(fields, journey=journey)
    if steps is not None:
        validate_steps(steps)
        has_steps = bool(steps)
    else:
        has_steps = journey.steps.exists()
    _need_steps_to_be_final(status=values.get("status", journey.status), has_steps=has_steps)
    current = pilot_link.read(journey)
    relinked = link is not None and link != current
    if relinked:
        pilot_link.check_unlink(by=by, current=current)
    if relinked or (current.pilot is not None and {"service", "area", "observed_on"} & set(values)):
        pilot_link.check(
            by=by,
            link=link if link is not None else current,
            service_id=values.get("service", journey.service).pk,
            area_path=values.get("area", journey.area).path,
            observed_on=values.get("observed_on", journey.observed_on),
            linking=relinked,
        )
    was_in, was_final = journey.service_id, journey.status == JourneyStatus.FINAL
    for name, value in values.items():
        setattr(journey, name, value)
    if "service" in values or "area" in values:
        _may_change(by, journey)  # may not move it out of one's own reach
    _save_journey(journey)
    if steps is not None:
        journey.steps.all().delete()
        _write_journey_steps(journey, steps)
        store(journey)
    if relinked:
        assert link is not None
        pilot_link.write(journey, link)
    if was_final or journey.status == JourneyStatus.FINAL:  # drafts count in no figure
        bump(was_in, journey.service_id)
    return journey


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def version_of(journey: Journey) -> str:
    """The journey's version as a client keeps it: every change (a field, a step, finishing)
    makes a new, larger one — microseconds of its last change (an ETag in the API). The
    offline recorder sends the version it last saw with each waiting step (`expected`)."""
    return str((journey.modified - _EPOCH) // datetime.timedelta(microseconds=1))


@transaction.atomic
def add_journey_step(
    *,
    by: User,
    journey: Journey,
    step: StepData,
    client_id: uuid.UUID | None = None,
    expected: str | None = None,
) -> JourneyStep:
    """Append one step (step-by-step recording on a phone). Refuses a bad step, keyed
    `steps.<its index>.<field>`; PermissionDenied unless `by` may change the journey. A step
    with the `client_id` of one saved already is that step: nothing is added (a resent
    request, a retried sync). With `expected` (a `version_of` the client saw), a journey
    changed since is `Stale`: the step is not added, and the officer decides."""
    _may_change(by, journey)
    locked = Journey.objects.select_for_update().filter(pk=journey.pk).first()  # one at a time
    if client_id is not None and (saved := journey.steps.filter(client_id=client_id).first()):
        return saved
    if expected is not None and locked is not None and version_of(locked) != expected:
        raise Stale(_("This journey was changed on the server after you last saw it."))
    last = journey.steps.aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    if errors := step_errors(step, prefix=f"steps.{journey.steps.count()}"):
        raise ValidationError({field: [message] for field, message in errors.items()})
    _write_journey_steps(journey, [replace(step, client_id=client_id)], start=position)
    refresh(journey)
    journey.save(update_fields=["modified"])
    return journey.steps.filter(position=position).latest("id")


@transaction.atomic
def replace_journey_steps(*, by: User, journey: Journey, steps: Sequence[StepData]) -> Journey:
    """Replace all the journey's steps; a final journey keeps at least one (ValidationError
    on `steps`); PermissionDenied unless `by` may change the journey."""
    _may_change(by, journey)
    validate_steps(steps)
    _need_steps_to_be_final(status=journey.status, has_steps=bool(steps))
    journey.steps.all().delete()
    _write_journey_steps(journey, steps)
    refresh(journey)
    journey.save(update_fields=["modified"])
    return journey


@transaction.atomic
def finish_journey(*, by: User, journey: Journey) -> Journey:
    """A draft becomes final (it then counts in TCV). Needs at least one step
    (ValidationError on `steps`); a journey already final is a Conflict."""
    _may_change(by, journey)
    if journey.status == JourneyStatus.FINAL:
        raise Conflict(_("This journey is already final."))
    _need_steps_to_be_final(status=JourneyStatus.FINAL, has_steps=journey.steps.exists())
    journey.status = JourneyStatus.FINAL
    journey.save(update_fields=["status", "modified"])
    bump(journey.service_id)
    return journey


@transaction.atomic
def discard_draft(*, by: User, journey: Journey) -> None:
    """Delete a draft that will never be finished, with its steps (a journey begun by
    mistake, or abandoned). A final journey is a Conflict: it counts in the figures, and is
    changed, not discarded. PermissionDenied unless `by` may change the journey."""
    _may_change(by, journey)
    if journey.status != JourneyStatus.DRAFT:
        raise Conflict(
            _("Only a draft can be discarded: a finished journey counts in the figures.")
        )
    journey.delete()  # its steps and their pain points go with it; its history keeps a record
