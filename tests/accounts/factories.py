"""Factories for accounts' models that tests/factories.py does not have."""

from __future__ import annotations

import factory

from innohub.accounts.models import SkillLevel, TeamMembership, TeamRole, UserSkill
from tests.factories import InnovationTeamFactory, SkillFactory, UserFactory


class UserSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserSkill

    user = factory.SubFactory(UserFactory)
    skill = factory.SubFactory(SkillFactory)
    level = SkillLevel.PRACTISING
    evidence = "Ran three user-research sessions."


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(InnovationTeamFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamRole.MEMBER
