"""The API's schemas for areas: what goes in and out of `api.py`'s handlers (docs/api.md,
"Geography and organisations"); the input types every router shares are in
`innohub/api/types.py`."""

from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, PlainValidator, WithJsonSchema

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
from innohub.core.models import MAX_ID

from .models import CODE_MAX_LENGTH, POPULATION_MAX, Area, Level

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
