"""The API's schemas for citizen engagement (docs/api.md, "Citizen engagement")."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema
from pydantic import AfterValidator

from innohub.api.types import DecimalOut, refuse_nul
from innohub.core.models import MAX_ID
from innohub.geo.schemas import Reference
from innohub.services.schemas import Id, IsoDate

from .limits import (
    CONTACT_MAX,
    EVIDENCE_MAX,
    NAME_MAX,
    QUESTION_MAX,
    RETENTION_DAYS_MAX,
    RETENTION_DAYS_MIN,
    TEXT_MAX,
    TITLE_MAX,
)
from .models import CHANNELS, ConsultationStatus, ResponseKind

ConsultationId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
FindingId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(refuse_nul)]
Question = Annotated[str, Field(min_length=1, max_length=QUESTION_MAX), AfterValidator(refuse_nul)]
Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), AfterValidator(refuse_nul)]
PersonName = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(refuse_nul)]
Contact = Annotated[str, Field(max_length=CONTACT_MAX), AfterValidator(refuse_nul)]
ChannelName = Literal["online", "face_to_face", "phone", "digital_centre"]
StatusName = Literal["upcoming", "open", "closed"]
ResponseKindName = Literal["pilot", "service_change", "policy"]
Satisfaction = Annotated[int, Field(ge=1, le=5, strict=True)]
assert list(ChannelName.__args__) == CHANNELS  # type: ignore[attr-defined]
assert set(StatusName.__args__) == set(ConsultationStatus.values)  # type: ignore[attr-defined]
assert set(ResponseKindName.__args__) == set(ResponseKind.values)  # type: ignore[attr-defined]


class ConsultationIn(Schema):
    title: Title
    question: Question
    service: Id | None = None
    organisation: Id
    opens_on: IsoDate
    closes_on: IsoDate
    channels: Annotated[list[ChannelName], Field(min_length=1, max_length=4)]
    retention_days: (
        Annotated[int, Field(ge=RETENTION_DAYS_MIN, le=RETENTION_DAYS_MAX, strict=True)] | None
    ) = Field(
        None,
        description="Days a citizen's name and contact are kept, when they give them "
        "(default: the deployment's, 365).",
    )


class ConsultationOut(Schema):
    id: int
    title: str
    question: str
    service: int | None = Field(..., alias="service_id")
    organisation: int = Field(..., alias="organisation_id")
    opens_on: datetime.date
    closes_on: datetime.date
    channels: list[ChannelName]
    status: StatusName
    retention_days: int


class ConsultationFilters(Schema):
    organisation: int | None = Field(
        None, ge=1, le=MAX_ID, description="This organisation and everything below it."
    )


class ContributionIn(Schema):
    text: Text
    channel: ChannelName
    area: Reference | None = Field(None, description="The area's id or code; optional.")
    satisfaction: Satisfaction | None = Field(None, description="1 (very unhappy) to 5.")
    name: PersonName = Field("", description="Only if the citizen gives one (with `consent`).")
    contact: Contact = Field("", description="A phone or an e-mail, only with `consent`.")
    consent: bool = Field(
        False, description="The citizen agrees to their name and contact being kept."
    )


class ContributionOut(Schema):
    id: int
    consultation: int = Field(..., alias="consultation_id")
    text: str
    channel: ChannelName
    area: int | None = Field(..., alias="area_id")
    satisfaction: int | None
    finding: int | None = Field(..., alias="finding_id")
    created: datetime.datetime


class ContributionDetailOut(ContributionOut):
    """What the consultation's officers read: the personal fields too, while kept."""

    name: str
    contact: str
    erase_after: datetime.date | None


class ContributionFilters(Schema):
    unfiled: bool = Field(False, description="Only those in no finding yet.")


class FindingIn(Schema):
    title: Title
    contributions: Annotated[list[Id], Field(min_length=1, max_length=EVIDENCE_MAX)]


class ResponseIn(Schema):
    text: Text
    responded_on: IsoDate
    pilot: Id | None = None
    kind: ResponseKindName | None = Field(
        None, description="pilot (when `pilot` is given), service_change (default) or policy."
    )


class ResponseOut(Schema):
    id: int
    finding: int = Field(..., alias="finding_id")
    text: str
    kind: ResponseKindName
    responded_on: datetime.date
    pilot: int | None = Field(..., alias="pilot_id")


class FindingOut(Schema):
    id: int
    consultation: int = Field(..., alias="consultation_id")
    title: str
    contributions: list[int]
    responses: list[ResponseOut]

    @staticmethod
    def resolve_contributions(obj: object) -> list[int]:
        return sorted(obj.evidence.values_list("pk", flat=True))  # type: ignore[attr-defined]

    @staticmethod
    def resolve_responses(obj: object) -> list[object]:
        return list(obj.responses.all())  # type: ignore[attr-defined]


class SatisfactionOut(Schema):
    n: int
    mean: DecimalOut


class KpisOut(Schema):
    contributions: int
    by_channel: dict[ChannelName, int]
    findings: int
    findings_with_response: int
    response_rate_pct: DecimalOut | None
    median_days_to_response: DecimalOut | None
    satisfaction: SatisfactionOut | None
