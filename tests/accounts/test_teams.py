"""Innovation teams: the list with its tree filters, and a team's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innohub.geo.models import Level
from innohub.orgs.models import Kind
from tests.accounts.factories import TeamMembershipFactory
from tests.factories import AreaFactory, InnovationTeamFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TEAMS = reverse("accounts:teams")


@pytest.fixture
def places(db):
    country = AreaFactory(code="BD", name="Bangladesh")
    dhaka_division = AreaFactory(code="BD-C", name="Dhaka", level=Level.DIVISION, parent=country)
    dhaka = AreaFactory(
        code="BD-13", name="Dhaka district", level=Level.DISTRICT, parent=dhaka_division
    )
    sylhet = AreaFactory(code="BD-G", name="Sylhet", level=Level.DIVISION, parent=country)
    ministry = OrganisationFactory(name="Ministry of Land", area=country)
    department = OrganisationFactory(
        name="Land Records", kind=Kind.DEPARTMENT, parent=ministry, area=country
    )
    office = OrganisationFactory(
        name="Sylhet land office", kind=Kind.OFFICE, parent=department, area=sylhet
    )
    other_ministry = OrganisationFactory(name="Ministry of Health", area=country)
    teams = {
        "district": InnovationTeamFactory(name="Dhaka district team", area=dhaka),
        "division": InnovationTeamFactory(name="Sylhet division team", area=sylhet),
        "ministry": InnovationTeamFactory(
            name="Land ministry team", area=None, organisation=ministry
        ),
        "office": InnovationTeamFactory(name="Sylhet office team", area=None, organisation=office),
        "health": InnovationTeamFactory(name="Health team", area=None, organisation=other_ministry),
    }
    return {
        "country": country,
        "dhaka_division": dhaka_division,
        "sylhet": sylhet,
        "ministry": ministry,
        "teams": teams,
    }


def names(response) -> set[str]:
    return {team.name for team in response.context["page"].object_list}


def test_team_list_shows_every_team(client_signed_in, places):
    response = client_signed_in.get(TEAMS)
    assert names(response) == {team.name for team in places["teams"].values()}


def test_area_filter_includes_everything_below(client_signed_in, places):
    division = client_signed_in.get(TEAMS, {"area": places["dhaka_division"].pk})
    assert names(division) == {"Dhaka district team"}
    # Sylhet: the team of the division itself, and the team of an office located there.
    sylhet = client_signed_in.get(TEAMS, {"area": places["sylhet"].pk})
    assert names(sylhet) == {"Sylhet division team", "Sylhet office team"}


def test_organisation_filter_includes_its_units(client_signed_in, places):
    response = client_signed_in.get(TEAMS, {"organisation": places["ministry"].pk})
    assert names(response) == {"Land ministry team", "Sylhet office team"}


def test_bad_filter_is_an_error_not_a_crash(client_signed_in, places):
    response = client_signed_in.get(TEAMS, {"area": "not-an-id"})
    assert response.status_code == 200
    assert "area" in response.context["form"].errors


def test_team_list_takes_the_same_queries_for_5_teams_as_for_25(
    client_signed_in, places, django_assert_num_queries
):
    for team in places["teams"].values():
        TeamMembershipFactory(team=team)
    # session, user, groups, count, the filters' options (areas, organisations), page (with
    # organisation, area and member count)
    with django_assert_num_queries(7):
        small = client_signed_in.get(TEAMS)
    assert {team.member_count for team in small.context["page"].object_list} == {1}
    for team in places["teams"].values():
        for _n in range(2):
            TeamMembershipFactory(team=team)
    for _n in range(20):
        TeamMembershipFactory.create_batch(
            3, team=InnovationTeamFactory(organisation=places["ministry"], area=places["sylhet"])
        )
    with django_assert_num_queries(7):
        response = client_signed_in.get(TEAMS)
    assert response.context["page"].paginator.count == 25
    assert {team.member_count for team in response.context["page"].object_list} == {3}


def test_team_page_shows_members_with_roles_and_what_it_serves(
    client_signed_in, places, django_assert_num_queries
):
    team = places["teams"]["district"]
    lead = UserFactory(first_name="Kamal", last_name="Hossain")
    TeamMembershipFactory(team=team, user=lead, role="lead")
    for _n in range(4):
        TeamMembershipFactory(team=team)
    # session, user, groups, the team (with organisation and area), members (with profiles)
    with django_assert_num_queries(5):
        response = client_signed_in.get(reverse("accounts:team", args=[team.pk]))
    html = response.content.decode()
    assert "Dhaka district team" in html and "Dhaka district" in html
    assert "Kamal Hossain" in html and "Team lead" in html
    assert html.count(">Member<") == 4
    assert reverse("accounts:person", args=[lead.username]) in html


def test_unknown_team_is_404(client_signed_in):
    assert client_signed_in.get(reverse("accounts:team", args=[999999])).status_code == 404
