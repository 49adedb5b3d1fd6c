from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import home as home_cards


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's start page: what is theirs to do, from the providers apps registered."""
    return render(request, "core/home.html", {"cards": home_cards.cards_for(request)})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: public, linked from every page's footer."""
    return render(request, "core/accessibility.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent with a missing or stale token, usually an old tab.
    Say what happened and how to recover, instead of Django's technical page."""
    return render(request, "core/csrf_failure.html", status=403)
