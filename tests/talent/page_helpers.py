"""Helpers of the Free Agents page tests: signing people in as the pages need them, a
manager who posts for their organisation through an innovation team, the form's fields."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client

from innohub.core import roles
from tests.accounts.factories import TeamMembershipFactory
from tests.accounts.helpers import sign_in_verified
from tests.factories import (
    InnovationTeamFactory,
    OrganisationFactory,
    ProfileFactory,
    SkillFactory,
)
from tests.geo.conftest import person_in
from tests.talent.factories import agent, challenge, manager


def signed(client: Client, user: Any) -> Client:
    """`client` signed in as `user`; programme managers and administrators past two-factor."""
    if roles.is_programme_manager(user) or roles.is_administrator(user):
        sign_in_verified(client, user)
    else:
        client.force_login(user)
    return client


def team_manager(organisation: Any = None, **fields: Any) -> Any:
    """A civil servant in the innovation team of `organisation` (a new ministry by default):
    they may post challenges for it and everything below it."""
    organisation = organisation or OrganisationFactory()
    person = person_in(roles.CIVIL_SERVANT, **fields)
    ProfileFactory(user=person, organisation=organisation)
    team = InnovationTeamFactory(organisation=organisation, area=None)
    TeamMembershipFactory(team=team, user=person)
    return person


def challenge_form(
    *,
    organisation: Any = None,
    skills: list[tuple[Any, int]] = (),  # type: ignore[assignment]
    starts_on: datetime.date,
    **fields: Any,
) -> dict[str, Any]:
    """What the challenge form posts: the fields, and the rows of skills and levels."""
    data: dict[str, Any] = {
        "title": "Cut the wait for land records",
        "problem": "Citizens come back four times for one certificate.",
        "seats": "2",
        "starts_on": starts_on.isoformat(),
        "weeks": "12",
        "location": "Savar",
        "cost_recovery": "15000.50",
        "currency": "bdt",
    }
    if organisation is not None:
        data["organisation"] = str(organisation.pk)
    for n, (skill, level) in enumerate(skills, start=1):
        data[f"skill_{n}"] = str(skill.pk) if skill is not None else ""
        data[f"level_{n}"] = str(level) if level else ""
    data.update(fields)
    return data


def html(response: Any) -> str:
    return str(response.content.decode())


def four_skills() -> dict[str, Any]:
    return {
        name: SkillFactory(name=name)
        for name in ("Data analysis", "Process mapping", "Procurement", "User research")
    }


def asked_challenge(skills: dict[str, Any]) -> dict[str, Any]:
    """A programme manager's challenge asking for four skills, with two seats, and two agents
    who fit it: Nasrin Akter (3 of 4, missing Procurement) and Rahim Uddin (1 of 4)."""
    pm = manager()
    posted = challenge(
        {
            skills["Data analysis"]: 3,
            skills["Process mapping"]: 2,
            skills["Procurement"]: 3,
            skills["User research"]: 2,
        },
        by=pm,
        seats=2,
        title="Land records in a day",
    )
    best = agent(
        {skills["Data analysis"]: 4, skills["Process mapping"]: 2, skills["User research"]: 3,
         skills["Procurement"]: 1},
        user__first_name="Nasrin", user__last_name="Akter",
    )  # fmt: skip
    good = agent({skills["Procurement"]: 5}, user__first_name="Rahim", user__last_name="Uddin")
    return {"pm": pm, "challenge": posted, "best": best, "good": good, "skills": skills}
