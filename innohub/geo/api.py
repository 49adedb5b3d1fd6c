"""API router of this app (`/api/v1/areas`); wired into innohub/api/main.py."""

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, PlainValidator, WithJsonSchema

from innohub.accounts.models import User
from innohub.api.errors import ErrorOut
from innohub.api.pagination import PageNumber
from innohub.api.types import (
    Currency,
    Money,
    Name,
    OptionalName,
    QueryRef,
    QueryText,
    refuse_nul,
    refuse_nul_or_none,
)

from . import selectors, services
from .models import CODE_MAX_LENGTH, POPULATION_MAX, Area, Level
from .selectors import MAX_ID

router = Router(tags=["areas"])


# --- Input types of areas (the shared ones are in innohub/api/types.py) -------------------

Code = Annotated[str, Field(min_length=1, max_length=CODE_MAX_LENGTH), AfterValidator(refuse_nul)]
Population = Annotated[int, Field(ge=0, le=POPULATION_MAX, strict=True)]
QueryCode = Annotated[
    str | None, Field(max_length=CODE_MAX_LENGTH), AfterValidator(refuse_nul_or_none)
]


def _reference(value: Any) -> int | str:
    """An id (a JSON integer) or a code (a JSON string)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= MAX_ID:
            raise ValueError(f"An id is between 1 and {MAX_ID}.")
        return value
    if isinstance(value, str):
        if not 1 <= len(value) <= CODE_MAX_LENGTH:
            raise ValueError(f"A code has 1 to {CODE_MAX_LENGTH} characters.")
        return refuse_nul(value)
    raise ValueError("Give an id (a number) or a code (text).")


# An area by its id or its code. The JSON schema says what `_reference` accepts, since a
# plain validator has no type of its own.
Reference = Annotated[
    int | str,
    PlainValidator(_reference),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                {"type": "string", "minLength": 1, "maxLength": CODE_MAX_LENGTH},
            ]
        }
    ),
]


# --- Schemas ------------------------------------------------------------------------------


class AreaOut(Schema):
    id: int
    code: str
    name: str
    name_local: str
    level: Level
    parent: int | None = Field(description="The id of the area above, or null for a country.")
    population: int | None
    hourly_wage: str | None = Field(description='A decimal as a string, e.g. "70.00".')
    wage_currency: str = Field(description="ISO 4217 code of the hourly wage, or empty.")

    @staticmethod
    def resolve_parent(obj: Area) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_hourly_wage(obj: Area) -> str | None:
        if obj.hourly_wage is None:
            return None
        return str(Decimal(obj.hourly_wage).quantize(Decimal("0.01")))


class AreaIn(Schema):
    code: Code
    name: Name
    name_local: OptionalName = ""
    level: Level
    parent: Reference | None = Field(None, description="The area above: its id or its code.")
    population: Population | None = None
    hourly_wage: Money | None = None
    wage_currency: Currency = ""


class AreaFilters(Schema):
    level: Level | None = None
    parent: QueryRef = Field(None, description="The direct children of this area (id or code).")
    code: QueryCode = None
    area: QueryRef = Field(None, description="This area and everything below it (id or code).")
    q: QueryText = Field(None, description="Part of the name or of the local name.")


# --- Operations ---------------------------------------------------------------------------

LIST_ERRORS = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut}


@router.get("", response={200: list[AreaOut], **LIST_ERRORS}, summary="List areas")
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
    response={200: AreaOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One area",
)
def get_area(request: HttpRequest, area_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return get_object_or_404(Area, pk=area_id)


@router.post(
    "",
    response={201: AreaOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Create an area",
)
def create_area(request: HttpRequest, payload: AreaIn) -> Any:
    """Programme managers and administrators only. `code` is unique; the level is below the
    parent's; only a country has no parent."""
    user = request.user
    assert isinstance(user, User)  # the API lets no anonymous caller through
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
