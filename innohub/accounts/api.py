"""API of people and security: personal tokens, people, skills. Mounted at /api/v1/
(innohub/api/main.py); the people and skills schemas are in schemas.py."""

# No `from __future__ import annotations`: ninja reads `Query[...]` parameters at runtime.
from datetime import datetime
from typing import Annotated

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Body, Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, StrictInt

from innohub.api.errors import ErrorOut
from innohub.api.pagination import PageNumber
from innohub.api.types import refuse_nul
from innohub.geo.selectors import MAX_ID, resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref

from . import people, selectors, services
from .models import ApiToken, Skill, User, UserSkill
from .rules import requires_two_factor
from .schemas import (
    HeldSkillOut,
    HeldSkills,
    PersonFilters,
    PersonIn,
    PersonOut,
    SkillFilters,
    SkillIn,
    SkillOut,
)

router = Router(tags=["auth"])


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


def _record_sign_in(request: HttpRequest, user: User) -> None:
    """A token is a sign-in: note the time and clear this client's failed attempts, as the
    sign-in page does (without the session the page's `user_logged_in` would create)."""
    update_last_login(type(user), user)
    ip_address = getattr(request, "axes_ip_address", None)
    if settings.AXES_ENABLED and settings.AXES_RESET_ON_SUCCESS and ip_address:
        AxesProxyHandler.reset_attempts(ip_address=ip_address, username=user.get_username())


def _unauthorised(detail: str, field: str | None = None, message: str = "") -> Status:
    errors = [{"field": field, "message": message}] if field else []
    return Status(401, {"detail": detail, "errors": errors})


@router.post(
    "/auth/token",
    auth=None,
    url_name="auth_token",
    summary="Exchange a username and password (and code) for an API token",
    response={201: TokenOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    openapi_extra={"security": []},
)
def create_token(request: HttpRequest, payload: TokenRequest) -> Status:
    """Wrong credentials are 401 and count towards sign-in throttling like the sign-in
    page; a locked-out account is 429. An account with two-factor set up must send `otp`."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(
            429, {"detail": _("Too many failed sign-ins. Try again later."), "errors": []}
        )
    if not isinstance(user, User):
        return _unauthorised(_("The username or password is wrong."))
    if selectors.has_confirmed_device(user=user):
        try:
            services.check_second_factor(user=user, token=payload.otp, field="otp")
        except ValidationError as error:
            message = error.message_dict["otp"][0]
            return _unauthorised(_("Two-factor authentication is required."), "otp", message)
    elif requires_two_factor(user):
        return _unauthorised(
            _("Two-factor authentication is required."),
            "otp",
            _("Your role requires two-factor: sign in on the website once to set it up."),
        )
    token, secret = services.issue_token(user=user, name=payload.name, days=payload.days)
    _record_sign_in(request, user)
    return Status(201, TokenOut(token=secret, id=token.pk, expires=token.expires))


@router.get(
    "/auth/tokens",
    url_name="auth_tokens",
    summary="My API tokens",
    response={200: list[TokenListOut], 401: ErrorOut, 422: ErrorOut},
)
@paginate(PageNumber)
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """The caller's own tokens, newest first; never the secret."""
    assert isinstance(request.user, User)
    return selectors.tokens_of(user=request.user)


@router.delete(
    "/auth/tokens/{token_id}",
    url_name="auth_token_revoke",
    summary="Revoke one of my API tokens",
    # 403: a browser-session call without its CSRF token.
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def revoke_token(request: HttpRequest, token_id: int) -> Status:
    """Another person's token answers 404, as if it did not exist."""
    assert isinstance(request.user, User)
    token: ApiToken = get_object_or_404(selectors.tokens_of(user=request.user), pk=token_id)
    services.revoke_token(token=token, by=request.user)
    return Status(204, None)


# --- People and skills (API.md, "People and skills") -----------------------------------------

LIST_ERRORS = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut}


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the API lets no anonymous caller through
    return user


@router.get(
    "/people",
    url_name="people",
    tags=["people"],
    summary="List people",
    response={200: list[PersonOut], **LIST_ERRORS},
)
@paginate(PageNumber)
def list_people(request: HttpRequest, filters: Query[PersonFilters]) -> QuerySet[User]:
    """Active people, by name. `organisation` (an id) and `area` (an id or a code) include
    everything below; an unknown one, or an unknown `skill`, is 422 naming the filter."""
    return selectors.people(
        search=filters.q or "",
        organisation=filters.organisation,
        area=filters.area,
        skill=filters.skill,
    )


@router.post(
    "/people",
    url_name="people_create",
    tags=["people"],
    summary="Add a person and e-mail them an invitation",
    response={201: PersonOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def create_person(request: HttpRequest, payload: PersonIn) -> Status:
    """Administrators and programme managers. The account has no usable password until the
    person follows the invitation e-mail (the password-reset page)."""
    person = people.invite_person(
        by=_signed_in(request),
        username=payload.username,
        name=payload.name,
        email=payload.email,
        organisation=organisation_from_ref("organisation", payload.organisation),
        area=resolve_area_filter("area", payload.area),
        grade=payload.grade,
        domain=request.get_host(),
        use_https=request.is_secure(),
    )
    return Status(201, person)


@router.get(
    "/people/{person_id}/skills",
    url_name="person_skills",
    tags=["people"],
    summary="A person's skills",
    response={200: list[HeldSkillOut], 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def list_person_skills(
    request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)
) -> QuerySet[UserSkill]:
    """What the person holds, by family and skill name; an unknown person is 404."""
    person = get_object_or_404(selectors.people(), pk=person_id)
    return selectors.skills_held(person=person)


@router.put(
    "/people/{person_id}/skills",
    url_name="person_skills_replace",
    tags=["people"],
    summary="Replace a person's skills",
    response={
        200: list[HeldSkillOut],
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
)
def replace_person_skills(
    request: HttpRequest, payload: Body[HeldSkills], person_id: int = Path(..., ge=1, le=MAX_ID)
) -> list[UserSkill]:
    """The person themself or an administrator. The list becomes the person's whole list of
    skills (each skill once); answers it as `GET` would."""
    person = get_object_or_404(selectors.people(), pk=person_id)
    return services.replace_skills(
        person=person,
        by=_signed_in(request),
        skills=[
            services.HeldSkill(skill=item.skill, level=item.level, evidence=item.evidence)
            for item in payload
        ],
    )


@router.get(
    "/skills",
    url_name="skills",
    tags=["skills"],
    summary="List skills",
    response={200: list[SkillOut], **LIST_ERRORS},
)
@paginate(PageNumber)
def list_skills(request: HttpRequest, filters: Query[SkillFilters]) -> QuerySet[Skill]:
    """The skills people choose from, by family and name."""
    return selectors.skills(family=filters.family, q=filters.q)


@router.post(
    "/skills",
    url_name="skills_create",
    tags=["skills"],
    summary="Add a skill",
    response={201: SkillOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def create_skill(request: HttpRequest, payload: SkillIn) -> Status:
    """Programme managers and administrators. The family is found by name whatever its
    capitals, or created; a name the family has already is 422."""
    skill = services.create_skill(by=_signed_in(request), name=payload.name, family=payload.family)
    return Status(201, skill)
