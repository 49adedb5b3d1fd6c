"""Factories for Free Agents: agents with skills at levels, challenges posted through
`services` (so their stored counts are right), programme managers."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from innohub.accounts.models import Skill, UserSkill
from innohub.core.roles import PROGRAMME_MANAGER
from innohub.talent import services
from innohub.talent.models import Challenge, FreeAgent
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def manager() -> Any:
    return UserFactory(roles=[PROGRAMME_MANAGER])


class FreeAgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FreeAgent

    user = factory.SubFactory(UserFactory)
    available_from = factory.LazyFunction(lambda: days(0))
    joined_on = factory.LazyFunction(lambda: days(-30))


def agent(skills: dict[Skill, int] | None = None, **fields: Any) -> FreeAgent:
    """A free agent holding `skills` at their levels."""
    made = FreeAgentFactory(**fields)
    ProfileFactory(user=made.user)
    UserSkill.objects.bulk_create(
        UserSkill(user=made.user, skill=skill, level=level)
        for skill, level in (skills or {}).items()
    )
    return made


def challenge(needs: dict[Skill, int], *, by: Any = None, **fields: Any) -> Challenge:
    values: dict[str, Any] = {
        "title": "Cut the wait for land records",
        "problem": "Citizens come back four times for one certificate.",
        "seats": 1,
        "starts_on": days(30),
        "weeks": 12,
    }
    values.update(fields)
    organisation = values.pop("organisation", None) or OrganisationFactory()
    return services.post_challenge(
        by=by or manager(),
        organisation=organisation,
        skills=[(skill.pk, level) for skill, level in needs.items()],
        **values,
    )
