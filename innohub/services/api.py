"""API router of services, process maps, journeys and TCV (`/api/v1/services`, `/journeys`);
wired into innohub/api/main.py. The contract is docs/api.md, "Services and TCV"."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.params import HeaderEx, P

from innohub.accounts.auth import signed_in
from innohub.api.errors import ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.geo.models import Area
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref

from . import journeys, pilot_link, selectors, services
from .models import (
    Journey,
    ProcessMap,
    Service,
)
from .pilot_link import Link
from .schemas import (
    AppendStepIn,
    DistributionOut,
    JourneyFilters,
    JourneyId,
    JourneyIn,
    JourneyOut,
    JourneyPatch,
    MapId,
    NewJourneyIn,
    ProcessMapIn,
    ProcessMapOut,
    ProcessMapStepsIn,
    ServiceFilters,
    ServiceId,
    ServiceIn,
    ServiceOut,
    TcvFilters,
    steps_data,
)

router = Router(tags=["services"])


# --- Input types ----------------------------------------------------------------------------


# --- Steps ----------------------------------------------------------------------------------


# --- Services -------------------------------------------------------------------------------


def _service(service_id: int) -> Service:
    service = selectors.service_for_page(service_id)
    if service is None:
        raise Http404
    return service


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
    user = signed_in(request)
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
        by=signed_in(request),
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
        by=signed_in(request),
        process_map=_process_map(service_id, map_id),
        steps=steps_data(payload.steps),
    )
    return _process_map(service_id, map_id)


# --- TCV distribution -----------------------------------------------------------------------


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
        phase=filters.phase,
    )


# --- Journeys -------------------------------------------------------------------------------


def _link(phase: str | None, pilot: int | None) -> Link:
    """Where a journey counts, as sent: `pilot` with `baseline` or `after`, or neither."""
    if errors := pilot_link.shape_errors(phase=phase, pilot=pilot):
        raise ValidationError(errors)
    return Link(pilot, phase or "none")


def _service_ref(value: int) -> Service:
    service = selectors.service_with_organisation(value)
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
        pilot=filters.pilot,
        phase=filters.phase,
    )


@router.post(
    "/journeys",
    response={201: JourneyOut, 200: JourneyOut, **WRITE_ERRORS, 409: ErrorOut},
    summary="Record a journey",
)
def create_journey(request: HttpRequest, payload: NewJourneyIn) -> Any:
    """Any signed-in person. Final unless `"status": "draft"`; a final journey has at least
    one step; `observed_on` not in the future. A `baseline` or `after` journey names its
    `pilot` (of the same service, in the pilot's area or below, observed before or after the
    pilot's `started_on`); the pilot's lead, mentor, innovation team and programme managers
    link journeys (403 otherwise)."""
    link = _link(payload.phase, payload.pilot)
    fields = _fields_of(
        payload, {"service", "area", "observed_on", "method", "ref", "status", "steps", "notes"}
    )
    by = signed_in(request)
    if payload.client_id is not None and (
        earlier := journeys.recorded_with(by=by, client_id=payload.client_id)
    ):
        return Status(200, _journey(earlier.pk))  # sent again: the journey recorded then
    journey = journeys.create_journey(by=by, link=link, client_id=payload.client_id, **fields)
    return Status(201, _journey(journey.pk))


@router.get(
    "/journeys/{journey_id}", response={200: JourneyOut, **ONE_ERRORS}, summary="One journey"
)
def get_journey(request: HttpRequest, response: HttpResponse, journey_id: JourneyId) -> Any:
    """With its version in `ETag`: sent back in `If-Match` when appending a step, a journey
    changed meanwhile is refused (412) rather than added to unseen."""
    journey = _journey(journey_id)
    response["ETag"] = _etag(journey)
    return journey


def _etag(journey: Journey) -> str:
    return f'"{journeys.version_of(journey)}"'


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
    link = None
    if given & {"phase", "pilot"}:
        current = pilot_link.read(journey)
        link = _link(
            payload.phase if "phase" in given else current.phase,
            payload.pilot if "pilot" in given else current.pilot,
        )
    journeys.update_journey(
        by=signed_in(request), journey=journey, link=link, **_fields_of(payload, given)
    )
    return _journey(journey_id)


@router.put(
    "/journeys/{journey_id}",
    response={200: JourneyOut, **WRITE_ERRORS},
    summary="Replace a journey",
)
def put_journey(request: HttpRequest, journey_id: JourneyId, payload: JourneyIn) -> Any:
    """Everything is replaced, steps included; who may as for PATCH."""
    journey = _journey(journey_id)
    link = _link(payload.phase, payload.pilot)
    fields = _fields_of(
        payload, {"service", "area", "observed_on", "method", "ref", "status", "steps", "notes"}
    )
    journeys.update_journey(by=signed_in(request), journey=journey, link=link, **fields)
    return _journey(journey_id)


@router.post(
    "/journeys/{journey_id}/finish",
    response={200: JourneyOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Finish a draft journey",
)
def finish_journey(request: HttpRequest, journey_id: JourneyId) -> Any:
    """A draft becomes final (it needs at least one step: 422); an already final journey
    is 409."""
    journeys.finish_journey(by=signed_in(request), journey=_journey(journey_id))
    return _journey(journey_id)


@router.post(
    "/journeys/{journey_id}/steps",
    response={201: JourneyOut, 200: JourneyOut, 204: None, 412: ErrorOut, **WRITE_ERRORS},
    summary="Append a step to a journey",
)
def add_journey_step(
    request: HttpRequest,
    response: HttpResponse,
    journey_id: JourneyId,
    payload: AppendStepIn,
    if_match: HeaderEx[
        str | None,
        P(
            alias="If-Match",
            description="The journey's ETag as the client last saw it: changed since, 412.",
        ),
    ] = None,
    prefer: HeaderEx[
        str | None,
        P(
            alias="Prefer",
            description="`return=minimal`: answer 204 without the journey (slow connections).",
        ),
    ] = None,
) -> Any:
    """For recording step by step: the step goes after the last one. Errors name
    `steps.<index>.<field>`. A `client_id` of a step saved already answers 200 and adds
    nothing (a request sent again after a lost answer) — before `If-Match` is looked at, so
    a resent step is never a conflict. The answer's `ETag` is the journey's new version."""
    journey = _journey(journey_id)
    # Saved already? (Two copies sent at the same instant both answer 201; the journey's
    # lock still saves the step once.)
    again = (
        payload.client_id is not None and journey.steps.filter(client_id=payload.client_id).exists()
    )
    journeys.add_journey_step(
        by=signed_in(request),
        journey=journey,
        step=payload.to_data(),
        client_id=payload.client_id,
        expected=_version_in(if_match),
    )
    response["ETag"] = _etag(journey)
    if prefer is not None and "return=minimal" in prefer:
        response["Preference-Applied"] = "return=minimal"
        return Status(204, None)
    return Status(200 if again else 201, _journey(journey_id))


def _version_in(if_match: str | None) -> str | None:
    """The version an `If-Match` names (`"123"`, `W/"123"`); `*` or none: any version."""
    if if_match is None or if_match.strip() == "*":
        return None
    return if_match.strip().removeprefix("W/").strip('"')
