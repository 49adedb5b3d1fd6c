"""API router of services, process maps, journeys and TCV (`/api/v1/services`, `/journeys`);
wired into innohub/api/main.py. The contract is API.md, "Services and TCV"."""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from innohub.accounts.models import User
from innohub.api.errors import ErrorOut
from innohub.api.pagination import PageNumber
from innohub.api.types import (
    Count,
    Currency,
    DecimalOut,
    Duration,
    Money,
    Name,
    OptionalName,
    QueryRef,
    QueryText,
    refuse_bool,
    refuse_nul,
)
from innohub.geo.api import Reference
from innohub.geo.models import Area
from innohub.geo.selectors import MAX_ID, resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref

from . import selectors, services
from .checks import pilot_errors
from .limits import (
    ACTOR_MAX,
    ANNUAL_VOLUME_MAX,
    NOTES_MAX,
    OFFICE_MAX,
    PAIN_DESCRIPTION_MAX,
    REF_MAX,
    TITLE_MAX,
)
from .models import (
    Channel,
    Journey,
    JourneyStatus,
    Method,
    PainCategory,
    ProcessMap,
    Service,
    Variant,
)
from .steps import PainPointData, StepData
from .tcv import Tcv

router = Router(tags=["services"])


# --- Input types ----------------------------------------------------------------------------

Id = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
LongText = Annotated[str, Field(max_length=NOTES_MAX), AfterValidator(refuse_nul)]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(refuse_nul)]
Office = Annotated[str, Field(max_length=OFFICE_MAX), AfterValidator(refuse_nul)]
Actor = Annotated[str, Field(max_length=ACTOR_MAX), AfterValidator(refuse_nul)]
Description = Annotated[str, Field(max_length=PAIN_DESCRIPTION_MAX), AfterValidator(refuse_nul)]
JourneyRef = Annotated[str, Field(max_length=REF_MAX), AfterValidator(refuse_nul)]
AnnualVolume = Annotated[int, Field(ge=0, le=ANNUAL_VOLUME_MAX, strict=True)]
Phase = Literal["baseline", "after", "none"]


def _iso_date(value: Any) -> Any:
    # pydantic would read a number as a Unix time: a date is only ever "YYYY-MM-DD".
    refuse_bool(value)
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Give a date as YYYY-MM-DD.")
    return value


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


# --- Steps ----------------------------------------------------------------------------------


class PainPointIn(Schema):
    category: PainCategory
    description: Description = ""


class StepIn(Schema):
    title: Title
    office: Office = ""
    actor: Actor = ""
    documents: Count
    elapsed_days: Duration
    citizen_hours: Duration
    fees: Money
    travel_cost: Money
    other_cost: Money
    visits: Count
    pain_points: list[PainPointIn] = []

    def to_data(self) -> StepData:
        return StepData(
            title=self.title,
            office=self.office,
            actor=self.actor,
            documents=self.documents,
            elapsed_days=self.elapsed_days,
            citizen_hours=self.citizen_hours,
            fees=self.fees,
            travel_cost=self.travel_cost,
            other_cost=self.other_cost,
            visits=self.visits,
            pain_points=tuple(
                PainPointData(category=p.category.value, description=p.description)
                for p in self.pain_points
            ),
        )


def steps_data(steps: list[StepIn]) -> list[StepData]:
    return [step.to_data() for step in steps]


class PainPointOut(Schema):
    category: str
    description: str


class StepOut(Schema):
    title: str
    office: str
    actor: str
    documents: int
    elapsed_days: DecimalOut
    citizen_hours: DecimalOut
    fees: DecimalOut
    travel_cost: DecimalOut
    other_cost: DecimalOut
    visits: int
    pain_points: list[PainPointOut]

    @staticmethod
    def resolve_pain_points(obj: Any) -> list[dict[str, str]]:
        return [
            {"category": p.category, "description": p.description} for p in obj.pain_points.all()
        ]


class TcvOut(Schema):
    days: DecimalOut = Field(description="Σ elapsed_days, calendar days.")
    hours: DecimalOut = Field(description="Σ citizen_hours, the citizen's own hours.")
    cost: DecimalOut = Field(description="Σ fees + travel_cost + other_cost, in the currency.")
    visits: int
    documents: int


# --- Services -------------------------------------------------------------------------------


class ServiceOut(Schema):
    id: int
    name: str
    name_local: str
    description: str
    organisation: int = Field(description="The organisation's id.")
    currency: str
    annual_volume: int = Field(description="Citizens served per year, nationally.")
    channels: list[Channel]

    @staticmethod
    def resolve_organisation(obj: Service) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_channels(obj: Service) -> list[str]:
        return sorted(c.channel for c in obj.channels.all())


