"""Two-factor for the people who can change the most: administrators, programme managers
and superusers must pass a one-time code before they see any page (the admin included).
Anyone else who chose to set up an authenticator app is asked for their code too."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors
from .rules import is_verified, requires_two_factor
from .signals import HAS_DEVICE_SESSION_KEY


class TwoFactorRequiredMiddleware:
    """Sends a signed-in person whose role requires two-factor, and who has not passed it
    in this session, to set up an authenticator app (no device yet) or to enter a code.

    Let through: sign-out, the two-factor pages, static files, language switching, health
    checks and the API's token endpoint (which asks for the code itself). Other API calls made with such
    a session answer 401 in the API's error shape. Must sit after django-otp's
    `OTPMiddleware`, which tells whether the session passed a second factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def open_prefixes(self) -> tuple[str, ...]:
        # Resolved on first use: the URLconf is not loaded when middleware is built.
        return (
            reverse("accounts:logout"),
            reverse("accounts:two_factor_setup"),
            reverse("accounts:two_factor_verify"),
            reverse("api:auth_token"),
            settings.STATIC_URL or "/static/",
            "/i18n/",
            "/favicon.ico",
            "/healthz",  # health checks read neither the session nor the user
        )

    @cached_property
    def api_prefix(self) -> str:
        return reverse("api:api-root")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.open_prefixes):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return self.get_response(request)
        # A device of one's own is noted at sign-in (signals.py); one confirmed later in the
        # session signs the session in with it.
        if requires_two_factor(user) or request.session.get(HAS_DEVICE_SESSION_KEY):
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.api_prefix):
            return JsonResponse(
                {
                    "detail": _(
                        "Your role requires two-factor authentication: sign in on the "
                        "website with your code, or use an API token."
                    ),
                    "errors": [],
                },
                status=401,
            )
        if selectors.has_confirmed_totp(user=request.user):  # type: ignore[arg-type]
            target = reverse("accounts:two_factor_verify")
        else:
            target = reverse("accounts:two_factor_setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


class RememberLanguageMiddleware:
    """Keeps the language a signed-in person chose (the language switcher's cookie) on their
    account, so that e-mails the task worker sends them are in it. Writes only when the
    choice changed: one comparison a request, one UPDATE a change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        user = getattr(request, "user", None)
        if (
            chosen
            and user is not None
            and user.is_authenticated
            and chosen != getattr(user, "language", chosen)
            and chosen in dict(settings.LANGUAGES)
        ):
            from .models import User

            User.objects.filter(pk=user.pk).update(language=chosen)
            user.language = chosen
        return self.get_response(request)
