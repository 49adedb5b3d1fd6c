"""Who may do what with people, profiles, teams and tokens: the one place that says so."""

from __future__ import annotations

from typing import Any

import rules
from django.conf import settings

from innohub.core.roles import (
    is_administrator,
    is_in_role,
    is_programme_manager,
    keeps_reference_data,
)

# A predicate receives (user, object); `object` is None for questions about a kind of thing.


@rules.predicate
def is_self(user: Any, person: Any) -> bool:
    """`person` (a User) is the signed-in user themself."""
    if person is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(person.pk == user.pk)


@rules.predicate
def is_token_owner(user: Any, token: Any) -> bool:
    if token is None or not getattr(user, "is_authenticated", False):
        return False
    return token.user_id == user.pk


def requires_two_factor(user: Any) -> bool:
    """Whether this person must pass a second factor: superusers and the roles in
    `settings.TWO_FACTOR_ROLES` (administrators and programme managers)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(is_in_role(user, role) for role in settings.TWO_FACTOR_ROLES)


def is_verified(user: object) -> bool:
    """Whether the session passed a second factor (django-otp's OTPMiddleware adds
    `is_verified()` to the user)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


manages_teams = keeps_reference_data

# Profiles, skills held included: your own, or anyone's if you administer innohub.
rules.add_perm("accounts.change_profile", is_self | is_administrator)
# Accounts for new people (they choose their password from an invitation e-mail).
rules.add_perm("accounts.add_person", is_administrator | is_programme_manager)
# The list of skills people choose from is reference data.
rules.add_perm("accounts.add_skill", keeps_reference_data)
# Phone, e-mail and the optional gender stay between the person and the administrators.
rules.add_perm("accounts.view_contact_details", is_self | is_administrator)
# Tokens are personal: only their owner lists, creates or revokes them.
rules.add_perm("accounts.manage_token", is_token_owner)

# Innovation teams are set up in the admin by programme managers and administrators
# (the admin also asks `is_staff` to let anyone in).
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"accounts.{_action}_innovationteam", manages_teams)
    rules.add_perm(f"accounts.{_action}_teammembership", manages_teams)

# Who may open the admin site at all (each model's own permissions still apply inside).
rules.add_perm("accounts.use_admin", is_administrator | is_programme_manager)


# --- Who serves a place ---------------------------------------------------------------------
# A thing sits somewhere: an area (and the areas above it) and an organisation (and those
# above it), as the ids of their materialised paths. Services' journeys and the pipeline's
# pilots ask the same two questions of a person, here.


def serves_place(user: Any, *, area_ids: list[int], organisation_ids: list[int]) -> bool:
    """A member of an innovation team whose area contains the place's area, or whose
    organisation contains its organisation (one query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    from django.db.models import Q

    from .models import InnovationTeam

    return InnovationTeam.objects.filter(
        Q(area_id__in=area_ids) | Q(organisation_id__in=organisation_ids),
        memberships__user=user,
    ).exists()


def manages_place(user: Any, *, area_ids: list[int], organisation_ids: list[int]) -> bool:
    """A programme manager whose profile's area contains the place's area, or whose
    profile's organisation contains its organisation."""
    if not is_programme_manager(user):
        return False
    from .models import Profile

    profile = Profile.objects.filter(user=user).only("area_id", "organisation_id").first()
    if profile is None:
        return False
    return (profile.area_id is not None and profile.area_id in area_ids) or (
        profile.organisation_id is not None and profile.organisation_id in organisation_ids
    )
