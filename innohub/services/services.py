"""Writes for services and process maps (journeys: `journeys.py`).

Every function is keyword-only and atomic; it refuses bad input with a ValidationError keyed
by field (step errors by JSON path, `steps.2.visits`), a caller who may not with
PermissionDenied, and an illegal state change with `Conflict` (409 in the API).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from innohub.core.errors import Conflict
from innohub.core.text import clean_text
from innohub.geo.models import is_known_currency
from innohub.orgs.models import Organisation

from .checks import check_choice
from .limits import ANNUAL_VOLUME_MAX, NAME_MAX, NOTES_MAX
from .models import (
    Channel,
    MapStep,
    PainPoint,
    ProcessMap,
    Service,
    ServiceChannel,
    Variant,
)
from .steps import StepData, step_values, validate_steps

if TYPE_CHECKING:
    from innohub.accounts.models import User


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
                values[name] = clean_text(
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
    check_choice(variant, "variant", Variant.values)
    notes = clean_text(notes, "notes", max_length=NOTES_MAX)
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
