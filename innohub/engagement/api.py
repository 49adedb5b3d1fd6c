"""API router of citizen engagement (`/consultations`, `/findings`); wired into
innohub/api/main.py. The contract is docs/api.md, "Citizen engagement".

One operation is public: a contribution (`POST /consultations/{id}/contributions`) — anyone
online, rate limited per address (429 with Retry-After); a bearer token or a signed-in
session (with its CSRF token) makes it an officer's, who may enter other channels."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.utils import check_csrf

from innohub.accounts.auth import TokenAuth, signed_in
from innohub.accounts.models import User
from innohub.api.errors import CREATE_ERRORS, ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.core.http import found
from innohub.core.net import client_ip
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref
from innohub.pipeline.models import Pilot
from innohub.services.selectors import service_with_organisation

from . import kpis, selectors, services
from .models import Consultation, Finding
from .schemas import (
    ConsultationFilters,
    ConsultationId,
    ConsultationIn,
    ConsultationOut,
    ContributionDetailOut,
    ContributionFilters,
    ContributionIn,
    ContributionOut,
    FindingId,
    FindingIn,
    FindingOut,
    KpisOut,
    ResponseIn,
    ResponseOut,
)

router = Router(tags=["engagement"])
CONTRIBUTE_ERRORS: dict[int, Any] = {
    **WRITE_ERRORS,
    409: ErrorOut,
    429: ErrorOut,
}


def _consultation(pk: int) -> Consultation:
    return found(selectors.consultation_detail(pk))


def _finding(pk: int) -> Finding:
    return found(selectors.finding_detail(pk))


def _may(request: HttpRequest, perm: str, consultation: Consultation) -> User:
    user = signed_in(request)
    if not user.has_perm(perm, consultation):
        raise PermissionDenied(_("Only the consultation's officers see this."))
    return user


@router.get(
    "/consultations",
    response={200: list[ConsultationOut], **READ_ERRORS},
    summary="Consultations",
)
@paginate(PageNumber)
def list_consultations(request: HttpRequest, filters: Query[ConsultationFilters]) -> Any:
    organisation = organisation_from_ref("organisation", filters.organisation)
    return selectors.consultation_list(organisation=organisation)


@router.post(
    "/consultations",
    response={201: ConsultationOut, **CREATE_ERRORS},
    summary="Create a consultation",
)
def create_consultation(request: HttpRequest, payload: ConsultationIn) -> Any:
    """The organisation's officers, innovation teams and programme managers, and
    administrators (403 otherwise)."""
    organisation = organisation_from_ref("organisation", payload.organisation)
    service = None
    if payload.service is not None:
        service = service_with_organisation(payload.service)
        if service is None:
            raise ValidationError(
                {"service": _("No service has the id %(id)s.") % {"id": payload.service}}
            )
    consultation = services.create_consultation(
        by=signed_in(request),
        title=payload.title,
        question=payload.question,
        organisation=organisation,  # type: ignore[arg-type]
        service=service,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        channels=list(payload.channels),
        retention_days=payload.retention_days,
    )
    return Status(201, _consultation(consultation.pk))


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationOut, **ONE_ERRORS},
    summary="One consultation",
)
def get_consultation(request: HttpRequest, consultation_id: ConsultationId) -> Any:
    return _consultation(consultation_id)


def _contributor(request: HttpRequest) -> User | None:
    """The person sending a contribution: a bearer token's (401 when it is not valid), a
    signed-in session's when it sent its CSRF token, else nobody (a citizen)."""
    if request.headers.get("Authorization"):
        user = TokenAuth()(request)
        if user is None:
            raise AuthenticationError
        return user
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and check_csrf(request) is None:
        return user
    return None


@router.post(
    "/consultations/{consultation_id}/contributions",
    auth=None,
    response={201: ContributionOut, **CONTRIBUTE_ERRORS},
    summary="Contribute to a consultation",
    openapi_extra={"security": []},
)
def contribute(
    request: HttpRequest, consultation_id: ConsultationId, payload: ContributionIn
) -> Any:
    """Public for `online` while the consultation is open (409 outside its dates);
    unsigned contributions are limited per client address (429, with `Retry-After`).
    Another channel: an officer of the consultation (401 unsigned, 403 others). A name or a
    contact needs `consent` (422)."""
    consultation = _consultation(consultation_id)
    by = _contributor(request)
    if payload.channel != "online" and by is None:
        raise AuthenticationError
    contribution = services.contribute(
        consultation=consultation,
        text=payload.text,
        channel=payload.channel,
        by=by,
        client=client_ip(request),
        area=resolve_area_filter("area", payload.area),
        satisfaction=payload.satisfaction,
        name=payload.name,
        contact=payload.contact,
        consent=payload.consent,
    )
    return Status(201, contribution)


@router.get(
    "/consultations/{consultation_id}/contributions",
    response={200: list[ContributionDetailOut], **WRITE_ERRORS},
    summary="A consultation's contributions",
)
@paginate(PageNumber)
def list_contributions(
    request: HttpRequest, consultation_id: ConsultationId, filters: Query[ContributionFilters]
) -> Any:
    """The consultation's officers (403 others): names and contacts are among them."""
    consultation = _consultation(consultation_id)
    _may(request, "engagement.view_contribution", consultation)
    return selectors.contribution_list(consultation, unfiled=filters.unfiled)


@router.get(
    "/consultations/{consultation_id}/kpis",
    response={200: KpisOut, **ONE_ERRORS},
    summary="A consultation's KPIs",
)
def consultation_kpis(request: HttpRequest, consultation_id: ConsultationId) -> Any:
    """Reach by channel, findings, response rate and time, satisfaction: from counters kept
    on write."""
    return kpis.figures(_consultation(consultation_id))


@router.get(
    "/consultations/{consultation_id}/findings",
    response={200: list[FindingOut], **ONE_ERRORS},
    summary="What we heard, and what we did",
)
def list_findings(request: HttpRequest, consultation_id: ConsultationId) -> Any:
    return selectors.findings_of(_consultation(consultation_id))


@router.post(
    "/consultations/{consultation_id}/findings",
    response={201: FindingOut, **WRITE_ERRORS},
    summary="Write a finding from contributions",
)
def create_finding(
    request: HttpRequest, consultation_id: ConsultationId, payload: FindingIn
) -> Any:
    """The consultation's officers. Each contribution must be the consultation's and in no
    finding yet (422 naming `contributions.N`)."""
    finding = services.create_finding(
        by=signed_in(request),
        consultation=_consultation(consultation_id),
        title=payload.title,
        contributions=list(payload.contributions),
    )
    return Status(201, _finding(finding.pk))


@router.post(
    "/findings/{finding_id}/responses",
    response={201: ResponseOut, **WRITE_ERRORS},
    summary="Record what was done about a finding",
)
def create_response(request: HttpRequest, finding_id: FindingId, payload: ResponseIn) -> Any:
    """The consultation's officers. `responded_on` not in the future (422); `pilot`
    optional."""
    pilot = None
    if payload.pilot is not None:
        pilot = Pilot.objects.filter(pk=payload.pilot).first()
        if pilot is None:
            raise ValidationError(
                {"pilot": _("No pilot has the id %(id)s.") % {"id": payload.pilot}}
            )
    response = services.respond(
        by=signed_in(request),
        finding=_finding(finding_id),
        text=payload.text,
        responded_on=payload.responded_on,
        pilot=pilot,
        kind=payload.kind,
    )
    return Status(201, response)
