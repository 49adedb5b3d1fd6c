"""The API's schemas for Free Agents (docs/api.md, "Talent")."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema
from pydantic import AfterValidator

from innohub.api.types import DecimalOut, Money, refuse_nul
from innohub.core.models import MAX_ID
from innohub.services.schemas import Id

from .limits import (
    LOCATION_MAX,
    NEEDS_MAX,
    NOTE_MAX,
    PLAN_CHALLENGES_MAX,
    SEATS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    WEEKS_MAX,
)
from .matching import CANDIDATES_MAX
from .models import (
    AgentStatus,
    Application,
    AssessmentStep,
    Assignment,
    AssignmentStatus,
    Challenge,
    FreeAgent,
    StepKind,
    StepOutcome,
)

PathId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
Level = Annotated[int, Field(ge=1, le=5, strict=True)]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(refuse_nul)]
Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), AfterValidator(refuse_nul)]
Note = Annotated[str, Field(max_length=NOTE_MAX), AfterValidator(refuse_nul)]
Location = Annotated[str, Field(max_length=LOCATION_MAX), AfterValidator(refuse_nul)]
AgentStatusName = Literal["available", "assigned", "withdrawn"]
assert set(AgentStatusName.__args__) == set(AgentStatus.values)  # type: ignore[attr-defined]
StepKindName = Literal["screening", "interview", "work_sample", "references"]
assert set(StepKindName.__args__) == set(StepKind.values)  # type: ignore[attr-defined]
StepOutcomeName = Literal["passed", "not_passed"]
assert set(StepOutcomeName.__args__) == set(StepOutcome.values)  # type: ignore[attr-defined]
AssignmentStatusName = Literal["offered", "accepted", "active", "completed", "declined"]
assert set(AssignmentStatusName.__args__) == set(AssignmentStatus.values)  # type: ignore[attr-defined]


class FreeAgentIn(Schema):
    user: Id = Field(description="The person who becomes a free agent.")
    available_from: datetime.date


class FreeAgentOut(Schema):
    id: int
    user: int
    available_from: datetime.date
    status: str
    joined_on: datetime.date
    completed: int = Field(description="Challenges completed.")

    @staticmethod
    def resolve_user(obj: FreeAgent) -> int:
        return obj.user_id


class FreeAgentFilters(Schema):
    status: AgentStatusName | None = None
    available_by: datetime.date | None = Field(None, description="Available on or before this day.")


class AvailabilityIn(Schema):
    available_from: datetime.date


class AgentApplicationIn(Schema):
    statement: Text
    available_from: datetime.date


class AssessmentStepOut(Schema):
    kind: str
    outcome: str
    note: str
    assessor: int
    done_on: datetime.date

    @staticmethod
    def resolve_assessor(obj: AssessmentStep) -> int:
        return obj.assessor_id


class AgentApplicationOut(Schema):
    id: int
    person: int
    statement: str
    available_from: datetime.date
    status: str
    steps: list[AssessmentStepOut]
    decision_note: str
    agent: int | None = Field(description="The free agent it made, once accepted.")

    @staticmethod
    def resolve_person(obj: Application) -> int:
        return obj.person_id

    @staticmethod
    def resolve_steps(obj: Application) -> list[AssessmentStep]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_agent(obj: Application) -> int | None:
        agent = getattr(obj, "free_agent", None)
        return agent.pk if agent is not None else None


class AgentApplicationFilters(Schema):
    status: Literal["submitted", "accepted", "declined"] | None = None


class AssessmentStepIn(Schema):
    kind: StepKindName
    outcome: StepOutcomeName
    note: Note = ""
    done_on: datetime.date | None = Field(None, description="Today when left out.")


class AgentApplicationDecisionIn(Schema):
    accept: bool
    note: Note = Field("", description="Required when not accepted: the person reads it.")


class SkillNeed(Schema):
    skill: Id
    level: Level


class ChallengeIn(Schema):
    title: Title
    problem: Text
    organisation: Id = Field(description="The host organisation.")
    skills: list[SkillNeed] = Field(min_length=1, max_length=NEEDS_MAX)
    seats: int = Field(ge=1, le=SEATS_MAX, strict=True)
    starts_on: datetime.date
    weeks: int = Field(ge=1, le=WEEKS_MAX, strict=True)
    location: Location = ""
    remote: bool = False
    cost_recovery: Money = Field(
        default=0, description="Paid back to the agent's home organisation."
    )  # type: ignore[assignment]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "BDT"


class ChallengeOut(Schema):
    id: int
    title: str
    problem: str
    organisation: int
    skills: list[SkillNeed]
    seats: int
    seats_taken: int
    starts_on: datetime.date
    weeks: int
    location: str
    remote: bool
    cost_recovery: DecimalOut
    currency: str

    @staticmethod
    def resolve_organisation(obj: Challenge) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_skills(obj: Challenge) -> list[dict[str, int]]:
        return [{"skill": need.skill_id, "level": need.level} for need in obj.needs.all()]


class ChallengeFilters(Schema):
    organisation: int | None = Field(None, ge=1, le=MAX_ID)
    open: bool | None = Field(None, description="Starting after today with a seat not yet offered.")
    skill: int | None = Field(None, ge=1, le=MAX_ID, description="Asks for this skill.")


class AgentCandidateOut(Schema):
    agent: int
    user: int
    name: str
    match: int
    of: int
    missing: list[int] = Field(description="Skill ids not held at the level asked.")
    offer: AssignmentStatusName | None = Field(
        description="An offer of this challenge made to the agent."
    )


class AgentCandidateFilters(Schema):
    limit: int = Field(50, ge=1, le=CANDIDATES_MAX)
    after_match: int | None = Field(
        None, ge=0, le=NEEDS_MAX, description="With after_agent: the page after this key."
    )
    after_agent: int | None = Field(None, ge=1, le=MAX_ID)


class MatchOut(Schema):
    challenge: int
    title: str
    starts_on: datetime.date
    match: int
    of: int
    missing: list[int]


class OfferIn(Schema):
    agent: Id


class TalentAssignmentOut(Schema):
    id: int
    challenge: int
    agent: int
    status: str
    match: int
    of: int
    started_on: datetime.date | None
    completed_on: datetime.date | None
    review: str
    decline_reason: str

    @staticmethod
    def resolve_challenge(obj: Assignment) -> int:
        return obj.challenge_id

    @staticmethod
    def resolve_agent(obj: Assignment) -> int:
        return obj.agent_id


class TalentAssignmentFilters(Schema):
    challenge: int | None = Field(None, ge=1, le=MAX_ID)
    agent: int | None = Field(None, ge=1, le=MAX_ID)
    status: AssignmentStatusName | None = None


class OfferDeclineIn(Schema):
    reason: Note = ""


class StartIn(Schema):
    started_on: datetime.date | None = Field(None, description="Today when left out.")


class ShownSkill(Schema):
    skill: Id
    level: Level
    evidence: Annotated[str, Field(min_length=1, max_length=NOTE_MAX), AfterValidator(refuse_nul)]


class CompleteIn(Schema):
    review: Text
    skills: list[ShownSkill] = Field(
        [], max_length=NEEDS_MAX * 2, description="Skills the review saw, with evidence."
    )
    completed_on: datetime.date | None = Field(None, description="Today when left out.")


class PlanIn(Schema):
    challenges: list[Id] | None = Field(
        None,
        max_length=PLAN_CHALLENGES_MAX,
        description="Challenge ids; every open challenge when left out.",
    )


class PlacementOut(Schema):
    challenge: int
    agent: int
    match: int


class PlanOut(Schema):
    assignments: list[PlacementOut]
    total_match: int


class WorkforceOut(Schema):
    counted_at: datetime.datetime | None
    figures: dict[str, object] | None
