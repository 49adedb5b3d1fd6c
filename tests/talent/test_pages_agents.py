"""The programme's free agents: the list, making someone a free agent, one agent's page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innohub.talent.models import AgentStatus, FreeAgent
from tests.factories import SkillFactory, UserFactory
from tests.talent.factories import agent, challenge, days, manager
from tests.talent.page_helpers import html, signed, team_manager

pytestmark = pytest.mark.django_db


def test_the_list_is_for_those_who_choose_among_agents(client):
    someone = agent({SkillFactory(): 3})
    assert signed(client, UserFactory()).get(reverse("talent:agent_list")).status_code == 403
    page = signed(client, team_manager()).get(reverse("talent:agent_list"))
    assert page.status_code == 200
    assert someone.user.name in html(page)
    assert "Make someone a free agent" not in html(page)  # programme managers only


def test_the_list_filters_by_status_and_costs_the_same_queries(client):
    skill = SkillFactory()
    available = agent({skill: 2})
    agent({skill: 2}, status=AgentStatus.WITHDRAWN, user__first_name="Gone")
    page = signed(client, manager())
    first = html(page.get(reverse("talent:agent_list")))
    assert available.user.name in first and "Gone" not in first
    every = html(page.get(reverse("talent:agent_list"), {"status": "all"}))
    assert "Gone" in every
    with CaptureQueriesContext(connection) as few:
        page.get(reverse("talent:agent_list"))
    for _n in range(8):
        agent({skill: 1})
    with CaptureQueriesContext(connection) as many:
        page.get(reverse("talent:agent_list"))
    assert len(many) == len(few)


def test_a_programme_manager_makes_someone_a_free_agent_and_errors_keep_what_was_typed(client):
    person = UserFactory(username="rahima")
    page = signed(client, manager())
    refused = page.post(
        reverse("talent:agent_list"),
        {"make-username": "nobody", "make-available_from": "2027-01-04"},
    )
    assert refused.status_code == 400
    assert "Nobody has the username" in html(refused) and 'value="nobody"' in html(refused)
    made = page.post(
        reverse("talent:agent_list"),
        {"make-username": "Rahima", "make-available_from": days(3).isoformat()},
    )
    assert made.status_code == 302
    assert FreeAgent.objects.get(user=person).available_from == days(3)
    again = page.post(
        reverse("talent:agent_list"),
        {"make-username": "rahima", "make-available_from": days(3).isoformat()},
    )
    assert again.status_code == 409
    assert "free agent already" in html(again)
    assert (
        signed(client, team_manager())
        .post(reverse("talent:agent_list"), {"make-username": "rahima"})
        .status_code
        == 403
    )


def test_an_agents_page_explains_the_challenges_that_fit(client):
    a, b = SkillFactory(name="Journey mapping"), SkillFactory(name="Budgeting")
    someone = agent({a: 3})
    fits = challenge({a: 3, b: 2}, starts_on=days(40))
    page = signed(client, manager()).get(reverse("talent:agent_detail", args=[someone.pk]))
    text = html(page)
    assert fits.title in text
    assert "1 of 2 skills at the level asked; missing: Budgeting" in text
    assert (
        signed(client, team_manager())
        .get(reverse("talent:agent_detail", args=[someone.pk]))
        .status_code
        == 403
    )
    own = signed(client, someone.user).get(reverse("talent:agent_detail", args=[someone.pk]))
    assert own.status_code == 302 and own.url == reverse("talent:me")
    assert (
        signed(client, manager()).get(reverse("talent:agent_detail", args=[999999])).status_code
        == 404
    )
