"""Reads about people: directory, profiles, teams, tokens, what is theirs to do.

Each selector answers a bounded number of queries however many rows it returns.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from innohub.core import roles
from innohub.core.imports import cell_text
from innohub.core.models import MAX_ID
from innohub.geo.models import Area
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.models import Organisation
from innohub.orgs.selectors import organisation_from_ref

from .models import ApiToken, InnovationTeam, Profile, Skill, TeamMembership, User, UserSkill


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The person's own API tokens, newest first (expired ones included)."""
    return ApiToken.objects.filter(user=user).order_by("-created", "-pk")


def has_confirmed_totp(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def people(
    *,
    search: str = "",
    organisation: Organisation | str | int | None = None,
    area: Area | str | int | None = None,
    skill: Skill | int | None = None,
) -> QuerySet[User]:
    """Active people with their profile, organisation and area, ordered by name.

    `search` matches words in the name (either script), username, position, organisation
    or the name of a skill they hold; every word must match somewhere. `organisation` (an
    id) and `area` (an id or a code) keep the people whose profile names it or anything
    below it; `skill` (an id) the people who hold it. An unknown reference is a
    ValidationError naming the filter.
    """
    qs = (
        User.objects.filter(is_active=True)
        .select_related("profile__organisation", "profile__area")
        .order_by("first_name", "last_name", "username")
    )
    for word in cell_text(search).split()[:8]:
        holds_skill = UserSkill.objects.filter(user=OuterRef("pk"), skill__name__icontains=word)
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(name_local__icontains=word)
            | Q(username__icontains=word)
            | Q(profile__position__icontains=word)
            | Q(profile__organisation__name__icontains=word)
            | Q(profile__organisation__short_name__icontains=word)
            | Exists(holds_skill)
        )
    if not isinstance(organisation, Organisation):
        organisation = organisation_from_ref("organisation", organisation)
    if organisation is not None:
        qs = qs.filter(profile__organisation__in=Organisation.objects.descendants_of(organisation))
    if (within := resolve_area_filter("area", area)) is not None:
        qs = qs.filter(profile__area__in=Area.objects.descendants_of(within))
    if not isinstance(skill, Skill):
        skill = skill_from_ref("skill", skill)
    if skill is not None:
        qs = qs.filter(Exists(UserSkill.objects.filter(user=OuterRef("pk"), skill=skill)))
    return qs


def skill_from_ref(field: str, value: int | None) -> Skill | None:
    """The skill with this id, for a filter or input named `field`; None for none. An id
    nobody has is a ValidationError on `field`."""
    if value is None:
        return None
    found = None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        found = Skill.objects.filter(pk=value).first()
    if found is None:
        raise ValidationError({field: _("No skill has the id %(id)s.") % {"id": value}})
    return found


def skills(*, family: str | None = None, q: str | None = None) -> QuerySet[Skill]:
    """The skills people choose from, with their family, by family and name. `family` keeps
    one family's (its name, whatever the capitals); `q` matches part of the skill's name."""
    found = Skill.objects.select_related("family").order_by("family__name", "name", "pk")
    if family and (name := cell_text(family)):
        found = found.filter(family__name__iexact=name)
    if q and (text := cell_text(q)):
        found = found.filter(name__icontains=text)
    return found


def skills_held(*, person: User) -> QuerySet[UserSkill]:
    """The skills a person holds, with level and evidence, by family and skill name."""
    return UserSkill.objects.filter(user=person).order_by(
        "skill__family__name", "skill__name", "pk"
    )


def person_to_edit(*, username: str) -> User | None:
    """A person and their profile, for editing it."""
    return User.objects.select_related("profile").filter(username=username).first()


def skill_held_by(*, person: User, held_id: int) -> UserSkill | None:
    """One of `person`'s skills, or None (someone else's is None too)."""
    return UserSkill.objects.select_related("skill", "user").filter(pk=held_id, user=person).first()


