"""The roles of innohub, as Django groups, and the predicates every app's rules build on.

Roles live here, at the bottom of the stack, so that any app's `rules.py` can ask "is this a
programme manager?" without importing an app above it. Group membership is the only source.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

CIVIL_SERVANT = "civil_servant"
MENTOR = "mentor"
TRAINER = "trainer"
TEAM_MEMBER = "innovation_team_member"
PROGRAMME_MANAGER = "programme_manager"
SENIOR_REVIEWER = "senior_reviewer"
ADMINISTRATOR = "administrator"

ROLES = {
    CIVIL_SERVANT: _("Civil servant"),
    MENTOR: _("Mentor"),
    TRAINER: _("Trainer"),
    TEAM_MEMBER: _("Innovation team member"),
    PROGRAMME_MANAGER: _("Programme manager"),
    SENIOR_REVIEWER: _("Senior reviewer"),
    ADMINISTRATOR: _("Administrator"),
}


def is_in_role(user: Any, role: str) -> bool:
    """Membership of a role group; the names are read once per user object and cached."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_innohub_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._innohub_role_names = cached
    return role in cached


@rules.predicate
def is_administrator(user: Any) -> bool:
    """Superusers count as administrators everywhere."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or is_in_role(user, ADMINISTRATOR)


@rules.predicate
def is_programme_manager(user: Any) -> bool:
    return is_in_role(user, PROGRAMME_MANAGER)


@rules.predicate
def is_senior_reviewer(user: Any) -> bool:
    return is_in_role(user, SENIOR_REVIEWER)


# Reference data — areas, organisations, teams — is kept by programme managers and administrators.
keeps_reference_data = is_administrator | is_programme_manager
