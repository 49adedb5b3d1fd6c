from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health
from . import home as home_cards
from .outage import RETRY_AFTER_DOWN


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's start page: what is theirs to do, from the providers apps registered."""
    return render(request, "core/home.html", {"cards": home_cards.cards_for(request)})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: public, linked from every page's footer."""
    return render(request, "core/accessibility.html")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says (the admin's pages, a PDF):
    send them to the icon, cached for a day."""
    response = redirect(static("images/favicon.svg"), permanent=False)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent with a missing or stale token, usually an old tab.
    Say what happened and how to recover, instead of Django's technical page."""
    return render(request, "core/csrf_failure.html", status=403)


@never_cache
@require_safe
def healthz_live(request: HttpRequest) -> JsonResponse:
    """The process answers: what a proxy or load balancer checks. Reads nothing, not even the
    database, so a database outage does not take every app server out of the pool."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The database and the task queue (`core.health.check`): 200 while serving, "degraded"
    included; 503 with `Retry-After` only when the database does not answer."""
    report = health.check()
    response = JsonResponse(report.as_dict(), status=503 if report.status == "down" else 200)
    if report.status == "down":
        response["Retry-After"] = str(RETRY_AFTER_DOWN)
    return response
