"""What the home page asks of a person about themself."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from innohub.accounts.home import people_cards
from tests.accounts.factories import TeamMembershipFactory
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def tasks_of(user) -> dict[str, object]:
    request = RequestFactory().get("/")
    request.user = user
    return {str(task.title): task for task in people_cards(request)}


def test_incomplete_profile_is_a_task_until_it_is_complete(user):
    assert "Complete your profile" in tasks_of(user)
    organisation = OrganisationFactory()
    ProfileFactory(user=user, organisation=organisation, area=AreaFactory(), position="Officer")
    assert "Complete your profile" not in tasks_of(user)


def test_innovation_teams_are_counted(user):
    assert "Your innovation teams" not in tasks_of(user)
    TeamMembershipFactory(user=user)
    TeamMembershipFactory(user=user)
    assert tasks_of(user)["Your innovation teams"].count == 2


def test_two_factor_task_for_a_role_that_requires_it(administrator, civil_servant):
    assert "Set up two-factor authentication" in tasks_of(administrator)
    assert "Set up two-factor authentication" not in tasks_of(civil_servant)


def test_home_page_shows_the_tasks(client_signed_in, django_assert_num_queries):
    # session, user, groups; the profile, team memberships (accounts), draft journeys
    # (services), teams whose pilots they review, pilots they lead or mentor and proposals
    # they assess (pipeline)
    with django_assert_num_queries(9):
        response = client_signed_in.get("/")
    assert "Complete your profile" in response.content.decode()
