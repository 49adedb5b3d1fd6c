"""The API's schemas for services, process maps, TCV and journeys: what goes in and out of
`api.py`'s handlers (docs/api.md, "Services and TCV")."""

import datetime
import re
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Path, Schema
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

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
from innohub.core.models import MAX_ID
from innohub.geo.schemas import Reference

from . import pilot_link, selectors
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


class AppendStepIn(StepIn):
    client_id: uuid.UUID | None = Field(
        None,
        description=(
            "A UUID the client made for this step: sent again, the step already saved is "
            "answered (200), never a second one."
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


ServiceId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


MapId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


JourneyId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


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
    phase: Phase | None = Field(
        None, description="Only journeys measuring a pilot in this phase (none: no pilot)."
    )


class JourneyOut(Schema):
    id: int
    client_id: uuid.UUID | None = Field(
        description="The client's id of the journey, if it gave one."
    )
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
        return pilot_link.read(obj).phase

    @staticmethod
    def resolve_pilot(obj: Journey) -> int | None:
        return pilot_link.read(obj).pilot

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


class NewJourneyIn(JourneyIn):
    client_id: uuid.UUID | None = Field(
        None,
        description=(
            "A UUID the client made for this journey: sent again, the journey already "
            "recorded is answered (200), never a second one."
        ),
    )


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
    pilot: int | None = Field(None, ge=1, le=MAX_ID, description="Journeys measuring this pilot.")
    phase: Phase | None = Field(
        None, description="baseline, after, or none (counting for no pilot)."
    )
    area: QueryRef = Field(None, description="This area (id or code) and everything below.")
    method: Method | None = None
    status: JourneyStatus | None = None
    observed_from: datetime.date | None = None
    observed_to: datetime.date | None = None
