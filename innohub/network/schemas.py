"""The API's schemas for the peer network (docs/api.md, "Network and getting out of the
office")."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema
from pydantic import AfterValidator

from innohub.api.types import QueryRef, refuse_nul
from innohub.core.models import MAX_ID
from innohub.services.schemas import Id

from .limits import (
    BODY_MAX,
    REASON_MAX,
    SIMILAR_LIMIT_MAX,
    SIMILAR_TEXT_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    TOPICS_MAX,
)
from .models import (
    Comment,
    Exchange,
    ExchangeKind,
    Fellowship,
    Follow,
    Nomination,
    NominationReview,
    Post,
    PostKind,
    Recognition,
)

PostId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
KindName = Literal["challenge", "idea", "story"]
assert set(KindName.__args__) == set(PostKind.values)  # type: ignore[attr-defined]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(refuse_nul)]
Body = Annotated[str, Field(min_length=1, max_length=BODY_MAX), AfterValidator(refuse_nul)]
TopicName = Annotated[str, Field(min_length=1, max_length=TOPIC_MAX), AfterValidator(refuse_nul)]
Reason = Annotated[str, Field(min_length=1, max_length=REASON_MAX), AfterValidator(refuse_nul)]


class PostIn(Schema):
    kind: KindName
    title: Title
    body: Body
    topics: list[TopicName] = Field([], max_length=TOPICS_MAX, description="Topic names.")


class PostOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    topics: list[str]
    author: int
    organisation: int | None
    area: int | None
    comments: int
    created: datetime.datetime
    hidden: bool
    hidden_reason: str = Field(..., description="Why a moderator hid it (its author sees it).")

    @staticmethod
    def resolve_topics(obj: Post) -> list[str]:
        return [topic.name for topic in obj.topics.all()]

    @staticmethod
    def resolve_author(obj: Post) -> int:
        return obj.author_id

    @staticmethod
    def resolve_organisation(obj: Post) -> int | None:
        return obj.organisation_id

    @staticmethod
    def resolve_area(obj: Post) -> int | None:
        return obj.area_id

    @staticmethod
    def resolve_comments(obj: Post) -> int:
        return obj.comments_count

    @staticmethod
    def resolve_hidden(obj: Post) -> bool:
        return obj.is_hidden


class PostFilters(Schema):
    kind: KindName | None = None
    topic: QueryRef = Field(None, description="A topic's name (any case).")
    author: int | None = Field(None, ge=1, le=MAX_ID)
    organisation: QueryRef = Field(None, description="This organisation (id) and below.")
    area: QueryRef = Field(None, description="This area (id or code) and below.")
    following: bool = Field(
        False, description="Only posts by people, on topics or in areas the caller follows."
    )


class PostCommentIn(Schema):
    body: Body


class PostCommentOut(Schema):
    id: int
    post: int
    author: int
    body: str
    created: datetime.datetime
    hidden: bool
    hidden_reason: str

    @staticmethod
    def resolve_post(obj: Comment) -> int:
        return obj.post_id

    @staticmethod
    def resolve_author(obj: Comment) -> int:
        return obj.author_id

    @staticmethod
    def resolve_hidden(obj: Comment) -> bool:
        return obj.is_hidden


class PostReportIn(Schema):
    reason: Reason
    comment: Id | None = Field(None, description="A comment of the post; else the post.")


class PostHideIn(Schema):
    reason: Reason
    comment: Id | None = Field(None, description="A comment of the post; else the post.")


class FollowIn(Schema):
    person: Id | None = None
    topic: TopicName | None = None
    area: Annotated[str, Field(min_length=1, max_length=64), AfterValidator(refuse_nul)] | None = (
        Field(None, description="An area's id or code.")
    )


class FollowOut(Schema):
    id: int
    person: int | None
    topic: str | None
    area: int | None

    @staticmethod
    def resolve_person(obj: Follow) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_topic(obj: Follow) -> str | None:
        return obj.topic.name if obj.topic is not None else None

    @staticmethod
    def resolve_area(obj: Follow) -> int | None:
        return obj.area_id


class SimilarPeopleFilters(Schema):
    text: str = Field(..., max_length=SIMILAR_TEXT_MAX, description="Up to 2,000 characters.")
    limit: int = Field(10, ge=1, le=SIMILAR_LIMIT_MAX)


class SimilarReasonOut(Schema):
    kind: Literal["post", "idea", "pilot", "skill"]
    id: int
    title: str
    score: float


class SimilarPersonOut(Schema):
    id: int
    username: str
    name: str
    organisation: int | None
    area: int | None
    score: float
    reasons: list[SimilarReasonOut]


# --- Fellowship and recognition ----------------------------------------------------------------

FellowshipId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
NominationId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
PersonId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
Citation = Annotated[str, Field(min_length=1, max_length=BODY_MAX), AfterValidator(refuse_nul)]
Description = Annotated[str, Field(max_length=BODY_MAX), AfterValidator(refuse_nul)]
Comment_ = Annotated[str, Field(max_length=BODY_MAX), AfterValidator(refuse_nul)]


class FellowshipIn(Schema):
    title: Title
    description: Description = ""
    seats: int = Field(..., ge=1, le=500, strict=True)
    closes_on: datetime.date
    panel: list[Id] = Field(..., min_length=1, max_length=50, description="User ids.")


class FellowshipOut(Schema):
    id: int
    title: str
    description: str
    seats: int
    closes_on: datetime.date
    panel: list[int]
    nominations: int
    decided: bool
    fellows: list[int]

    @staticmethod
    def resolve_panel(obj: Fellowship) -> list[int]:
        return sorted(user.pk for user in obj.panel.all())

    @staticmethod
    def resolve_nominations(obj: Fellowship) -> int:
        return obj.nominations_count

    @staticmethod
    def resolve_decided(obj: Fellowship) -> bool:
        return obj.decided_at is not None

    @staticmethod
    def resolve_fellows(obj: Fellowship) -> list[int]:
        return [fellow.user_id for fellow in obj.fellows.all()]


class NominationIn(Schema):
    nominee: Id
    aims: Body


class NominationOut(Schema):
    id: int
    fellowship: int
    nominee: int
    nominator: int
    aims: str
    reviews: int
    created: datetime.datetime

    @staticmethod
    def resolve_fellowship(obj: Nomination) -> int:
        return obj.fellowship_id

    @staticmethod
    def resolve_nominee(obj: Nomination) -> int:
        return obj.nominee_id

    @staticmethod
    def resolve_nominator(obj: Nomination) -> int:
        return obj.nominator_id

    @staticmethod
    def resolve_reviews(obj: Nomination) -> int:
        return obj.reviews_count


class NominationReviewIn(Schema):
    score: int = Field(..., ge=1, le=5, strict=True)
    comment: Comment_ = ""


class NominationReviewOut(Schema):
    id: int
    nomination: int
    reviewer: int
    score: int
    comment: str

    @staticmethod
    def resolve_nomination(obj: NominationReview) -> int:
        return obj.nomination_id

    @staticmethod
    def resolve_reviewer(obj: NominationReview) -> int:
        return obj.reviewer_id


class DecisionOut(Schema):
    fellows: list[int]


class RecognitionIn(Schema):
    user: Id
    kind: Literal["award", "endorsement"]
    citation: Citation


class RecognitionOut(Schema):
    id: int
    user: int
    kind: str
    citation: str
    by: int | None
    fellowship: int | None
    created: datetime.datetime

    @staticmethod
    def resolve_user(obj: Recognition) -> int:
        return obj.user_id

    @staticmethod
    def resolve_by(obj: Recognition) -> int | None:
        return obj.by_id

    @staticmethod
    def resolve_fellowship(obj: Recognition) -> int | None:
        return obj.fellowship_id


# --- Out of the office -------------------------------------------------------------------------

ExchangeId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
ExchangeKindName = Literal["field_day", "learning_visit", "secondment", "city_exchange"]
assert set(ExchangeKindName.__args__) == set(ExchangeKind.values)  # type: ignore[attr-defined]


class ExchangeIn(Schema):
    person: Id | None = Field(None, description="Whose exchange; the caller's by default.")
    kind: ExchangeKindName
    host: Title
    host_organisation: Id | None = None
    starts_on: datetime.date
    ends_on: datetime.date
    plan: Body


class ExchangeOut(Schema):
    id: int
    person: int
    kind: str
    host: str
    host_organisation: int | None
    starts_on: datetime.date
    ends_on: datetime.date
    plan: str
    reflection: str
    follow_up_due: datetime.date
    follow_up: str

    @staticmethod
    def resolve_person(obj: Exchange) -> int:
        return obj.person_id

    @staticmethod
    def resolve_host_organisation(obj: Exchange) -> int | None:
        return obj.host_organisation_id


class ExchangeFilters(Schema):
    person: int | None = Field(None, ge=1, le=MAX_ID)
    kind: ExchangeKindName | None = None


class ReflectionIn(Schema):
    text: Body


class FollowUpIn(Schema):
    changed_at_home: Body
