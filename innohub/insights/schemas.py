"""The API's schemas for the national figures (docs/api.md, "Insights")."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from innohub.api.types import DecimalOut, QueryRef

Month = Annotated[
    str | None,
    Field(pattern=r"^[12]\d{3}-(0[1-9]|1[0-2])$", description="YYYY-MM, years 1000 to 2999"),
]


class PlaceFilters(Schema):
    organisation: QueryRef = Field(
        None, description="This organisation and everything below it (id)."
    )
    area: QueryRef = Field(None, description="This area and everything below it (id or code).")


class MonthlyFilters(PlaceFilters):
    from_: Month = Field(
        None, alias="from", description="The first month; 11 months before `to` by default."
    )
    to: Month = Field(None, description="The last month; this month by default.")


class NationalFunnelOut(Schema):
    trained: int
    ideas: int
    pilots: int
    ongoing: int
    completed: int
    discontinued: int
    replicated: int
    scaled: int
    citizens_reached: int
    budget: DecimalOut
    spent: DecimalOut
    currency: str
    other_currency_pilots: int


class FunnelMonthOut(Schema):
    month: str
    trained: int
    ideas: int
    pilots_started: int
    completed: int
    replications: int
    scale_ups: int

    @staticmethod
    def resolve_month(obj: dict) -> str:
        month: datetime.date = obj["month"]
        return f"{month:%Y-%m}"
