"""Template context shared by every page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from innohub.core.roles import is_administrator, is_programme_manager


@dataclass(frozen=True)
class NavItem:
    """One link of the service navigation: who sees it is a `rules` predicate on the user."""

    label: str | Promise
    url_name: str
    visible_to: rules.Predicate


signed_in = rules.is_authenticated
# The admin itself still asks `is_staff` before it lets anyone in.
administers = rules.is_staff | is_administrator | is_programme_manager

# The service navigation, in order. A later app adds its one line here.
NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "core:home", signed_in),
    NavItem(_("Areas"), "geo:area_list", signed_in),
    NavItem(_("Organisations"), "orgs:organisation_list", signed_in),
    NavItem(_("Services"), "services:service_list", signed_in),
    NavItem(_("Ideas"), "pipeline:idea_list", signed_in),
    NavItem(_("Pilots"), "pipeline:pilot_list", signed_in),
    NavItem(_("Lessons"), "pipeline:lesson_list", signed_in),
    NavItem(_("Fund"), "pipeline:call_list", signed_in),
    NavItem(_("Showcases"), "pipeline:showcase_list", signed_in),
    NavItem(_("Training"), "training:cohort_list", signed_in),
    NavItem(_("Network"), "network:feed", signed_in),
    NavItem(_("Free Agents"), "talent:challenge_list", signed_in),
    NavItem(_("Consultations"), "engagement:consultation_list", signed_in),
    NavItem(_("Dashboard"), "insights:dashboard", signed_in),
    NavItem(_("People"), "accounts:people", signed_in),
    NavItem(_("Innovation teams"), "accounts:teams", signed_in),
    NavItem(_("Profile"), "accounts:profile", signed_in),
    NavItem(_("Administration"), "admin:index", administers),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """`nav_items`: the links this person may see, each with `label`, `href` and `current`
    ("page" on the page itself, "true" anywhere below it, "" elsewhere) for `aria-current`."""
    # Pages rendered before authentication ran (a 400 from a bad Host header) have no user.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = []
    for item in NAVIGATION:
        if not item.visible_to.test(user):
            continue
        href = reverse(item.url_name)
        if path == href:
            current = "page"
        elif href != "/" and path.startswith(href):
            current = "true"
        else:
            current = ""
        items.append({"label": item.label, "href": href, "current": current})
    return {"nav_items": items}
