"""Writes for services, process maps and journeys.

Every function is keyword-only and atomic; it refuses bad input with a ValidationError keyed
by field (step errors by JSON path, `steps.2.visits`), a caller who may not with
PermissionDenied, and an illegal state change with `Conflict` (409 in the API).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from innohub.core.errors import Conflict
from innohub.geo.models import Area, is_known_currency
from innohub.orgs.models import Organisation

from .checks import observed_on_error, ref_error, text_error
from .limits import ANNUAL_VOLUME_MAX, NAME_MAX, NOTES_MAX, REF_MAX
from .models import (
    Channel,
    Journey,
    JourneyStatus,
    JourneyStep,
    MapStep,
    Method,
    PainPoint,
    ProcessMap,
    Service,
    ServiceChannel,
    Variant,
)
from .steps import StepData, step_errors, step_values, validate_steps

if TYPE_CHECKING:
    from innohub.accounts.models import User


def _clean_text(value: Any, field: str, *, max_length: int | None, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError({field: text_error(value, max_length=max_length)})
    text = unicodedata.normalize("NFC", value.strip())
    if message := text_error(text, max_length=max_length, required=required):
        raise ValidationError({field: message})
    return text


def _check_choice(value: Any, field: str, choices: list[str]) -> str:
    if value not in choices:
        raise ValidationError(
            {field: _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}}
        )
    return str(value)


# --- Services -------------------------------------------------------------------------------


def _service_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Checked values of the editable fields of a service (only those given)."""
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, max_length, required in (
        ("name", NAME_MAX, True),
        ("name_local", NAME_MAX, False),
        ("description", NOTES_MAX, False),
    ):
        if name in fields:
            try:
                values[name] = _clean_text(
                    fields[name], name, max_length=max_length, required=required
                )
            except ValidationError as error:
                errors.update(error.message_dict)
    if "organisation" in fields:
        if not isinstance(fields["organisation"], Organisation):
            errors["organisation"] = [_("Choose an organisation.")]
        else:
            values["organisation"] = fields["organisation"]
    if "currency" in fields:
        currency = fields["currency"]
        if not isinstance(currency, str) or not is_known_currency(currency):
            errors["currency"] = [_("Give an ISO 4217 currency code (for example BDT).")]
        else:
            values["currency"] = currency
    if "annual_volume" in fields:
        volume = fields["annual_volume"]
        if isinstance(volume, bool) or not isinstance(volume, int) or volume < 0:
            errors["annual_volume"] = [_("Give a whole number, 0 or more.")]
        elif volume > ANNUAL_VOLUME_MAX:
            errors["annual_volume"] = [_("At most %(max)d.") % {"max": ANNUAL_VOLUME_MAX}]
        else:
            values["annual_volume"] = volume
    if "channels" in fields:
        channels = list(fields["channels"])
        bad = [c for c in channels if c not in Channel.values]
        if bad:
            errors["channels"] = [
                _("Choose from: %(choices)s.") % {"choices": ", ".join(Channel.values)}
            ]
        else:
            values["channels"] = list(dict.fromkeys(channels))
    if errors:
        raise ValidationError(errors)
    return values


def _set_channels(service: Service, channels: Iterable[str]) -> None:
    wanted = set(channels)
    current = set(service.channels.values_list("channel", flat=True))
    service.channels.filter(channel__in=current - wanted).delete()
    ServiceChannel.objects.bulk_create(
        [ServiceChannel(service=service, channel=c) for c in sorted(wanted - current)]
    )


@transaction.atomic
def create_service(
    *,
    by: User,
    name: str,
    organisation: Organisation,
    currency: str = "BDT",
    annual_volume: int = 0,
    description: str = "",
    name_local: str = "",
    channels: Sequence[str] = (),
) -> Service:
    """Create a service of `organisation`. Refuses (by field) an empty or too long name, an
    unknown currency, a negative or non-integer annual volume, an unknown channel;
    PermissionDenied unless `by` is a programme manager or an administrator."""
    if not by.has_perm("services.add_service"):
        raise PermissionDenied(_("Only programme managers and administrators add services."))
    values = _service_values(
        {
            "name": name,
            "organisation": organisation,
            "currency": currency,
            "annual_volume": annual_volume,
            "description": description,
            "name_local": name_local,
            "channels": channels,
        }
    )
    chosen = values.pop("channels")
    service = Service.objects.create(**values)
    _set_channels(service, chosen)
    return service


@transaction.atomic
def update_service(*, by: User, service: Service, **fields: Any) -> Service:
    """Change the given fields (name, name_local, description, organisation, currency,
    annual_volume, channels), checked as in `create_service`; PermissionDenied unless `by`
    may change services; an unknown field is a ValidationError."""
    if not by.has_perm("services.change_service", service):
        raise PermissionDenied(_("Only programme managers and administrators change services."))
    allowed = {
        "name",
        "name_local",
        "description",
        "organisation",
        "currency",
        "annual_volume",
        "channels",
    }
    if unknown := set(fields) - allowed:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    values = _service_values(fields)
    chosen = values.pop("channels", None)
    for name, value in values.items():
        setattr(service, name, value)
    if values:
        service.save()
    if chosen is not None:
        _set_channels(service, chosen)
    return service


# --- Steps ----------------------------------------------------------------------------------


