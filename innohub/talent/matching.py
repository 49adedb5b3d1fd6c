"""How well a free agent fits a challenge, explained (docs/api.md, "Talent").

An agent's `match` for a challenge is the number of skills it asks for that the agent holds
at the level asked or above; `of` is how many it asks for; `missing` names the others (not
held, or held below the level). Candidates are read by the database, grouped by agent over
the holders of the challenge's skills only (an index on UserSkill's skill), never by reading
every agent.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from innohub.accounts.models import UserSkill

from .models import AgentStatus, AssignmentStatus, Challenge, ChallengeSkill, FreeAgent

CANDIDATES_MAX = 200


@dataclass(frozen=True)
class Fit:
    match: int
    of: int
    missing: list[int] = field(default_factory=list)  # skill ids, in the challenge's order


def explain(needs: Mapping[int, int], held: Mapping[int, int]) -> Fit:
    """`needs` and `held` map skill ids to levels."""
    missing = [skill for skill, level in needs.items() if held.get(skill, 0) < level]
    return Fit(match=len(needs) - len(missing), of=len(needs), missing=missing)


def needs_of(challenge: Challenge) -> dict[int, int]:
    """The skills asked for, in the order the challenge lists them (by the skill's name)."""
    return dict(
        ChallengeSkill.objects.filter(challenge=challenge)
        .order_by("skill__name", "skill_id")
        .values_list("skill_id", "level")
    )


def held_by(user_ids: list[int], skills: list[int]) -> dict[int, dict[int, int]]:
    """Each person's levels of `skills` (one query)."""
    held: dict[int, dict[int, int]] = {user_id: {} for user_id in user_ids}
    rows = UserSkill.objects.filter(user_id__in=user_ids, skill_id__in=skills)
    for user_id, skill_id, level in rows.values_list("user_id", "skill_id", "level"):
        held[user_id][skill_id] = level
    return held


def fit_of(user_id: int, challenge: Challenge) -> Fit:
    needs = needs_of(challenge)
    return explain(needs, held_by([user_id], list(needs))[user_id])


@dataclass(frozen=True)
class Candidate:
    agent: FreeAgent
    fit: Fit
    offer: str  # the status of an offer of this challenge to the agent, or ""


def _any_need(needs: Mapping[int, int], *, prefix: str = "") -> Q:
    return functools.reduce(
        operator.or_,
        (
            Q(**{f"{prefix}skill_id": skill, f"{prefix}level__gte": level})
            for skill, level in needs.items()
        ),
    )


def candidates(
    challenge: Challenge, *, limit: int = 50, after: tuple[int, int] | None = None
) -> list[Candidate]:
    """Agents available by the challenge's start with a match above 0, highest match first
    (then the longest-standing agent first), `limit` of them after the key `(match, agent
    id)` of the previous page's last. Each knows what is missing and any offer of this
    challenge made to them."""
    needs = needs_of(challenge)
    if not needs:
        return []
    rows = (
        UserSkill.objects.filter(
            _any_need(needs),
            user__free_agent__status=AgentStatus.AVAILABLE,
            user__free_agent__available_from__lte=challenge.starts_on,
        )
        .values("user__free_agent")
        .annotate(match=Count("id"))
        .order_by("-match", "user__free_agent")
    )
    if after is not None:
        match, agent_id = after
        rows = rows.filter(Q(match__lt=match) | Q(match=match, user__free_agent__gt=agent_id))
    page = [(row["user__free_agent"], row["match"]) for row in rows[:limit]]
    agents = FreeAgent.objects.select_related("user", "user__profile__organisation").in_bulk(
        [agent_id for agent_id, _match in page]
    )
    held = held_by([agent.user_id for agent in agents.values()], list(needs))
    offers = dict(
        challenge.assignments.filter(agent_id__in=agents)
        .exclude(status=AssignmentStatus.DECLINED)
        .values_list("agent_id", "status")
    )
    return [
        Candidate(
            agent=agents[agent_id],
            fit=explain(needs, held[agents[agent_id].user_id]),
            offer=offers.get(agent_id, ""),
        )
        for agent_id, _match in page
    ]


@dataclass(frozen=True)
class Opening:
    challenge: Challenge
    fit: Fit


def challenges_for(agent: FreeAgent, *, limit: int = 50) -> list[Opening]:
    """Open challenges (starting after today, on or after the agent's availability, with a
    seat not yet offered) the agent matches, best match first, then the soonest."""
    held = dict(UserSkill.objects.filter(user_id=agent.user_id).values_list("skill_id", "level"))
    if not held:
        return []
    today = timezone.localdate()
    rows = (
        ChallengeSkill.objects.filter(
            functools.reduce(
                operator.or_,
                (Q(skill_id=skill, level__lte=level) for skill, level in held.items()),
            ),
            challenge__starts_on__gt=today,
            challenge__starts_on__gte=agent.available_from,
            challenge__seats_taken__lt=F("challenge__seats"),
        )
        .values("challenge")
        .annotate(match=Count("id"))
        .order_by("-match", "challenge__starts_on", "challenge")
    )[:limit]
    found = [(row["challenge"], row["match"]) for row in rows]
    challenges = Challenge.objects.select_related("organisation").in_bulk([pk for pk, _m in found])
    needs: dict[int, dict[int, int]] = {pk: {} for pk in challenges}
    for challenge_id, skill_id, level in (
        ChallengeSkill.objects.filter(challenge_id__in=challenges)
        .order_by("skill__name", "skill_id")
        .values_list("challenge_id", "skill_id", "level")
    ):
        needs[challenge_id][skill_id] = level
    return [Opening(challenge=challenges[pk], fit=explain(needs[pk], held)) for pk, _match in found]
