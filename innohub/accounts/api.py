"""API of people and security: personal tokens, people, skills. Mounted at /api/v1/
(innohub/api/main.py); the people and skills schemas are in schemas.py."""

# No `from __future__ import annotations`: ninja reads `Query[...]` parameters at runtime.

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Body, Path, Query, Router, Status
from ninja.pagination import paginate

from innohub.api.errors import CREATE_ERRORS, ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.core.models import MAX_ID
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref

from . import people, selectors, services
from .auth import signed_in
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
    TokenListOut,
    TokenOut,
    TokenRequest,
)

router = Router(tags=["auth"])


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
    return selectors.tokens_of(user=signed_in(request))


@router.delete(
    "/auth/tokens/{token_id}",
    url_name="auth_token_revoke",
    summary="Revoke one of my API tokens",
    # 403: a browser-session call without its CSRF token.
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def revoke_token(request: HttpRequest, token_id: int) -> Status:
    """Another person's token answers 404, as if it did not exist."""
    user = signed_in(request)
    token: ApiToken = get_object_or_404(selectors.tokens_of(user=user), pk=token_id)
    services.revoke_token(token=token, by=user)
    return Status(204, None)


# --- People and skills (docs/api.md, "People and skills") -----------------------------------------


@router.get(
    "/people",
    url_name="people",
    tags=["people"],
    summary="List people",
    response={200: list[PersonOut], **READ_ERRORS},
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
    response={201: PersonOut, **CREATE_ERRORS},
)
def create_person(request: HttpRequest, payload: PersonIn) -> Status:
    """Administrators and programme managers. The account has no usable password until the
    person follows the invitation e-mail (the password-reset page)."""
    person = people.invite_person(
        by=signed_in(request),
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
    response={200: list[HeldSkillOut], **ONE_ERRORS},
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
    response={200: list[HeldSkillOut], **WRITE_ERRORS},
)
def replace_person_skills(
    request: HttpRequest, payload: Body[HeldSkills], person_id: int = Path(..., ge=1, le=MAX_ID)
) -> list[UserSkill]:
    """The person themself or an administrator. The list becomes the person's whole list of
    skills (each skill once); answers it as `GET` would."""
    person = get_object_or_404(selectors.people(), pk=person_id)
    return services.replace_skills(
        person=person,
        by=signed_in(request),
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
    response={200: list[SkillOut], **READ_ERRORS},
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
    response={201: SkillOut, **CREATE_ERRORS},
)
def create_skill(request: HttpRequest, payload: SkillIn) -> Status:
    """Programme managers and administrators. The family is found by name whatever its
    capitals, or created; a name the family has already is 422."""
    skill = services.create_skill(by=signed_in(request), name=payload.name, family=payload.family)
    return Status(201, skill)
