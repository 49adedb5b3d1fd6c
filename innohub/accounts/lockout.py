"""What a locked-out sign-in answers (django-axes' `AXES_LOCKOUT_CALLABLE`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 for too many failed sign-ins: the API's error shape under /api/, else the
    lock-out page saying when to try again (each failed try during the lock restarts it)."""
    cool_off = get_cool_off(request)
    if request.path.startswith(reverse("api:api-root")):
        if cool_off:
            detail = _("Too many failed sign-ins. Try again in %(minutes)d minutes.") % {
                "minutes": minutes(cool_off)
            }
        else:
            detail = _("Too many failed sign-ins. Ask an administrator to unlock the account.")
        response: HttpResponse = JsonResponse({"detail": detail, "errors": []}, status=429)
    else:
        context: dict[str, Any] = {"cool_off_minutes": None, "try_again_at": None}
        if cool_off:
            context["cool_off_minutes"] = minutes(cool_off)
            context["try_again_at"] = timezone.localtime(timezone.now() + cool_off)
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def minutes(delta: timedelta) -> int:
    """Whole minutes, rounded up: "try again in 0 minutes" would be wrong."""
    return max(1, -(-int(delta.total_seconds()) // 60))
