"""The API's schemas for the innovation fund, showcases and national scale-up (docs/api.md,
"Pipeline")."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema

from innohub.api.types import DecimalOut, Money
from innohub.core.models import MAX_ID
from innohub.services.schemas import Id, IsoDate

from .models import ProposalStatus, Recommendation
from .schemas import RequiredText, Scale, Text, Title

CallId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
ProposalId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
ShowcaseId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. BDT.")]
Citizens = Annotated[int, Field(ge=0, le=10_000_000_000, strict=True)]
ProposalStatusName = Literal["submitted", "in_review", "awarded", "declined"]
RecommendationName = Literal["replicate", "scale", "stop"]
assert set(ProposalStatusName.__args__) == set(ProposalStatus.values)  # type: ignore[attr-defined]
assert set(RecommendationName.__args__) == set(Recommendation.values)  # type: ignore[attr-defined]


# --- Funding calls and proposals ------------------------------------------------------------


class FundingCallIn(Schema):
    title: Title
    organisation: Id
    budget: Money
    currency: CurrencyCode = "BDT"
    opens_on: IsoDate
    closes_on: IsoDate
    criteria: Text = Field("", description="What the call looks for, beyond the four criteria.")


class FundingCallOut(Schema):
    id: int
    title: str
    organisation: int = Field(..., alias="organisation_id")
    budget: DecimalOut
    currency: str
    opens_on: datetime.date
    closes_on: datetime.date
    criteria: str
    awarded: DecimalOut = Field(..., description="The sum of the call's awards.")
    remaining: DecimalOut = Field(..., description="budget minus awarded.")
    proposals: int = Field(..., alias="proposals_count")


class ProposalIn(Schema):
    idea: Id
    pilot: Id | None = Field(None, description="A pilot of the idea; an award adds to its budget.")
    requested: Money
    summary: RequiredText


class ProposalOut(Schema):
    id: int
    call: int = Field(..., alias="call_id")
    idea: int = Field(..., alias="idea_id")
    title: str = Field(..., alias="idea.title", description="The idea's title.")
    pilot: int | None = Field(None, alias="pilot_id")
    requested: DecimalOut
    summary: str
    status: ProposalStatusName
    mean_score: DecimalOut | None = Field(
        None, description="Mean over reviews of each review's mean of the four criteria."
    )
    spread: DecimalOut | None = Field(
        None, description="Highest review mean minus the lowest: how far assessors disagree."
    )
    reviews: int
    amount: DecimalOut | None = Field(None, description="The amount awarded.")
    decision_note: str
    by: int = Field(..., alias="by_id")
    created: datetime.datetime


class ProposalFilters(Schema):
    status: ProposalStatusName | None = None


class AssessorIn(Schema):
    user: Id


class ReviewIn(Schema):
    impact: Scale
    feasibility: Scale
    replicability: Scale
    value_for_money: Scale
    note: Text = ""


class ReviewOut(Schema):
    id: int
    proposal: int = Field(..., alias="proposal_id")
    assessor: int = Field(..., alias="assessor_id")
    impact: int
    feasibility: int
    replicability: int
    value_for_money: int
    note: str
    created: datetime.datetime


class AwardIn(Schema):
    amount: Money


class DeclineIn(Schema):
    note: RequiredText


# --- Showcases ------------------------------------------------------------------------------


class ShowcaseIn(Schema):
    title: Title
    organisation: Id
    held_on: IsoDate
    venue: Annotated[str, Field(max_length=200)] = ""
    pilots: list[Id] = Field([], max_length=200, description="Completed pilots it presents.")


class ShowcaseOut(Schema):
    id: int
    title: str
    organisation: int = Field(..., alias="organisation_id")
    held_on: datetime.date
    venue: str


class RecommendationsOut(Schema):
    replicate: int
    scale: int
    stop: int


class PresentedOut(Schema):
    pilot: int
    title: str
    n: int = Field(..., description="Scores given.")
    mean_total: DecimalOut | None = Field(
        None, description="Mean over scores of the sum of the four criteria (4 to 20)."
    )
    recommendations: RecommendationsOut


class ShowcaseDetailOut(ShowcaseOut):
    pilots: list[PresentedOut]


class PresentIn(Schema):
    pilot: Id


class ShowcaseScoreIn(Schema):
    pilot: Id
    impact: Scale
    cost: Scale
    replicability: Scale
    readiness: Scale
    recommendation: RecommendationName
    note: Text = ""


class ShowcaseScoreOut(Schema):
    id: int
    pilot: int
    reviewer: int = Field(..., alias="reviewer_id")
    impact: int
    cost: int
    replicability: int
    readiness: int
    recommendation: RecommendationName
    note: str


# --- Scale-up -------------------------------------------------------------------------------


class ScaleUpIn(Schema):
    decided_on: IsoDate
    citizens_reached: Citizens
    note: Text = ""


class ScaleUpOut(Schema):
    pilot: int = Field(..., alias="pilot_id")
    decided_on: datetime.date
    note: str
    citizens_reached: int | None


class ReachIn(Schema):
    on: IsoDate
    citizens_reached: Citizens


class ReachOut(Schema):
    on: datetime.date
    citizens_reached: int