def person_for_profile(*, username: str) -> User | None:
    """A person with everything their profile page shows, in a fixed number of queries."""
    return (
        User.objects.filter(username=username)
        .select_related("profile__organisation", "profile__area")
        .prefetch_related(
            "groups",
            Prefetch(
                "skills",
                queryset=UserSkill.objects.select_related("skill__family").order_by(
                    "skill__family__name", "skill__name"
                ),
            ),
            Prefetch(
                "team_memberships",
                queryset=TeamMembership.objects.select_related(
                    "team__organisation", "team__area"
                ).order_by("team__name"),
            ),
        )
        .first()
    )


def profile_or_blank(person: User) -> Profile:
    """The person's profile, or an unsaved empty one if they have never filled it in."""
    try:
        return person.profile
    except Profile.DoesNotExist:
        return Profile(user=person)


def role_labels(person: User) -> list[str]:
    """Display names of the person's roles (reads the prefetched groups)."""
    return sorted(str(roles.ROLES.get(group.name, group.name)) for group in person.groups.all())


def innovation_teams(
    *, area: Area | None = None, organisation: Organisation | None = None
) -> QuerySet[InnovationTeam]:
    """Teams with what they serve and their member count, by name.

    `area` keeps teams serving that area or anything below it, or an organisation located
    there; `organisation` keeps teams serving that organisation or any of its units.
    """
    qs = InnovationTeam.objects.select_related("organisation", "area").annotate(
        member_count=Count("memberships")
    )
    if area is not None:
        qs = qs.filter(
            Q(area__in=Area.objects.descendants_of(area))
            | Q(organisation__area__in=Area.objects.descendants_of(area))
        )
    if organisation is not None:
        qs = qs.filter(organisation__in=Organisation.objects.descendants_of(organisation))
    return qs.order_by("name", "pk")


def team_with_members(*, pk: int) -> InnovationTeam | None:
    return (
        InnovationTeam.objects.select_related("organisation", "area")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user__profile").order_by(
                    "role", "user__first_name", "user__last_name"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )


def team_count(*, user: User) -> int:
    return TeamMembership.objects.filter(user=user).count()


def profile_is_incomplete(*, user: User) -> bool:
    """No profile yet, or it lacks an organisation, an area or a position."""
    profile = Profile.objects.filter(user=user).values("organisation", "area", "position").first()
    return profile is None or not all(profile.values())


def has_confirmed_device(*, user: User) -> bool:
    """Any confirmed second factor: an authenticator app or backup codes."""
    return user_has_device(user, confirmed=True)


def office_area_of(person: User) -> Area | None:
    """Where `person` works: their profile's area, else their organisation's; None without
    either (one query). Forms start from it, such as the area of a journey they record."""
    profile = (
        Profile.objects.select_related("area", "organisation__area").filter(user=person).first()
    )
    if profile is None:
        return None
    if profile.area is not None:
        return profile.area
    return profile.organisation.area if profile.organisation is not None else None


def person_from_ref(field: str, value: int | None) -> User | None:
    """The active person with this id, for an input named `field`; None for none. An id
    nobody active has is a ValidationError on `field`."""
    if value is None:
        return None
    found = None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        found = User.objects.filter(pk=value, is_active=True).first()
    if found is None:
        raise ValidationError({field: _("No person has the id %(id)s.") % {"id": value}})
    return found


def people_from_refs(field: str, ids: list[int]) -> list[User]:
    """The active people with these ids, each once, in the order given, for an input list
    named `field`; an id nobody active has is a ValidationError on `field.<its index>`."""
    found = User.objects.filter(is_active=True).in_bulk(ids)
    errors = {
        f"{field}.{index}": _("No person has the id %(id)s.") % {"id": pk}
        for index, pk in enumerate(ids)
        if pk not in found
    }
    if errors:
        raise ValidationError(errors)
    return [found[pk] for pk in dict.fromkeys(ids)]
