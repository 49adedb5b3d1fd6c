"""API of people and security: personal tokens. Mounted at /api/v1/ (innohub/api/main.py)."""

from __future__ import annotations

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
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, StrictInt

from innohub.api.errors import ErrorOut
from innohub.api.pagination import PageNumber
from innohub.api.types import refuse_nul

from . import selectors, services
from .models import ApiToken, User
from .rules import requires_two_factor

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
