"""The journey recorder as an installable web app that keeps working offline (issue #23).

Three responses: the web app manifest, the service worker — served from the site's root so
that it may control the recorder's pages under /services/journeys/ — and the page shown for
a recorder page this phone never saved. The service worker is a template: it names the
static files the recorder needs as `{% static %}` resolves them (hashed in production), and
its version is a hash of that list and of its own text, so that a new release installs a
new worker and drops the old caches. The page side is static/js/services/offline.js and
recorder.js; docs/user-guide/offline-recorder.md says what the officer sees.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Where the service worker works: the recorder, the drafts list and the offline page.
SCOPE = "/services/journeys/"

# The caches' names, shared with the page's scripts (offline.js clears the pages on sign-out).
PAGES_CACHE = "innohub-pages"
STATIC_CACHE_PREFIX = "innohub-static-"

# What a recorder page loads, saved when the worker installs (fonts load from the CSS).
RECORDER_ASSETS = (
    "css/innohub.css",
    "js/init.js",
    "js/govuk-frontend.min.js",
    "js/htmx.min.js",
    "js/idb.js",
    "js/services/offline.js",
    "js/services/recorder.js",
    "images/favicon.svg",
    "fonts/noto-sans-latin-wght-normal.woff2",
    "fonts/noto-sans-latin-ext-wght-normal.woff2",
    "fonts/noto-sans-bengali-label.woff2",
    "fonts/noto-sans-bengali-bengali-wght-normal.woff2",
)


def precached() -> list[str]:
    """The static URLs the worker saves at install, as this deployment serves them. With
    hashed names (production), a script's modules import each other by their plain names
    (`import "./offline.js"`), which are saved too."""
    urls = [static(path) for path in RECORDER_ASSETS]
    plain = [
        f"{settings.STATIC_URL}{path}"
        for path in RECORDER_ASSETS
        if path.endswith(".js") and static(path) != f"{settings.STATIC_URL}{path}"
    ]
    return urls + plain


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (JavaScript). Browsers look for a new one on every visit; with
    `no-cache` the answer is checked with the server each time, so a release reaches phones
    the next time they are online."""
    assets = precached()
    context = {
        "assets": json.dumps(assets),
        "scope": json.dumps(SCOPE),
        "pages_cache": json.dumps(PAGES_CACHE),
        "static_prefix": json.dumps(STATIC_CACHE_PREFIX),
        "offline_page": json.dumps(reverse("offline:page")),
        "login_path": json.dumps(resolve_url(settings.LOGIN_URL)),
    }
    text = render_to_string("services/offline/sw.js", {**context, "version": ""})
    version = hashlib.sha256(text.encode()).hexdigest()[:16]
    text = render_to_string("services/offline/sw.js", {**context, "version": json.dumps(version)})
    return HttpResponse(text, content_type="text/javascript; charset=utf-8")


@require_GET
@cache_control(max_age=60 * 60)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: installed, the recorder opens on the officer's draft journeys."""
    body: dict[str, Any] = {
        "name": _("innohub journey recorder"),
        "short_name": _("Recorder"),
        "description": _("Record a citizen's journey step by step, online or offline."),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": reverse("services:my_drafts"),
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b0c0c",
        "icons": [
            {"src": static("images/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {
                "src": static("images/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@login_required
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown, from the worker's cache, for a recorder page this phone has not saved."""
    return render(request, "services/offline/offline.html")


def _limit_message(field: Any) -> str:
    """The message Django gives a number over the field's maximum (its validator's)."""
    limit = next(v for v in field.validators if isinstance(v, MaxValueValidator))
    return str(limit.message % {"limit_value": field.max_value})


def _second_look(form: Any) -> dict[str, Any]:
    """second_look.py's step rules as the script applies them offline: the limits past which
    a value is unusual, the messages (their placeholder left for the typed value), and the
    box that confirms them."""
    from . import second_look

    return {
        "days": str(second_look.MOST_USUAL_DAYS),
        "hours_a_day": str(second_look.HOURS_A_DAY),
        "amount": str(second_look.MOST_USUAL_AMOUNT),
        "visits": second_look.MOST_USUAL_VISITS,
        "documents": second_look.MOST_USUAL_DOCUMENTS,
        "messages": {name: str(message) for name, message in second_look.STEP_MESSAGES.items()},
        "confirm": str(form.fields["confirm_unusual"].label),
    }


def recorder_setup(request: HttpRequest, journey: Any, form: Any) -> dict[str, Any]:
    """What the recorder page's script needs, as JSON in the page (`json_script`): where to
    send steps, the journey's version as drawn, the checks a step passes before it waits on
    the phone — the form's own limits and messages — and the words it shows."""
    from . import journeys
    from .forms import STEP_NUMBER_FIELDS, pain_slot_names

    checks: dict[str, Any] = {}
    for name in ("title", *STEP_NUMBER_FIELDS):
        field = form.fields[name]
        messages = field.error_messages
        check: dict[str, Any] = {
            "kind": {"IntegerField": "integer", "DecimalField": "decimal"}.get(
                type(field).__name__, "text"
            ),
            "label": str(field.label),
            "required": str(messages["required"]),
        }
        if check["kind"] != "text":
            check.update(
                invalid=str(messages["invalid"]),
                min_value=str(messages["min_value"]),
                max=str(field.max_value),
                max_value=_limit_message(field),
            )
        checks[name] = check
    return {
        "journey": journey.pk,
        "user": request.user.pk,
        "version": journeys.version_of(journey),
        "api": reverse("api:add_journey_step", kwargs={"journey_id": journey.pk}),
        "pain_slots": pain_slot_names(),
        "pain_kind_needed": _("Choose what kind of pain point this is."),
        "second_look": _second_look(form),
        "numbers": list(STEP_NUMBER_FIELDS),
        "checks": checks,
        "text": {
            "step": _("Step %(number)s"),
            "label_error": _("%(label)s: %(error)s"),
            "problem": _("There is a problem"),
            "error_prefix": _("Error:"),
            "waiting": _("Waiting to send"),
            "sending": _("Sending"),
            "sent": _("Sent"),
            "refused": _("Refused"),
            "remove": _("Remove"),
            "change": _("Change"),
            "kept": _("Step %(number)s is saved on this phone and waits to be sent."),
            "saved": _("Step %(number)d saved. Record the next one, or finish."),
            "offline": _("You are offline. Steps you save stay on this phone until they are sent."),
            "waiting_count": _("Steps waiting to be sent: %(count)s."),
            "all_sent": _("Every step is sent."),
            "refused_reason": _("The server refused this step: %(reason)s Change it or remove it."),
            "signed_out": _("Sign in again to send your waiting steps: they stay on this phone."),
            "gone": _(
                "This journey is no longer on the server. Your waiting steps stay on this phone "
                "until you remove them."
            ),
            "trouble": _("The server could not take the steps just now: they are sent again soon."),
            "changing": _("Change the step, then save it: it keeps its place."),
            "finish_waiting": _("Send the steps waiting on this phone before you finish."),
        },
    }
