"""The programme-wide plan: which free agent to which challenge for the largest total match
(docs/api.md, `POST /talent/plan`; the solver and why it is exact: `plan`, ADR 0029).

The plan is advice: it writes nothing. Agents on a challenge, withdrawn, or with an offer
waiting for their answer are left out (they are spoken for), and each challenge brings the
seats it still has open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.accounts.models import UserSkill

from .limits import PLAN_CHALLENGES_MAX
from .models import AgentStatus, Challenge, ChallengeSkill, FreeAgent
from .plan import Plan, PlanAgent, PlanChallenge, best_plan


def open_challenges() -> QuerySet[Challenge]:
    """Starting after today with a seat not yet offered."""
    return Challenge.objects.filter(starts_on__gt=timezone.localdate(), seats_taken__lt=F("seats"))


def free_agents() -> QuerySet[FreeAgent]:
    """Available, with no offer waiting for their answer."""
    return FreeAgent.objects.filter(status=AgentStatus.AVAILABLE, offers_waiting=0)


def make_plan(challenge_ids: Sequence[int] | None = None) -> Plan:
    """The best plan over the challenges named (or every open one) and the free agents."""
    if challenge_ids is None:
        challenges = open_challenges()
    else:
        ids = list(dict.fromkeys(challenge_ids))
        if len(ids) > PLAN_CHALLENGES_MAX:
            raise ValidationError(
                {"challenges": _("Name at most %(n)d challenges.") % {"n": PLAN_CHALLENGES_MAX}}
            )
        challenges = Challenge.objects.filter(pk__in=ids)
        found = set(challenges.values_list("pk", flat=True))
        unknown = [pk for pk in ids if pk not in found]
        if unknown:
            raise ValidationError(
                {
                    "challenges": _("No challenge has the id %(ids)s.")
                    % {"ids": ", ".join(str(pk) for pk in unknown[:10])}
                }
            )
    rows = list(challenges.values_list("pk", "seats", "seats_taken", "starts_on"))
    needs: dict[int, dict[int, int]] = defaultdict(dict)
    for challenge_id, skill_id, level in ChallengeSkill.objects.filter(
        challenge_id__in=[row[0] for row in rows]
    ).values_list("challenge_id", "skill_id", "level"):
        needs[challenge_id][skill_id] = level
    plan_challenges = [
        PlanChallenge(id=pk, seats=max(seats - taken, 0), starts_on=starts_on, needs=needs[pk])
        for pk, seats, taken, starts_on in rows
    ]
    skills = {skill for need in needs.values() for skill in need}
    agents = list(free_agents().values_list("pk", "user_id", "available_from"))
    held: dict[int, dict[int, int]] = defaultdict(dict)
    for user_id, skill_id, level in UserSkill.objects.filter(
        skill_id__in=skills,
        user__free_agent__status=AgentStatus.AVAILABLE,
        user__free_agent__offers_waiting=0,
    ).values_list("user_id", "skill_id", "level"):
        held[user_id][skill_id] = level
    plan_agents = [
        PlanAgent(id=pk, available_from=available_from, skills=held[user_id])
        for pk, user_id, available_from in agents
        if user_id in held
    ]
    return best_plan(plan_agents, plan_challenges)
