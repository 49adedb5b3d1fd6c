"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request: HttpRequest) -> dict:
    """The header's navigation links, by what the signed-in person may see."""
    user = getattr(request, "user", None)
    items: list[dict] = []
    if user is not None and user.is_authenticated:
        items.append({"label": _("Home"), "href": reverse("core:home")})
        items.append({"label": _("Profile"), "href": reverse("accounts:profile")})
        if user.is_staff:
            items.append({"label": _("Administration"), "href": reverse("admin:index")})
    current = request.path if request else ""
    for item in items:
        item["active"] = item["href"] == current
    return {"nav_items": items}
