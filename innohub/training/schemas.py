"""The API's schemas for training (docs/api.md, "Training")."""

import datetime
import re
from typing import Annotated, Any, Literal

from ninja import Field, Path, Schema
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from innohub.api.types import refuse_nul
from innohub.core.models import MAX_ID
from innohub.services.schemas import Id, IsoDate

from .criteria import CRITERIA
from .limits import NAME_MAX, NOTE_MAX, TEXT_MAX, TITLE_MAX, TRACK_MAX
from .models import (
    Application,
    ApplicationStatus,
    Assignment,
    Cohort,
    CohortStatus,
    Concept,
    Note,
    NoteKind,
    Programme,
    Theme,
)

CohortId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
ProgrammeId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
SessionId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
ConceptId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
UserId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX), AfterValidator(refuse_nul)]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(refuse_nul)]
ShortText = Annotated[str, Field(max_length=TITLE_MAX), AfterValidator(refuse_nul)]
Text = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(refuse_nul)]
RequiredText = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), AfterValidator(refuse_nul)]
NoteText = Annotated[str, Field(min_length=1, max_length=NOTE_MAX), AfterValidator(refuse_nul)]
Track = Annotated[str, Field(min_length=1, max_length=TRACK_MAX), AfterValidator(refuse_nul)]
Scale = Annotated[int, Field(ge=1, le=5, strict=True)]
Ids = Annotated[list[Id], Field(max_length=10_000)]
CohortStatusName = Literal["planned", "open", "running", "closed"]
ApplicationStatusName = Literal["applied", "selected", "waitlisted"]
NoteKindName = Literal["hope", "fear"]
CriterionName = Literal["entrepreneurial_drive", "eagerness", "interpersonal_skills"]
assert set(CohortStatusName.__args__) == set(CohortStatus.values)  # type: ignore[attr-defined]
assert set(ApplicationStatusName.__args__) == set(ApplicationStatus.values)  # type: ignore[attr-defined]
assert set(NoteKindName.__args__) == set(NoteKind.values)  # type: ignore[attr-defined]
assert set(CriterionName.__args__) == set(CRITERIA)  # type: ignore[attr-defined]

_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?"
)


def _iso_date_time(value: Any) -> Any:
    """ISO 8601 text only (pydantic would take a number as a Unix time)."""
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        raise ValueError("Give a date and time as YYYY-MM-DDTHH:MM, with an offset or without.")
    return value


