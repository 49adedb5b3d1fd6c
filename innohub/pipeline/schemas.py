"""The API's schemas for ideas and pilots (docs/api.md, "Pipeline")."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema
from pydantic import AfterValidator

from innohub.api.types import Currency, DecimalOut, Money, QueryRef, QueryText, refuse_nul
from innohub.core.models import MAX_ID
from innohub.geo.schemas import Reference
from innohub.services.schemas import AnnualVolume, Id, IsoDate

from . import origins
from .limits import BUDGET_CODE_MAX, SIMILAR_LIMIT_MAX, SIMILAR_TEXT_MAX, TEXT_MAX, TITLE_MAX
from .models import Idea, Lesson, Pilot, Risk, Status

Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(refuse_nul)]
Text = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(refuse_nul)]
RequiredText = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), AfterValidator(refuse_nul)]
BudgetCode = Annotated[str, Field(max_length=BUDGET_CODE_MAX), AfterValidator(refuse_nul)]
Scale = Annotated[int, Field(ge=1, le=5, strict=True)]
StatusName = Literal["draft", "submitted", "approved", "ongoing", "completed", "discontinued"]
assert set(StatusName.__args__) == set(Status.values)  # type: ignore[attr-defined]

IdeaId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
PilotId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


# --- Ideas ----------------------------------------------------------------------------------


class IdeaIn(Schema):
    title: Title
    problem: RequiredText
    who_suffers: Text = ""
    proposed_change: Text = ""
    expected_change: Text = Field("", description="The change in time, cost and visits hoped for.")
    service: Id | None = None
    pain_points: list[Id] = Field([], max_length=200, description="Pain point ids of the service.")
    skills: list[Id] = Field([], max_length=50)


class IdeaOut(Schema):
    id: int
    title: str
    problem: str
    who_suffers: str
    proposed_change: str
    expected_change: str
    service: int | None
    pain_points: list[int]
    skills: list[int]
    proposer: int
    organisation: int | None
    area: int | None
    origin_cohort: int | None = Field(
        None, description="The training cohort the idea came from (training owns the link)."
    )
    supporters: int
    comments: int
    created: datetime.datetime

    @staticmethod
    def resolve_service(obj: Idea) -> int | None:
        return obj.service_id

    @staticmethod
    def resolve_origin_cohort(obj: Idea) -> int | None:
        return origins.origin_cohort(obj)

    @staticmethod
    def resolve_proposer(obj: Idea) -> int:
        return obj.proposer_id

    @staticmethod
    def resolve_organisation(obj: Idea) -> int | None:
        return obj.organisation_id

    @staticmethod
    def resolve_area(obj: Idea) -> int | None:
        return obj.area_id

    @staticmethod
    def resolve_pain_points(obj: Idea) -> list[int]:
        return sorted(p.pk for p in obj.pain_points.all())

    @staticmethod
    def resolve_skills(obj: Idea) -> list[int]:
        return sorted(s.pk for s in obj.skills.all())

    @staticmethod
    def resolve_supporters(obj: Idea) -> int:
        return obj.supporters_count

    @staticmethod
    def resolve_comments(obj: Idea) -> int:
        return obj.comments_count


class IdeaFilters(Schema):
    q: QueryText = Field(None, description="Full text, in any of the product's languages.")
    service: int | None = Field(None, ge=1, le=MAX_ID)
    organisation: QueryRef = Field(None, description="This organisation (id) and below.")
    area: QueryRef = Field(None, description="This area (id or code) and below.")
    proposer: int | None = Field(None, ge=1, le=MAX_ID)


class SimilarFilters(Schema):
    text: str = Field(..., max_length=SIMILAR_TEXT_MAX, description="Up to 2,000 characters.")
    limit: int = Field(10, ge=1, le=SIMILAR_LIMIT_MAX)


class SimilarOut(Schema):
    kind: Literal["idea", "pilot"]
    id: int
    title: str
    score: float = Field(..., gt=0, le=1)


class SimilarResults(Schema):
    results: list[SimilarOut]


# --- Pilots ---------------------------------------------------------------------------------


class PilotIn(Schema):
    title: Title
    idea: Id
    service: Id | None = Field(None, description="The idea's service when not given.")
    area: Reference = Field(..., description="The pilot's area: its id or its code.")
    organisation: Id
    lead: Id | None = Field(None, description="The caller unless a programme manager names one.")
    mentor: Id | None = None
    budget: Money = Field("0.00")  # type: ignore[assignment]
    currency: Currency = Field("", description="The service's currency when empty.")
    budget_code: BudgetCode = ""
    annual_volume: AnnualVolume = 0
    started_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    partner: Id | None = Field(
        None, description="A partner organisation (a university, an NGO) hosting it as a testbed."
    )


class PilotPatch(Schema):
    title: Title | None = None
    budget: Money | None = None
    budget_code: BudgetCode | None = None
    annual_volume: AnnualVolume | None = None
    mentor: Id | None = None
    started_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    partner: Id | None = None


class PilotOut(Schema):
    id: int
    title: str
    idea: int
    service: int
    area: int
    organisation: int
    lead: int
    mentor: int | None
    status: StatusName
    budget: DecimalOut
    spent: DecimalOut
    currency: str
    budget_code: str
    annual_volume: int
    started_on: datetime.date | None
    ended_on: datetime.date | None
    replicates: int | None
    partner: int | None = Field(None, description="The testbed partner organisation, if any.")
    citizens_reached: int | None = Field(
        None, description="The latest reach figure after a scale-up; null before one."
    )

    @staticmethod
    def resolve_idea(obj: Pilot) -> int:
        return obj.idea_id

    @staticmethod
    def resolve_service(obj: Pilot) -> int:
        return obj.service_id

    @staticmethod
    def resolve_area(obj: Pilot) -> int:
        return obj.area_id

    @staticmethod
    def resolve_organisation(obj: Pilot) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_lead(obj: Pilot) -> int:
        return obj.lead_id

    @staticmethod
    def resolve_mentor(obj: Pilot) -> int | None:
        return obj.mentor_id

    @staticmethod
    def resolve_replicates(obj: Pilot) -> int | None:
        return obj.replicates_id

    @staticmethod
    def resolve_partner(obj: Pilot) -> int | None:
        return obj.partner_id


class PilotFilters(Schema):
    status: StatusName | None = None
    service: int | None = Field(None, ge=1, le=MAX_ID)
    idea: int | None = Field(None, ge=1, le=MAX_ID)
    organisation: QueryRef = Field(None, description="This organisation (id) and below.")
    area: QueryRef = Field(None, description="This area (id or code) and below.")
    lead: int | None = Field(None, ge=1, le=MAX_ID)
    mentor: int | None = Field(None, ge=1, le=MAX_ID)
    replicates: int | None = Field(None, ge=1, le=MAX_ID)


class TransitionIn(Schema):
    to: StatusName
    note: Text = ""


class EventOut(Schema):
    from_: StatusName = Field(..., alias="from")
    to: StatusName
    by: int
    at: datetime.datetime
    note: str


class SpendIn(Schema):
    amount: Money
    spent_on: IsoDate
    note: Text = ""


class SpendOut(Schema):
    id: int
    amount: DecimalOut
    spent_on: datetime.date
    note: str


class RiskIn(Schema):
    description: RequiredText
    likelihood: Scale
    impact: Scale
    exposure: Text = Field("", description="The exposure agreed with the decision makers.")
    course_correction: Text = Field("", description="What is done if it happens.")


class RiskOut(Schema):
    id: int
    description: str
    likelihood: int
    impact: int
    score: int
    exposure: str
    course_correction: str
    created: datetime.datetime

    @staticmethod
    def resolve_score(obj: Risk) -> int:
        return obj.score


class LessonIn(Schema):
    text: RequiredText


class LessonOut(Schema):
    id: int
    pilot: int
    pilot_title: str
    outcome: StatusName
    text: str
    by: int
    created: datetime.datetime

    @staticmethod
    def resolve_pilot(obj: Lesson) -> int:
        return obj.pilot_id

    @staticmethod
    def resolve_pilot_title(obj: Lesson) -> str:
        return obj.pilot.title

    @staticmethod
    def resolve_outcome(obj: Lesson) -> str:
        return obj.pilot.status

    @staticmethod
    def resolve_by(obj: Lesson) -> int:
        return obj.by_id


class LessonFilters(Schema):
    q: QueryText = Field(None, description="Full text, in any of the product's languages.")
    outcome: Literal["completed", "discontinued"] | None = None


# --- Impact ---------------------------------------------------------------------------------


class PhaseMeans(Schema):
    n: int
    days: DecimalOut | None
    hours: DecimalOut | None
    cost: DecimalOut | None
    visits: DecimalOut | None


class Measures(Schema):
    days: DecimalOut | None
    hours: DecimalOut | None
    cost: DecimalOut | None
    visits: DecimalOut | None


class Intervals(Schema):
    days: list[DecimalOut] | None
    hours: list[DecimalOut] | None
    cost: list[DecimalOut] | None
    visits: list[DecimalOut] | None


class Savings(Schema):
    citizen_days: DecimalOut | None
    citizen_hours: DecimalOut | None
    cost: DecimalOut | None
    visits: DecimalOut | None


class ImpactOut(Schema):
    baseline: PhaseMeans
    after: PhaseMeans
    reduction: Measures
    reduction_pct: Measures
    ci95: Intervals = Field(..., description="Welch's 95% interval of baseline minus after.")
    annual_savings: Savings


class MentorSuggestionOut(Schema):
    user: int
    name: str
    score: int
    reasons: list[str]
    load: int = Field(
        ..., description="Pilots they mentor that are submitted, approved or ongoing."
    )


class ReplicationIn(Schema):
    area: Reference = Field(..., description="Another area: its id or its code.")
    lead: Id


class CandidateOut(Schema):
    area: int
    n: int
    days: DecimalOut
    visits: DecimalOut
    cost: DecimalOut
