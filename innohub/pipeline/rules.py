"""Who may do what with ideas and pilots: the one place that says so (SETTLED.md, "Pilots:
who moves what"). Moves themselves are judged by `moves.check_move` from a `Standing`."""

from __future__ import annotations

from typing import Any

import rules

from innohub.accounts.rules import manages_place, serves_place
from innohub.core.models import ids_in_path
from innohub.core.roles import (
    is_administrator,
    is_programme_manager,
    is_senior_reviewer,
)

from .moves import Standing


def _place(pilot: Any) -> dict[str, list[int]]:
    return {
        "area_ids": ids_in_path(pilot.area.path),
        "organisation_ids": ids_in_path(pilot.organisation.path),
    }


@rules.predicate
def is_lead(user: Any, pilot: Any) -> bool:
    return pilot is not None and pilot.lead_id == getattr(user, "pk", None)


@rules.predicate
def is_mentor(user: Any, pilot: Any) -> bool:
    return (
        pilot is not None
        and pilot.mentor_id is not None
        and pilot.mentor_id == getattr(user, "pk", None)
    )


@rules.predicate
def manages_pilot_place(user: Any, pilot: Any) -> bool:
    """A programme manager within the pilot's organisation's or area's tree."""
    return pilot is not None and manages_place(user, **_place(pilot))


@rules.predicate
def on_pilot_team(user: Any, pilot: Any) -> bool:
    """A member of an innovation team of the pilot's organisation or area, or above."""
    return pilot is not None and serves_place(user, **_place(pilot))


@rules.predicate
def is_proposer(user: Any, idea: Any) -> bool:
    return idea is not None and idea.proposer_id == getattr(user, "pk", None)


approves = manages_pilot_place | on_pilot_team | is_administrator


def standing(user: Any, pilot: Any) -> Standing:
    """What `user` is to `pilot`, for `moves.check_move`."""
    return Standing(
        lead=is_lead(user, pilot),
        mentor=is_mentor(user, pilot),
        approver=approves(user, pilot),
    )


rules.add_perm("pipeline.view_idea", rules.is_authenticated)
rules.add_perm("pipeline.add_idea", rules.is_authenticated)
rules.add_perm("pipeline.change_idea", is_proposer | is_administrator)
rules.add_perm("pipeline.view_pilot", rules.is_authenticated)
rules.add_perm("pipeline.add_pilot", rules.is_authenticated)
# PATCH /pilots/{id}: title, budget, budget code, annual volume, mentor, dates.
rules.add_perm("pipeline.change_pilot", is_lead | manages_pilot_place | is_administrator)
rules.add_perm("pipeline.add_spend", is_lead | is_mentor | manages_pilot_place | is_administrator)
rules.add_perm("pipeline.add_risk", is_lead | is_mentor | manages_pilot_place | is_administrator)
rules.add_perm(
    "pipeline.add_lesson",
    is_lead | is_mentor | on_pilot_team | manages_pilot_place | is_administrator,
)
rules.add_perm(
    "pipeline.add_measurement",
    is_lead | is_mentor | on_pilot_team | manages_pilot_place | is_administrator,
)


@rules.predicate
def leads_a_pilot_of(user: Any, idea: Any) -> bool:
    """The lead of a pilot of the idea (one query)."""
    if idea is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(idea.pilots.filter(lead_id=user.pk).exists())


# The design of an idea: its proposer, the lead of a pilot of it, programme managers,
# administrators.
rules.add_perm(
    "pipeline.change_projectdesign",
    is_proposer | leads_a_pilot_of | is_programme_manager | is_administrator,
)
rules.add_perm("pipeline.add_mentoringnote", is_mentor | is_lead)
# Mentoring notes are read by the pilot's people, not by everyone.
rules.add_perm(
    "pipeline.view_mentoringnote",
    is_lead | is_mentor | on_pilot_team | manages_pilot_place | is_administrator,
)


# --- The innovation fund, showcases, scale-up (SETTLED.md and docs/api.md, "Pipeline") -----

runs_the_fund = is_programme_manager | is_administrator


@rules.predicate
def assesses(user: Any, proposal: Any) -> bool:
    """An assessor assigned to the proposal (one query)."""
    if proposal is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(proposal.assignments.filter(user_id=user.pk).exists())


# Propose an idea to a call (the object is the idea).
rules.add_perm("pipeline.add_proposal", is_proposer | leads_a_pilot_of | runs_the_fund)
rules.add_perm("pipeline.add_fundingcall", runs_the_fund)
# Assign assessors, award, decline.
rules.add_perm("pipeline.change_proposal", runs_the_fund)
rules.add_perm("pipeline.view_review", runs_the_fund | assesses)
rules.add_perm("pipeline.add_review", assesses)
rules.add_perm("pipeline.add_showcase", runs_the_fund)
# Score a pilot at a showcase (the object is the pilot): never its own lead or mentor.
rules.add_perm(
    "pipeline.add_showcasescore",
    (is_senior_reviewer | runs_the_fund) & ~is_lead & ~is_mentor,
)
rules.add_perm("pipeline.add_scaleup", is_senior_reviewer | is_administrator)
# Replicate a pilot in another area (the object is the original).
rules.add_perm("pipeline.add_replication", is_lead | runs_the_fund)
