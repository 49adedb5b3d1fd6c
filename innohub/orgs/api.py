"""API router of this app (`/api/v1/organisations`); wired into innohub/api/main.py."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from innohub.accounts.models import User
from innohub.api.errors import ErrorOut
from innohub.api.pagination import PageNumber
from innohub.api.types import Name, OptionalName, QueryRef, QueryText
from innohub.geo.api import Reference
from innohub.geo.selectors import MAX_ID, resolve_area_filter

from . import selectors, services
from .models import Kind, Organisation

router = Router(tags=["organisations"])

OrganisationId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]


class OrganisationOut(Schema):
    id: int
    name: str
    name_local: str
    kind: Kind
    parent: int | None = Field(description="The id of the organisation above, or null.")
    area: int = Field(description="The id of the organisation's area.")

    @staticmethod
    def resolve_parent(obj: Organisation) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_area(obj: Organisation) -> int:
        return obj.area_id


class OrganisationIn(Schema):
    name: Name
    name_local: OptionalName = ""
    kind: Kind
    parent: OrganisationId | None = Field(None, description="The id of the organisation above.")
    area: Reference = Field(description="The organisation's area: its id or its code.")


class OrganisationFilters(Schema):
    kind: Kind | None = None
    parent: QueryRef = Field(None, description="The direct sub-units of this organisation (id).")
    area: QueryRef = Field(None, description="Organisations in this area or below (id or code).")
    organisation: QueryRef = Field(
        None, description="This organisation and everything below it (id)."
    )
    q: QueryText = Field(None, description="Part of the name, local name or short name.")


@router.get(
    "",
    response={200: list[OrganisationOut], 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
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
    response={200: OrganisationOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One organisation",
)
def get_organisation(
    request: HttpRequest, organisation_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    return get_object_or_404(Organisation, pk=organisation_id)


@router.post(
    "",
    response={201: OrganisationOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Create an organisation",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    """Programme managers and administrators only. The kind is below the parent's
    (ministry → department → office)."""
    user = request.user
    assert isinstance(user, User)  # the API lets no anonymous caller through
    area = resolve_area_filter("area", payload.area)
    assert area is not None  # `area` is required by the schema
    parent = selectors.organisation_from_ref("parent", payload.parent)
    organisation = services.create_organisation(
        by=user,
        name=payload.name,
        name_local=payload.name_local,
        kind=payload.kind,
        area=area,
        parent=parent,
    )
    return Status(201, organisation)
