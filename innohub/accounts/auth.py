"""API authentication: personal bearer tokens, beside the browser session."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, User, hash_token

# Record "last used" at most this often, so reading the API is not a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def signed_in(request: HttpRequest) -> User:
    """The person of a request that `login_required` or the API's authentication let through:
    a User, never the anonymous one (typed, so handlers need no `assert isinstance`)."""
    user = request.user
    if not isinstance(user, User):  # a view or operation left open by mistake: fail closed
        raise PermissionDenied
    return user


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        if "\x00" in token or len(token) > 200:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=hash_token(token), expires__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used is None or now - found.last_used > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        return found.user
