"""API router of this app (`/api/v1/areas`); wired into innohub/api/main.py."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from innohub.accounts.auth import signed_in
from innohub.api.errors import CREATE_ERRORS, ONE_ERRORS, READ_ERRORS
from innohub.api.pagination import PageNumber
from innohub.core.models import MAX_ID

from . import selectors, services
from .models import Area
from .schemas import AreaFilters, AreaIn, AreaOut

router = Router(tags=["areas"])


# --- Input types of areas (the shared ones are in innohub/api/types.py) -------------------


# --- Schemas ------------------------------------------------------------------------------


# --- Operations ---------------------------------------------------------------------------


@router.get("", response={200: list[AreaOut], **READ_ERRORS}, summary="List areas")
@paginate(PageNumber)
def list_areas(request: HttpRequest, filters: Query[AreaFilters]) -> Any:
    """Areas in tree order. `area` and `parent` take an id or a code; an unknown one is 422."""
    return selectors.area_list(
        level=filters.level,
        parent=filters.parent,
        code=filters.code,
        area=filters.area,
        q=filters.q,
    )


@router.get(
    "/{area_id}",
    response={200: AreaOut, **ONE_ERRORS},
    summary="One area",
)
def get_area(request: HttpRequest, area_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return get_object_or_404(Area, pk=area_id)


@router.post(
    "",
    response={201: AreaOut, **CREATE_ERRORS},
    summary="Create an area",
)
def create_area(request: HttpRequest, payload: AreaIn) -> Any:
    """Programme managers and administrators only. `code` is unique; the level is below the
    parent's; only a country has no parent."""
    user = signed_in(request)
    parent = selectors.resolve_area_filter("parent", payload.parent)
    area = services.create_area(
        by=user,
        code=payload.code,
        name=payload.name,
        name_local=payload.name_local,
        level=payload.level,
        parent=parent,
        population=payload.population,
        hourly_wage=payload.hourly_wage,
        wage_currency=payload.wage_currency,
    )
    return Status(201, area)
