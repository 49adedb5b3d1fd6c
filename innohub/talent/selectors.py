"""Reads of Free Agents for pages and the API: who may see which agents, applications and
assignments, and the lists of challenges."""

from __future__ import annotations

import datetime
import functools
import operator
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from innohub.accounts.models import InnovationTeam
from innohub.orgs.models import Organisation

from .models import Application, Assignment, Challenge, FreeAgent, SkillEvidence
from .rules import runs_programme


def sees_every_agent(user: Any) -> bool:
    """The programme's managers, and whoever may post a challenge (they choose among agents)."""
    return bool(runs_programme(user)) or user.has_perm("talent.add_challenge")


def agents_for(
    user: Any, *, status: str | None = None, available_by: datetime.date | None = None
) -> QuerySet[FreeAgent]:
    agents = FreeAgent.objects.select_related("user").order_by("-id")
    if not sees_every_agent(user):
        agents = agents.filter(user=user)
    if status:
        agents = agents.filter(status=status)
    if available_by:
        agents = agents.filter(available_from__lte=available_by)
    return agents


def applications_for(user: Any) -> QuerySet[Application]:
    applications = (
        Application.objects.select_related("person", "free_agent")
        .prefetch_related("steps")
        .order_by("-id")
    )
    if not runs_programme(user):
        applications = applications.filter(person=user)
    return applications


def challenges(
    *,
    organisation: Organisation | None = None,
    open_only: bool = False,
    skill: int | None = None,
) -> QuerySet[Challenge]:
    found = (
        Challenge.objects.select_related("organisation")
        .prefetch_related("needs__skill")
        .order_by("starts_on", "id")
    )
    if organisation is not None:
        found = found.filter(organisation__path__startswith=organisation.path)
    if open_only:
        found = found.filter(starts_on__gt=timezone.localdate(), seats_taken__lt=F("seats"))
    if skill is not None:
        found = found.filter(needs__skill_id=skill)
    return found


def _team_paths(user: Any) -> list[str]:
    """The paths of the organisations of the person's innovation teams."""
    return list(
        InnovationTeam.objects.filter(memberships__user=user, organisation__isnull=False)
        .values_list("organisation__path", flat=True)
        .distinct()
    )


def assignments_for(user: Any) -> QuerySet[Assignment]:
    """All for the programme's managers; for anyone else those offered to them and those of
    the challenges they keep (posted, or hosted by their innovation teams' organisations or
    below — `rules.keeps_challenge` says the same of one)."""
    assignments = Assignment.objects.select_related(
        "challenge", "challenge__organisation", "agent", "agent__user"
    ).order_by("-id")
    if runs_programme(user):
        return assignments
    kept = Q(challenge__posted_by=user)
    for path in _team_paths(user):
        kept |= Q(challenge__organisation__path__startswith=path)
    return assignments.filter(Q(agent__user=user) | kept)


def organisations_to_post_for(user: Any) -> QuerySet[Organisation]:
    """Every organisation for the programme's managers; for others, those of their innovation
    teams and everything below them (`rules.may_post_for` says the same of one)."""
    every = Organisation.objects.only("id", "name", "path", "depth").order_by("path")
    if runs_programme(user):
        return every
    paths = _team_paths(user)
    if not paths:
        return every.none()
    return every.filter(functools.reduce(operator.or_, (Q(path__startswith=p) for p in paths)))


def evidence_of(person: Any, *, limit: int = 20) -> list[SkillEvidence]:
    """What closing reviews of the person's challenges showed of their skills, newest first
    (one query; the profile shows it beside the person's own evidence)."""
    return list(
        SkillEvidence.objects.filter(user=person)
        .select_related("skill", "assignment__challenge")
        .order_by("-id")[:limit]
    )
