"""API router of this app (`/api/v1/organisations`); wired into innohub/api/main.py."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from innohub.accounts.auth import signed_in
from innohub.api.errors import CREATE_ERRORS, ONE_ERRORS, READ_ERRORS
from innohub.api.pagination import PageNumber
from innohub.core.models import MAX_ID
from innohub.geo.selectors import resolve_area_filter

from . import selectors, services
from .models import Organisation
from .schemas import OrganisationFilters, OrganisationIn, OrganisationOut

router = Router(tags=["organisations"])


@router.get(
    "",
    response={200: list[OrganisationOut], **READ_ERRORS},
    summary="List organisations",
)
@paginate(PageNumber)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """Organisations in tree order. `area` takes an id or a code, `organisation` and `parent`
    an id; an unknown one is 422 naming the filter."""
    return selectors.organisation_list(
        kind=filters.kind,
        parent=filters.parent,
        area=filters.area,
        organisation=filters.organisation,
        q=filters.q,
    )


@router.get(
    "/{organisation_id}",
    response={200: OrganisationOut, **ONE_ERRORS},
    summary="One organisation",
)
def get_organisation(
    request: HttpRequest, organisation_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    return get_object_or_404(Organisation, pk=organisation_id)


@router.post(
    "",
    response={201: OrganisationOut, **CREATE_ERRORS},
    summary="Create an organisation",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    """Programme managers and administrators only. The kind is below the parent's
    (ministry → department → office)."""
    user = signed_in(request)
    area = resolve_area_filter("area", payload.area)
    assert area is not None  # `area` is required by the schema
    parent = selectors.organisation_from_ref("parent", payload.parent)
    organisation = services.create_organisation(
        by=user,
        name=payload.name,
        name_local=payload.name_local,
        kind=payload.kind,
        partner_type=payload.partner_type or "",
        area=area,
        parent=parent,
    )
    return Status(201, organisation)
