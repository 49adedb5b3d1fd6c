"""Mentor suggestions for a pilot (`GET /pilots/{id}/mentor-suggestions`, and its page):
people other than the lead, ranked by the skills they share with the pilot's idea and its
lead, whether they work in the pilot's area or organisation, whether they are mentors, and
how few pilots they mentor now (their `load`).

National scale: only people with a reason to be suggested are looked at — holders of a
wanted skill, people of the pilot's area or organisation, mentors — each group capped
(`CANDIDATES`), in five queries whatever the number of people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.accounts.models import Profile, User, UserSkill
from innohub.core.numbers import figure
from innohub.core.roles import MENTOR

from .models import Pilot, Status

ACTIVE = (Status.SUBMITTED, Status.APPROVED, Status.ONGOING)
CANDIDATES = 300  # people looked at from each group
SUGGESTIONS = 20

# The weights of each reason.
PER_SHARED_SKILL = 3
SAME_AREA = 2
SAME_ORGANISATION = 2
IS_MENTOR = 1
PER_ACTIVE_MENTEE = 1


@dataclass
class Suggestion:
    user: User
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    load: int = 0
    shared: list[str] = field(default_factory=list)
    same_area: bool = False
    same_organisation: bool = False
    mentor: bool = False


def suggestions(pilot: Pilot, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The people best placed to mentor `pilot`, best first (ties: fewer mentees, then name)."""
    wanted = set(pilot.idea.skills.values_list("pk", flat=True)) | set(
        UserSkill.objects.filter(user_id=pilot.lead_id).values_list("skill_id", flat=True)
    )
    people = User.objects.filter(is_active=True).exclude(pk=pilot.lead_id)
    by_skill = (
        list(
            people.filter(skills__skill_id__in=wanted)
            .annotate(shared=Count("skills", filter=Q(skills__skill_id__in=wanted)))
            .order_by("-shared", "pk")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
        if wanted
        else []
    )
    nearby = list(
        Profile.objects.filter(Q(area_id=pilot.area_id) | Q(organisation_id=pilot.organisation_id))
        .exclude(user_id=pilot.lead_id)
        .filter(user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:CANDIDATES]
    )
    mentors = list(
        people.filter(groups__name=MENTOR).order_by("pk").values_list("pk", flat=True)[:CANDIDATES]
    )
    ids = set(by_skill) | set(nearby) | set(mentors)
    if not ids:
        return []
    found = {
        user.pk: Suggestion(user=user)
        for user in User.objects.filter(pk__in=ids).select_related("profile")
    }
    for user_id, skill_name in (
        UserSkill.objects.filter(user_id__in=ids, skill_id__in=wanted)
        .order_by("skill__name")
        .values_list("user_id", "skill__name")
    ):
        found[user_id].shared.append(skill_name)
    for user_id, load in (
        Pilot.objects.filter(mentor_id__in=ids, status__in=ACTIVE)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    ):
        found[user_id].load = load
    mentor_ids = set(mentors)
    for suggestion in found.values():
        profile = getattr(suggestion.user, "profile", None)
        suggestion.same_area = profile is not None and profile.area_id == pilot.area_id
        suggestion.same_organisation = (
            profile is not None and profile.organisation_id == pilot.organisation_id
        )
        suggestion.mentor = suggestion.user.pk in mentor_ids
        _score(suggestion)
    ranked = sorted(
        found.values(), key=lambda s: (-s.score, s.load, s.user.get_full_name(), s.user.pk)
    )
    return ranked[:limit]


def _score(suggestion: Suggestion) -> None:
    reasons = []
    if suggestion.shared:
        reasons.append(
            ngettext(
                "%(count)s shared skill: %(names)s",
                "%(count)s shared skills: %(names)s",
                len(suggestion.shared),
            )
            % {"count": figure(len(suggestion.shared)), "names": ", ".join(suggestion.shared)}
        )
    if suggestion.same_area:
        reasons.append(_("works in the pilot's area"))
    if suggestion.same_organisation:
        reasons.append(_("works in the pilot's organisation"))
    if suggestion.mentor:
        reasons.append(_("a mentor"))
    reasons.append(
        ngettext("mentors %(count)s pilot now", "mentors %(count)s pilots now", suggestion.load)
        % {"count": figure(suggestion.load)}
    )
    suggestion.reasons = reasons
    suggestion.score = (
        PER_SHARED_SKILL * len(suggestion.shared)
        + SAME_AREA * suggestion.same_area
        + SAME_ORGANISATION * suggestion.same_organisation
        + IS_MENTOR * suggestion.mentor
        - PER_ACTIVE_MENTEE * suggestion.load
    )
