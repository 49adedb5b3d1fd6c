"""Who may do what with Free Agents: the one place that says so (docs/api.md, "Talent").

- Anyone signed in reads the challenges and applies to be a free agent.
- Programme managers and administrators run the programme: they assess and decide
  applications, make free agents directly, ask for the plan and read the workforce figures
  (senior reviewers read those too).
- Challenges are posted by programme managers, administrators and the members of an
  innovation team of the host organisation (or above it); the same people, and whoever posted
  it, change it, read its candidates, make offers, start it and close it with a review.
- An agent answers their own offers and may withdraw; they and the programme's managers see
  the agent's page.
"""

from __future__ import annotations

from typing import Any

import rules

from innohub.accounts.rules import serves_place
from innohub.core.models import ids_in_path
from innohub.core.roles import (
    is_administrator,
    is_programme_manager,
    is_senior_reviewer,
)

runs_programme = is_programme_manager | is_administrator


@rules.predicate
def in_an_innovation_team(user: Any) -> bool:
    """A member of any innovation team (one query): may post for their organisations."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.team_memberships.exists())


def serves_organisation(user: Any, organisation: Any) -> bool:
    """A member of an innovation team of `organisation` or of one above it (one query)."""
    if organisation is None:
        return False
    return serves_place(user, area_ids=[], organisation_ids=ids_in_path(organisation.path))


def may_post_for(user: Any, organisation: Any) -> bool:
    return bool(runs_programme(user)) or serves_organisation(user, organisation)


@rules.predicate
def keeps_challenge(user: Any, challenge: Any) -> bool:
    if challenge is None or not getattr(user, "is_authenticated", False):
        return False
    return challenge.posted_by_id == user.pk or serves_organisation(user, challenge.organisation)


@rules.predicate
def is_the_agent(user: Any, agent: Any) -> bool:
    return (
        agent is not None and getattr(user, "is_authenticated", False) and agent.user_id == user.pk
    )


@rules.predicate
def offered_to(user: Any, assignment: Any) -> bool:
    return assignment is not None and is_the_agent(user, assignment.agent)


may_keep_challenge = runs_programme | keeps_challenge

rules.add_perm("talent.view_challenge", rules.is_authenticated)
rules.add_perm("talent.add_challenge", runs_programme | in_an_innovation_team)
rules.add_perm("talent.change_challenge", may_keep_challenge)
rules.add_perm("talent.view_candidates", may_keep_challenge)
rules.add_perm("talent.add_assignment", may_keep_challenge)
rules.add_perm("talent.add_application", rules.is_authenticated)
rules.add_perm("talent.assess_application", runs_programme)
rules.add_perm("talent.add_freeagent", runs_programme)
rules.add_perm("talent.view_freeagent", is_the_agent | runs_programme)
rules.add_perm("talent.withdraw_freeagent", is_the_agent | runs_programme)
rules.add_perm("talent.answer_assignment", offered_to)
rules.add_perm("talent.make_plan", runs_programme)
rules.add_perm("talent.view_workforce", runs_programme | is_senior_reviewer)
