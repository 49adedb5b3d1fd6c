"""What is the signed-in person's to do about themself, for the home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from innohub.core.home import HomeCard

from . import selectors
from .models import User
from .rules import requires_two_factor


def people_cards(request: HttpRequest) -> list[HomeCard]:
    """Complete the profile, set up two-factor (when the role requires it), and the
    person's innovation teams. At most four queries."""
    user = request.user
    if not isinstance(user, User):
        return []
    tasks: list[HomeCard] = []
    if requires_two_factor(user) and not selectors.has_confirmed_device(user=user):
        tasks.append(
            HomeCard(
                title=_("Set up two-factor authentication"),
                description=_("Your role requires a code from an authenticator app."),
                url=reverse("accounts:two_factor_setup"),
            )
        )
    if selectors.profile_is_incomplete(user=user):
        tasks.append(
            HomeCard(
                title=_("Complete your profile"),
                description=_(
                    "Add your organisation, area and position so colleagues can find you."
                ),
                url=reverse("accounts:profile_edit"),
            )
        )
    teams = selectors.team_count(user=user)
    if teams:
        tasks.append(
            HomeCard(
                title=_("Your innovation teams"),
                description=ngettext(
                    "You are a member of %(count)d innovation team.",
                    "You are a member of %(count)d innovation teams.",
                    teams,
                )
                % {"count": teams},
                url=reverse("accounts:profile") + "#innovation-teams",
                count=teams,
            )
        )
    return tasks