IsoDateTime = Annotated[
    datetime.datetime,
    BeforeValidator(_iso_date_time),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


# --- Programmes -----------------------------------------------------------------------------


class ModuleIO(Schema):
    day: Annotated[int, Field(ge=1, le=60, strict=True)]
    title: Title
    goals: Text = ""
    track: Annotated[str, Field(max_length=TRACK_MAX)] = ""


class ProgrammeIn(Schema):
    name: Name
    days: Annotated[int, Field(ge=1, le=60, strict=True)]
    tracks: Annotated[list[Track], Field(max_length=10)] = []
    description: Text = ""
    modules: Annotated[list[ModuleIO], Field(max_length=200)] = []


class ProgrammeOut(Schema):
    id: int
    name: str
    days: int
    tracks: list[str]
    description: str
    modules: list[ModuleIO]

    @staticmethod
    def resolve_modules(obj: Programme) -> list[dict[str, Any]]:
        return [
            {"day": m.day, "title": m.title, "goals": m.goals, "track": m.track}
            for m in obj.modules.all()
        ]


# --- Cohorts and sessions -------------------------------------------------------------------


class CohortIn(Schema):
    programme: Id
    title: Title
    institute: Id | None = Field(None, description="An organisation of kind `institute`.")
    venue: ShortText = ""
    starts_on: IsoDate
    ends_on: IsoDate
    applications_close_on: IsoDate | None = Field(
        None, description="The last day to apply; by default the day before `starts_on`."
    )
    capacity: Annotated[int, Field(ge=1, le=10_000, strict=True)]
    completion_pct: Annotated[int, Field(ge=1, le=100, strict=True)] = 80
    criteria: Annotated[list[CriterionName], Field(min_length=1, max_length=10)] | None = Field(
        None, description="The selection criteria scored; all three by default."
    )
    trainers: Annotated[list[Id], Field(max_length=50)] = []


class CohortOut(Schema):
    id: int
    programme: int = Field(..., alias="programme_id")
    title: str
    institute: int | None = Field(..., alias="institute_id")
    venue: str
    starts_on: datetime.date
    ends_on: datetime.date
    applications_close_on: datetime.date = Field(..., alias="last_application_day")
    capacity: int
    completion_pct: int
    criteria: list[str]
    trainers: list[int]
    status: CohortStatusName
    applications: int = Field(..., alias="applications_count")
    selected: int = Field(..., alias="selected_count")
    completed: int = Field(..., alias="completed_count")
    closed_on: datetime.date | None

    @staticmethod
    def resolve_trainers(obj: Cohort) -> list[int]:
        return sorted(trainer.pk for trainer in obj.trainers.all())


class CohortFilters(Schema):
    programme: int | None = Field(None, ge=1, le=MAX_ID)


class SessionIn(Schema):
    title: Title
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    track: Annotated[str, Field(max_length=TRACK_MAX)] = Field(
        "", description="One of the programme's tracks; empty for everyone."
    )


class SessionOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    track: str


# --- Applications, selection, participants, attendance --------------------------------------


class ApplicationIn(Schema):
    motivation: RequiredText


class ApplicationOut(Schema):
    id: int
    cohort: int
    applicant: int
    motivation: str
    status: ApplicationStatusName
    scores: dict[str, int]
    score: float | None
    created: datetime.datetime

    @staticmethod
    def resolve_cohort(obj: Application) -> int:
        return obj.cohort_id

    @staticmethod
    def resolve_applicant(obj: Application) -> int:
        return obj.applicant_id

    @staticmethod
    def resolve_score(obj: Application) -> float | None:
        return None if obj.score is None else float(obj.score)


class ApplicationFilters(Schema):
    status: ApplicationStatusName | None = None


class ScoresIn(Schema):
    scores: dict[str, Scale] = Field(
        ..., description="1-5 by criterion of the cohort's `criteria`."
    )


class SelectionIn(Schema):
    selected: Ids = []
    waitlisted: Ids = []
    tracks: dict[int, Track] = Field(
        {},
        description="The track of each selected application (id: track), where the programme has tracks.",
    )


class Balance(Schema):
    gender: dict[str, int]
    grade: dict[str, int]
    ministry: dict[str, int]


class SelectionOut(Schema):
    selected: list[int]
    waitlisted: list[int]
    balance: Balance


class EnrolIn(Schema):
    users: Annotated[list[Id], Field(min_length=1, max_length=1_000)]
    track: Annotated[str, Field(max_length=TRACK_MAX)] = ""


class ParticipantOut(Schema):
    user: int
    track: str
    attended: int
    sessions: int
    completed: bool


class AttendanceIn(Schema):
    present: Ids


class AttendanceOut(Schema):
    session: int
    present: list[int]


class CohortFunnelOut(Schema):
    selected: int
    completed: int
    ideas: int
    designs: int
    pilots: int
    completed_pilots: int


# --- Exercises ------------------------------------------------------------------------------


class NoteIn(Schema):
    kind: NoteKindName
    text: NoteText


class NoteOut(Schema):
    id: int
    kind: NoteKindName
    text: str
    author: int
    theme: int | None

    @staticmethod
    def resolve_author(obj: Note) -> int:
        return obj.author_id

    @staticmethod
    def resolve_theme(obj: Note) -> int | None:
        return obj.theme_id


class ThemeIn(Schema):
    title: Title
    notes: Ids = []


class ThemeOut(Schema):
    id: int
    title: str
    notes: list[int]

    @staticmethod
    def resolve_notes(obj: Theme) -> list[int]:
        return [note.pk for note in obj.notes.all()]


class SuggestionOut(Schema):
    notes: list[int]
    words: list[str]


class ConceptIn(Schema):
    track: Annotated[str, Field(max_length=TRACK_MAX)] | None = None
    title: Title
    problem: RequiredText
    users: Text = Field("", description="Who suffers.")
    proposal: Text = ""
    next_step: Text = ""
    team: Annotated[list[Id], Field(max_length=50)] = []


class ConceptOut(Schema):
    id: int
    cohort: int
    track: str | None
    title: str
    problem: str
    users: str
    proposal: str
    next_step: str
    team: list[int]
    idea: int | None

    @staticmethod
    def resolve_cohort(obj: Concept) -> int:
        return obj.cohort_id

    @staticmethod
    def resolve_track(obj: Concept) -> str | None:
        return obj.track or None

    @staticmethod
    def resolve_team(obj: Concept) -> list[int]:
        return sorted(member.pk for member in obj.team.all())

    @staticmethod
    def resolve_idea(obj: Concept) -> int | None:
        return obj.idea_id


class AssignmentIn(Schema):
    participant: Id
    service: Id


class AssignmentOut(Schema):
    id: int
    participant: int
    service: int

    @staticmethod
    def resolve_participant(obj: Assignment) -> int:
        return obj.participant_id

    @staticmethod
    def resolve_service(obj: Assignment) -> int:
        return obj.service_id


class FeedbackIn(Schema):
    overall: Scale
    relevance: Scale
    facilitation: Scale
    recommend: bool
    comment: Text = ""


class FeedbackResultsOut(Schema):
    n: int
    overall: float | None
    relevance: float | None
    facilitation: float | None
    recommend_pct: int | None
