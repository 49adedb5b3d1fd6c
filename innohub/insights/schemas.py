"""The API's schemas for the national figures (docs/api.md, "Insights")."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Field, Path, Schema
from pydantic import AfterValidator

from innohub.api.types import DecimalInput, DecimalOut, Money, Name, QueryRef, refuse_nul
from innohub.core.models import MAX_ID

from .models import ActionPlan, Measure, MonthlyReport
from .plans import scored

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


# --- Action plans ----------------------------------------------------------------------------

PlanId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
KpiId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
Weight = Annotated[
    Decimal, DecimalInput(3, 'A weight out of 100, e.g. "25.50" (a JSON number is accepted too).')
]
Evidence = Annotated[str, Field(max_length=5000), AfterValidator(refuse_nul)]


class KpiIn(Schema):
    name: Name
    measure: Measure = Field(description="Computed from innohub's data, or `manual`.")
    target: Money = Field(description="More than 0.")
    weight: Weight = Field(description="More than 0; a plan's weights sum to exactly 100.")


class ActionPlanIn(Schema):
    organisation: int = Field(ge=1, le=MAX_ID, description="The organisation's id.")
    title: Name
    starts_on: datetime.date
    ends_on: datetime.date
    kpis: list[KpiIn] = Field(min_length=1, max_length=30)


class KpiActualIn(Schema):
    actual: Money
    evidence: Evidence = ""


class KpiOut(Schema):
    id: int
    name: str
    measure: str
    target: DecimalOut
    weight: DecimalOut
    actual: DecimalOut = Field(description="Computed as of today, or entered (0 when unset).")
    evidence: str


class ActionPlanOut(Schema):
    id: int
    organisation: int = Field(alias="organisation_id")
    organisation_name: str = Field(alias="organisation.name")
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    kpis: list[KpiOut]

    @staticmethod
    def resolve_kpis(obj: ActionPlan) -> list[dict]:
        return list(scored(obj)["kpis"])


class KpiScoreOut(Schema):
    id: int
    name: str
    measure: str
    target: DecimalOut
    actual: DecimalOut
    achievement_pct: DecimalOut
    weight: DecimalOut
    points: DecimalOut


class ScoreOut(Schema):
    score: DecimalOut
    kpis: list[KpiScoreOut]


class ScoreMonthOut(Schema):
    month: str
    score: DecimalOut

    @staticmethod
    def resolve_month(obj: dict) -> str:
        month: datetime.date = obj["month"]
        return f"{month:%Y-%m}"


class RankingFilters(Schema):
    starts_on: datetime.date = Field(description="The period: the day its plans start on.")


class RankedPlanOut(Schema):
    rank: int
    id: int
    organisation: int
    organisation_name: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    score: DecimalOut


class PlanFilters(Schema):
    organisation: QueryRef = Field(None, description="Plans of this organisation and below it.")
    starts_on: datetime.date | None = Field(None, description="Plans of this period only.")


# --- Monthly reviews ---------------------------------------------------------------------------

ReportId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


class ReportIn(Schema):
    organisation: int | None = Field(
        None, ge=1, le=MAX_ID, description="The organisation's id; none for the national review."
    )
    month: Annotated[
        str,
        Field(pattern=r"^[12]\d{3}-(0[1-9]|1[0-2])$", description="YYYY-MM"),
    ]


class ReportQueuedOut(Schema):
    report: int


class ReportOut(Schema):
    id: int
    organisation: int | None = Field(alias="organisation_id")
    month: str
    status: Literal["queued", "running", "done", "failed"]
    rows_done: int
    rows_total: int
    error: str | None = Field(None, description="Why it failed, when it failed.")
    pdf: str | None
    xlsx: str | None
    download: str | None = Field(description="The PDF, once done (the job shape's download).")

    @staticmethod
    def resolve_month(obj: MonthlyReport) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_error(obj: MonthlyReport) -> str | None:
        return obj.error_display or None

    @staticmethod
    def resolve_pdf(obj: MonthlyReport) -> str | None:
        return reverse("api:report_pdf", args=[obj.pk]) if obj.downloadable else None

    @staticmethod
    def resolve_xlsx(obj: MonthlyReport) -> str | None:
        return reverse("api:report_xlsx", args=[obj.pk]) if obj.downloadable else None

    @staticmethod
    def resolve_download(obj: MonthlyReport) -> str | None:
        return ReportOut.resolve_pdf(obj)


class ReportFilters(Schema):
    organisation: QueryRef = Field(None, description="The reviews of this organisation (id).")
    month: Month = Field(None, description="The reviews of this month (YYYY-MM).")