class ServiceIn(Schema):
    name: Name
    organisation: Id
    currency: Currency = "BDT"
    annual_volume: AnnualVolume = 0
    description: LongText = ""
    name_local: OptionalName = ""
    channels: list[Channel] = []


class ServiceFilters(Schema):
    organisation: QueryRef = Field(None, description="This organisation (id) and below.")
    area: QueryRef = Field(None, description="Organisations in this area (id or code) and below.")
    channel: Channel | None = None
    q: QueryText = Field(None, description="Part of the name or of the local name.")


READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut}
ONE_ERRORS: dict[int, Any] = {**READ_ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ONE_ERRORS, 403: ErrorOut}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the API lets no anonymous caller through
    return user


ServiceId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
MapId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
JourneyId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


def _service(service_id: int) -> Service:
    return get_object_or_404(
        Service.objects.select_related("organisation").prefetch_related("channels"),
        pk=service_id,
    )


@router.get("/services", response={200: list[ServiceOut], **READ_ERRORS}, summary="List services")
@paginate(PageNumber)
def list_services(request: HttpRequest, filters: Query[ServiceFilters]) -> Any:
    """Services by name. `organisation` (id) and `area` (id or code) include everything
    below them; an unknown one is 422 naming the filter."""
    return selectors.service_list(
        organisation=filters.organisation,
        area=filters.area,
        channel=filters.channel,
        q=filters.q,
    )


@router.post("/services", response={201: ServiceOut, **WRITE_ERRORS}, summary="Create a service")
def create_service(request: HttpRequest, payload: ServiceIn) -> Any:
    """Programme managers and administrators only (403 otherwise)."""
    user = _user(request)
    organisation = organisation_from_ref("organisation", payload.organisation)
    assert organisation is not None
    service = services.create_service(
        by=user,
        name=payload.name,
        organisation=organisation,
        currency=payload.currency,
        annual_volume=payload.annual_volume,
        description=payload.description,
        name_local=payload.name_local,
        channels=[c.value for c in payload.channels],
    )
    return Status(201, _service(service.pk))


@router.get(
    "/services/{service_id}", response={200: ServiceOut, **ONE_ERRORS}, summary="One service"
)
def get_service(request: HttpRequest, service_id: ServiceId) -> Any:
    return _service(service_id)


# --- Process maps ---------------------------------------------------------------------------


class ProcessMapOut(Schema):
    id: int
    service: int
    variant: Variant
    notes: str
    steps: list[StepOut]
    tcv: TcvOut

    @staticmethod
    def resolve_service(obj: ProcessMap) -> int:
        return obj.service_id

    @staticmethod
    def resolve_steps(obj: ProcessMap) -> list[Any]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_tcv(obj: ProcessMap) -> Tcv:
        return selectors.map_tcv(obj)


class ProcessMapIn(Schema):
    variant: Variant
    steps: list[StepIn] = []
    notes: LongText = ""


class ProcessMapStepsIn(Schema):
    steps: list[StepIn]


def _process_map(service_id: int, map_id: int) -> ProcessMap:
    found = selectors.process_maps_of(_service(service_id)).filter(pk=map_id).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/services/{service_id}/process-maps",
    response={200: list[ProcessMapOut], **ONE_ERRORS},
    summary="The service's process maps",
)
@paginate(PageNumber)
def list_process_maps(request: HttpRequest, service_id: ServiceId) -> Any:
    """One map per variant, each with its steps in order and its TCV."""
    return selectors.process_maps_of(_service(service_id))