def _write_map_steps(process_map: ProcessMap, steps: Sequence[StepData]) -> None:
    # Map steps keep history (a workshop rewrites them; who changed what matters).
    created = bulk_create_with_history(
        [
            MapStep(process_map=process_map, position=index, **step_values(step))
            for index, step in enumerate(steps)
        ],
        MapStep,
    )
    if not all(s.pk for s in created):
        created = list(process_map.steps.order_by("position"))
    PainPoint.objects.bulk_create(
        [
            PainPoint(map_step=row, category=p.category, description=p.description.strip())
            for row, step in zip(created, steps, strict=True)
            for p in step.pain_points
        ]
    )


def _write_journey_steps(journey: Journey, steps: Sequence[StepData], *, start: int = 0) -> None:
    # Journey steps are parts of the journey (whose own history records the change) and are
    # written in bulk: no history row each.
    rows = JourneyStep.objects.bulk_create(
        [
            JourneyStep(journey=journey, position=start + index, **step_values(step))
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


# --- Process maps ---------------------------------------------------------------------------


@transaction.atomic
def create_process_map(
    *,
    by: User,
    service: Service,
    variant: str,
    steps: Sequence[StepData],
    notes: str = "",
) -> ProcessMap:
    """Create the service's map of `variant` with its steps in order. Refuses an unknown
    variant and bad steps (ValidationError), a second map of the same variant (Conflict),
    and anyone but trainers, programme managers and administrators (PermissionDenied)."""
    if not by.has_perm("services.add_processmap"):
        raise PermissionDenied(
            _("Only trainers, programme managers and administrators add process maps.")
        )
    _check_choice(variant, "variant", Variant.values)
    notes = _clean_text(notes, "notes", max_length=NOTES_MAX)
    validate_steps(steps)
    conflict = Conflict(
        _("This service already has a process map of the variant “%(variant)s”.")
        % {"variant": variant}
    )
    if ProcessMap.objects.filter(service=service, variant=variant).exists():
        raise conflict
    try:
        with transaction.atomic():
            process_map = ProcessMap.objects.create(service=service, variant=variant, notes=notes)
    except IntegrityError:  # another request created it meanwhile
        raise conflict from None
    _write_map_steps(process_map, steps)
    return process_map


@transaction.atomic
def replace_map_steps(
    *, by: User, process_map: ProcessMap, steps: Sequence[StepData]
) -> ProcessMap:
    """Replace all steps of the map with `steps`, in order (bad steps: ValidationError,
    nothing changed); PermissionDenied unless `by` may change process maps."""
    if not by.has_perm("services.change_processmap", process_map):
        raise PermissionDenied(
            _("Only trainers, programme managers and administrators change process maps.")
        )
    validate_steps(steps)
    process_map.steps.all().delete()
    _write_map_steps(process_map, steps)
    process_map.save(update_fields=["modified"])
    return process_map


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
        return _clean_text(value, "ref", max_length=REF_MAX)

    check("service", service_of)
    check("area", area_of)
    check("observed_on", date_of)
    check("method", lambda v: _check_choice(v, "method", Method.values))
    check("status", lambda v: _check_choice(v, "status", JourneyStatus.values))
    check("ref", ref_of)
    check("notes", lambda v: _clean_text(v, "notes", max_length=NOTES_MAX))
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


def _save_journey(journey: Journey) -> None:
    try:
        with transaction.atomic():
            journey.save()
    except IntegrityError:  # the same reference saved meanwhile by another request
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
) -> Journey:
    """Record a journey observed by `by`. Refuses (by field) a date in the future (in
    settings.TIME_ZONE), an unknown method or status, a reference used by another journey of
    the service or starting with `id:`, bad steps, and a final journey without steps."""
    if not by.has_perm("services.add_journey"):
        raise PermissionDenied(_("Sign in to record journeys."))
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
    journey = Journey(observer=by, **values)
    _save_journey(journey)
    _write_journey_steps(journey, steps)
    return journey


def _may_change(by: User, journey: Journey) -> None:
    if not by.has_perm("services.change_journey", journey):
        raise PermissionDenied(
            _(
                "Only the observer, the innovation team and programme managers of its area, "
                "and administrators change this journey."
            )
        )


@transaction.atomic
def update_journey(*, by: User, journey: Journey, **fields: Any) -> Journey:
    """Change the given fields (service, area, observed_on, method, ref, status, notes),
    checked as in `create_journey`; `steps` (if given) replace the steps. A final journey
    keeps at least one step. PermissionDenied unless `by` may change this journey (checked
    against where it is now and, if moved, where it goes)."""
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
    for name, value in values.items():
        setattr(journey, name, value)
    if "service" in values or "area" in values:
        _may_change(by, journey)  # may not move it out of one's own reach
    _save_journey(journey)
    if steps is not None:
        journey.steps.all().delete()
        _write_journey_steps(journey, steps)
    return journey


@transaction.atomic
def add_journey_step(*, by: User, journey: Journey, step: StepData) -> JourneyStep:
    """Append one step (step-by-step recording on a phone). Refuses a bad step, keyed
    `steps.<its index>.<field>`; PermissionDenied unless `by` may change the journey."""
    _may_change(by, journey)
    Journey.objects.select_for_update().filter(pk=journey.pk).first()  # one appender at a time
    last = journey.steps.aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    if errors := step_errors(step, prefix=f"steps.{journey.steps.count()}"):
        raise ValidationError({field: [message] for field, message in errors.items()})
    _write_journey_steps(journey, [step], start=position)
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
    journey.save()
    return journey
