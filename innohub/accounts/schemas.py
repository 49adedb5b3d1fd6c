"""Shapes of the accounts API — people, skills and personal tokens (docs/api.md): what comes
in, what goes out. The input types every router shares are in innohub/api/types.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.db.models import Model
from ninja import Field, Schema
from pydantic import AfterValidator, StrictInt

from innohub.api.types import QueryRef, QueryText, refuse_nul
from innohub.core.models import MAX_ID
from innohub.geo.schemas import Reference
from innohub.orgs.schemas import OrganisationId

from . import services
from .models import EVIDENCE_MAX_LENGTH, Profile, Skill, SkillFamily, SkillLevel, User, UserSkill
from .selectors import profile_or_blank


def _max_length(model: type[Model], field: str) -> int:
    """A text field's limit, read from the model so that the API cannot drift from it."""
    length = getattr(model._meta.get_field(field), "max_length", None)
    assert isinstance(length, int), f"{model.__name__}.{field} has no max_length"
    return length


USERNAME_MAX = _max_length(User, "username")
# `name` becomes the first and last name (split at its last space): each part fits its field.
PERSON_NAME_MAX = _max_length(User, "first_name")
EMAIL_MAX = _max_length(User, "email")
GRADE_MAX = _max_length(Profile, "grade")
SKILL_NAME_MAX = _max_length(Skill, "name")
FAMILY_NAME_MAX = _max_length(SkillFamily, "name")

Username = Annotated[str, Field(min_length=1, max_length=USERNAME_MAX), AfterValidator(refuse_nul)]
PersonName = Annotated[
    str, Field(min_length=1, max_length=PERSON_NAME_MAX), AfterValidator(refuse_nul)
]
Email = Annotated[str, Field(min_length=1, max_length=EMAIL_MAX), AfterValidator(refuse_nul)]
Grade = Annotated[str, Field(max_length=GRADE_MAX), AfterValidator(refuse_nul)]
SkillName = Annotated[
    str, Field(min_length=1, max_length=SKILL_NAME_MAX), AfterValidator(refuse_nul)
]
FamilyName = Annotated[
    str, Field(min_length=1, max_length=FAMILY_NAME_MAX), AfterValidator(refuse_nul)
]
Evidence = Annotated[str, Field(max_length=EVIDENCE_MAX_LENGTH), AfterValidator(refuse_nul)]

SkillId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
Level = Annotated[int, Field(ge=min(SkillLevel.values), le=max(SkillLevel.values), strict=True)]
LEVELS = "1 aware, 2 practising, 3 experienced, 4 expert, 5 leading (SkillLevel)."
# A person lists each skill once; 200 is far more than anyone holds (and a bare array's cap).
MAX_SKILLS_HELD = 200


# --- People -----------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    username: str
    name: str = Field(description="The full name, or the username when no name is set.")
    organisation: int | None = Field(description="The id of the person's organisation, or null.")
    area: int | None = Field(description="The id of the area the person works in, or null.")

    @staticmethod
    def resolve_organisation(obj: User) -> int | None:
        return profile_or_blank(obj).organisation_id

    @staticmethod
    def resolve_area(obj: User) -> int | None:
        return profile_or_blank(obj).area_id


class PersonIn(Schema):
    username: Username = Field(
        description="Letters, digits and @ . + - _; unique whatever the capitals."
    )
    name: PersonName = Field(description="The full name, as colleagues should see it.")
    email: Email = Field(description="Where the invitation goes.")
    organisation: OrganisationId | None = Field(None, description="An organisation's id.")
    area: Reference | None = Field(None, description="The area they work in: its id or code.")
    grade: Grade = Field("", description="Grade or level, e.g. Grade 6.")


class PersonFilters(Schema):
    q: QueryText = Field(
        None, description="Words of the name or username (also position, organisation, skill)."
    )
    organisation: QueryRef = Field(
        None, description="People in this organisation or anything below it (id)."
    )
    area: QueryRef = Field(None, description="People in this area or below (id or code).")
    # Not strict: a query string's numbers arrive as text.
    skill: int | None = Field(None, ge=1, le=MAX_ID, description="People who hold this skill (id).")


# --- Skills -----------------------------------------------------------------------------------


class SkillOut(Schema):
    id: int
    name: str
    family: str = Field(description="The name of the skill's family.")

    @staticmethod
    def resolve_family(obj: Skill) -> str:
        return obj.family.name


class SkillIn(Schema):
    name: SkillName
    family: FamilyName = Field(
        description="The family's name: an existing one whatever its capitals, else a new one."
    )


class SkillFilters(Schema):
    family: QueryText = Field(None, description="One family's skills (its name).")
    q: QueryText = Field(None, description="Part of the skill's name.")


class HeldSkillOut(Schema):
    skill: int = Field(description="The skill's id.")
    level: int = Field(description=LEVELS)
    evidence: str

    @staticmethod
    def resolve_skill(obj: UserSkill) -> int:
        return obj.skill_id


class HeldSkillIn(Schema):
    skill: SkillId = Field(description="The skill's id.")
    level: Level = Field(description=LEVELS)
    evidence: Evidence = Field("", description="What the person did that shows the skill.")


HeldSkills = Annotated[list[HeldSkillIn], Field(max_length=MAX_SKILLS_HELD)]


# --- Tokens ----------------------------------------------------------------------------------

Text = Annotated[str, AfterValidator(refuse_nul)]


class TokenRequest(Schema):
    username: Text = Field(..., min_length=1, max_length=150)
    password: Text = Field(..., min_length=1, max_length=4096)
    otp: Text | None = Field(
        None,
        max_length=32,
        description="The current code of your authenticator app (or a backup code); "
        "required when the account has two-factor set up.",
    )
    name: Text = Field("", max_length=100, description="What the token is for.")
    days: StrictInt | None = Field(
        None,
        ge=1,
        le=services.MAX_TOKEN_DAYS,
        description="Lifetime in days (default: the deployment's, 90 unless changed).",
    )


class TokenOut(Schema):
    token: str = Field(..., description="The secret: shown this once, send it as a bearer token.")
    id: int
    expires: datetime


class TokenListOut(Schema):
    id: int
    name: str
    created: datetime
    last_used: datetime | None
    expires: datetime