@router.post(
    "/services/{service_id}/process-maps",
    response={201: ProcessMapOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Create a process map",
)
def create_process_map(request: HttpRequest, service_id: ServiceId, payload: ProcessMapIn) -> Any:
    """Trainers, programme managers and administrators. A second map of a variant is 409."""
    process_map = services.create_process_map(
        by=_user(request),
        service=_service(service_id),
        variant=payload.variant.value,
        steps=steps_data(payload.steps),
        notes=payload.notes,
    )
    return Status(201, _process_map(service_id, process_map.pk))


@router.get(
    "/services/{service_id}/process-maps/{map_id}",
    response={200: ProcessMapOut, **ONE_ERRORS},
    summary="One process map",
)
def get_process_map(request: HttpRequest, service_id: ServiceId, map_id: MapId) -> Any:
    return _process_map(service_id, map_id)


@router.put(
    "/services/{service_id}/process-maps/{map_id}",
    response={200: ProcessMapOut, **WRITE_ERRORS},
    summary="Replace a process map's steps",
)
def replace_process_map_steps(
    request: HttpRequest, service_id: ServiceId, map_id: MapId, payload: ProcessMapStepsIn
) -> Any:
    """The steps given replace all the map's steps, in order."""
    services.replace_map_steps(
        by=_user(request),
        process_map=_process_map(service_id, map_id),
        steps=steps_data(payload.steps),
    )
    return _process_map(service_id, map_id)


# --- TCV distribution -----------------------------------------------------------------------


class SummaryOut(Schema):
    mean: DecimalOut
    median: DecimalOut
    p90: DecimalOut


class DistributionOut(Schema):
    n: int
    days: SummaryOut | None
    hours: SummaryOut | None
    cost: SummaryOut | None
    visits: SummaryOut | None
    opportunity_cost: SummaryOut | None = Field(
        description="Over the journeys whose area (or one above) has an hourly wage; null if none."
    )


class TcvFilters(Schema):
    area: QueryRef = Field(None, description="This area (id or code) and everything below.")
    observed_from: datetime.date | None = None
    observed_to: datetime.date | None = None


@router.get(
    "/services/{service_id}/tcv",
    response={200: DistributionOut, **ONE_ERRORS},
    summary="The TCV distribution of the service's final journeys",
)
def service_tcv(request: HttpRequest, service_id: ServiceId, filters: Query[TcvFilters]) -> Any:
    """n, mean, median and p90 (linear between closest ranks) of days, hours, cost, visits
    and opportunity cost; the summaries are null when n is 0."""
    service = _service(service_id)
    area = resolve_area_filter("area", filters.area)
    return selectors.tcv_distribution(
        service=service,
        area=area,
        observed_from=filters.observed_from,
        observed_to=filters.observed_to,
    )


# --- Journeys -------------------------------------------------------------------------------


class JourneyOut(Schema):
    id: int
    ref: str
    service: int
    area: int
    observed_on: datetime.date
    method: Method
    phase: Phase
    pilot: int | None
    status: JourneyStatus
    observer: int | None
    notes: str
    steps: list[StepOut]
    tcv: TcvOut
    opportunity_cost: DecimalOut | None = Field(
        description="citizen hours times the area's hourly wage; null without a wage."
    )

    @staticmethod
    def resolve_service(obj: Journey) -> int:
        return obj.service_id

    @staticmethod
    def resolve_area(obj: Journey) -> int:
        return obj.area_id

    @staticmethod
    def resolve_observer(obj: Journey) -> int | None:
        return obj.observer_id

    @staticmethod
    def resolve_phase(obj: Journey) -> str:
        return "none"  # until the pipeline exists, no journey belongs to a pilot

    @staticmethod
    def resolve_pilot(obj: Journey) -> None:
        return None

    @staticmethod
    def resolve_steps(obj: Journey) -> list[Any]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_tcv(obj: Journey) -> Tcv:
        return selectors.journey_tcv(obj)

    @staticmethod
    def resolve_opportunity_cost(obj: Journey) -> Decimal | None:
        return selectors.journey_opportunity_cost(obj)


class JourneyIn(Schema):
    service: Id
    area: Reference = Field(description="The area's id or code.")
    observed_on: IsoDate = Field(description="The day the journey began; not in the future.")
    method: Method
    phase: Phase = "none"
    pilot: Id | None = None
    ref: JourneyRef = ""
    status: JourneyStatus = JourneyStatus.FINAL
    steps: list[StepIn] = []
    notes: LongText = ""


class JourneyPatch(Schema):
    service: Id | None = None
    area: Reference | None = None
    observed_on: IsoDate | None = None
    method: Method | None = None
    phase: Phase | None = None
    pilot: Id | None = None
    ref: JourneyRef | None = None
    status: JourneyStatus | None = None
    steps: list[StepIn] | None = None
    notes: LongText | None = None


class JourneyFilters(Schema):
    service: int | None = Field(None, ge=1, le=MAX_ID)
    area: QueryRef = Field(None, description="This area (id or code) and everything below.")
    method: Method | None = None
    status: JourneyStatus | None = None
    observed_from: datetime.date | None = None
    observed_to: datetime.date | None = None


def _refuse_pipeline(phase: str | None, pilot: int | None) -> None:
    if errors := pilot_errors(phase=phase, pilot=pilot):
        raise ValidationError(errors)


def _service_ref(value: int) -> Service:
    service = Service.objects.filter(pk=value).first()
    if service is None:
        raise ValidationError({"service": _("No service has the id %(id)s.") % {"id": value}})
    return service


def _area_ref(value: int | str) -> Area:
    area = resolve_area_filter("area", value)
    assert area is not None
    return area


def _journey(journey_id: int) -> Journey:
    journey = selectors.journey_detail(journey_id)
    if journey is None:
        raise Http404
    return journey


def _fields_of(payload: JourneyPatch | JourneyIn, given: set[str]) -> dict[str, Any]:
    """The domain's keyword arguments for the given fields of a journey input."""
    fields: dict[str, Any] = {}
    for name in given - {"phase", "pilot"}:
        value = getattr(payload, name)
        if name == "service" and value is not None:
            value = _service_ref(value)
        elif name == "area" and value is not None:
            value = _area_ref(value)
        elif name == "steps" and value is not None:
            value = steps_data(value)
        elif name in ("method", "status") and value is not None:
            value = value.value
        fields[name] = value
    return fields


@router.get("/journeys", response={200: list[JourneyOut], **READ_ERRORS}, summary="List journeys")
@paginate(PageNumber)
def list_journeys(request: HttpRequest, filters: Query[JourneyFilters]) -> Any:
    """Latest observed first. `area` (id or code) includes everything below it; dates
    (`observed_from`, `observed_to`) are inclusive."""
    return selectors.journey_list(
        service=filters.service,
        area=filters.area,
        method=filters.method,
        status=filters.status,
        observed_from=filters.observed_from,
        observed_to=filters.observed_to,
    )


@router.post("/journeys", response={201: JourneyOut, **WRITE_ERRORS}, summary="Record a journey")
def create_journey(request: HttpRequest, payload: JourneyIn) -> Any:
    """Any signed-in person. Final unless `"status": "draft"`; a final journey has at least
    one step; `observed_on` not in the future; `phase` "none" and `pilot` null until the
    pipeline exists."""
    _refuse_pipeline(payload.phase, payload.pilot)
    fields = _fields_of(
        payload, {"service", "area", "observed_on", "method", "ref", "status", "steps", "notes"}
    )
    journey = services.create_journey(by=_user(request), **fields)
    return Status(201, _journey(journey.pk))


@router.get(
    "/journeys/{journey_id}", response={200: JourneyOut, **ONE_ERRORS}, summary="One journey"
)
def get_journey(request: HttpRequest, journey_id: JourneyId) -> Any:
    return _journey(journey_id)


@router.patch(
    "/journeys/{journey_id}",
    response={200: JourneyOut, **WRITE_ERRORS},
    summary="Change some fields of a journey",
)
def patch_journey(request: HttpRequest, journey_id: JourneyId, payload: JourneyPatch) -> Any:
    """The observer, innovation team members and programme managers of its area or
    organisation, administrators (403 otherwise). `steps`, if given, replace all steps."""
    journey = _journey(journey_id)
    given = set(payload.model_fields_set)
    _refuse_pipeline(payload.phase, payload.pilot)
    services.update_journey(by=_user(request), journey=journey, **_fields_of(payload, given))
    return _journey(journey_id)


@router.put(
    "/journeys/{journey_id}",
    response={200: JourneyOut, **WRITE_ERRORS},
    summary="Replace a journey",
)
def put_journey(request: HttpRequest, journey_id: JourneyId, payload: JourneyIn) -> Any:
    """Everything is replaced, steps included; who may as for PATCH."""
    journey = _journey(journey_id)
    _refuse_pipeline(payload.phase, payload.pilot)
    fields = _fields_of(
        payload, {"service", "area", "observed_on", "method", "ref", "status", "steps", "notes"}
    )
    services.update_journey(by=_user(request), journey=journey, **fields)
    return _journey(journey_id)


@router.post(
    "/journeys/{journey_id}/finish",
    response={200: JourneyOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Finish a draft journey",
)
def finish_journey(request: HttpRequest, journey_id: JourneyId) -> Any:
    """A draft becomes final (it needs at least one step: 422); an already final journey
    is 409."""
    services.finish_journey(by=_user(request), journey=_journey(journey_id))
    return _journey(journey_id)


@router.post(
    "/journeys/{journey_id}/steps",
    response={201: JourneyOut, **WRITE_ERRORS},
    summary="Append a step to a journey",
)
def add_journey_step(request: HttpRequest, journey_id: JourneyId, payload: StepIn) -> Any:
    """For recording step by step: the step goes after the last one. Errors name
    `steps.<index>.<field>`."""
    services.add_journey_step(
        by=_user(request), journey=_journey(journey_id), step=payload.to_data()
    )
    return Status(201, _journey(journey_id))
