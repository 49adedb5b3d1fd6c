"""The pages of the people who run Free Agents: who may see them, the plan and its offers,
the workforce figures, and the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innohub.core import roles
from innohub.talent import services
from innohub.talent.models import Assignment
from tests.factories import UserFactory
from tests.geo.conftest import person_in
from tests.talent.factories import agent, days
from tests.talent.page_helpers import asked_challenge, four_skills, html, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills():
    return four_skills()


@pytest.fixture
def asked(skills):
    return asked_challenge(skills)


def test_the_programme_pages_are_for_programme_managers(client, user):
    application = services.apply(person=UserFactory(), statement="Me", available_from=days(1))
    page = signed(client, user)
    for url in (
        reverse("talent:application_list"),
        reverse("talent:application_detail", args=[application.pk]),
        reverse("talent:plan"),
        reverse("talent:workforce"),
    ):
        assert page.get(url).status_code == 403, url
    assert page.post(reverse("talent:workforce_count")).status_code == 403


# --- The plan and the workforce ---------------------------------------------------------------


def test_the_plan_is_made_on_request_and_each_row_offers_its_seat(client, asked):
    page = signed(client, asked["pm"])
    start = html(page.get(reverse("talent:plan")))
    assert "Make the best plan" in start and "<table" not in start
    made = page.post(reverse("talent:plan"), {"action": "plan"})
    text = html(made)
    assert made.status_code == 200
    assert "2 seats filled, total match 4" in text
    assert "Land records in a day" in text and "Nasrin Akter" in text and "Rahim Uddin" in text
    offered = page.post(
        reverse("talent:plan"),
        {"action": "offer", "challenge": asked["challenge"].pk, "agent": asked["best"].pk},
    )
    assert offered.status_code == 200
    assert "A seat of “Land records in a day” is offered to Nasrin Akter." in html(offered)
    assert "1 seat filled, total match 1" in html(offered)
    assert Assignment.objects.get().agent == asked["best"]
    again = page.post(
        reverse("talent:plan"),
        {"action": "offer", "challenge": asked["challenge"].pk, "agent": asked["best"].pk},
    )
    assert again.status_code == 409 and "govuk-error-summary" in html(again)


def test_the_workforce_figures_hide_small_groups_and_count_again_on_request(client):
    from django_tasks_db.models import DBTaskResult

    from innohub.talent import workforce

    reviewer = person_in(roles.SENIOR_REVIEWER)
    page = signed(client, reviewer)
    empty = html(page.get(reverse("talent:workforce")))
    assert "Not counted yet" in empty and "Count now" in empty
    asked_again = page.post(reverse("talent:workforce_count"))
    assert asked_again.status_code == 302
    assert DBTaskResult.objects.count() == 1
    for _n in range(6):
        agent(gender="female", grade="Grade 6")
    agent(gender="male", grade="Grade 9")
    workforce.count()
    text = html(page.get(reverse("talent:workforce")))
    assert "Counted at" in text and "Female" in text and "fewer than 5" in text
    assert "Count again now" in text
    assert "Grade 6" in text


def test_the_admin_lists_free_agents_records_to_look_up_not_to_change(admin_client, asked):
    from django.contrib import admin

    from innohub.talent import models

    services.offer(by=asked["pm"], challenge=asked["challenge"], agent=asked["best"])
    application = services.apply(person=UserFactory(), statement="Me", available_from=days(1))
    services.record_step(
        by=asked["pm"], application=application, kind="screening", outcome="passed"
    )
    for model in (
        models.Application, models.AssessmentStep, models.FreeAgent, models.Challenge,
        models.ChallengeSkill, models.Assignment, models.SkillEvidence,
        models.WorkforceSnapshot,
    ):  # fmt: skip
        assert model in admin.site._registry
        opts = model._meta
        listing = admin_client.get(reverse(f"admin:talent_{opts.model_name}_changelist"))
        assert listing.status_code == 200, opts.model_name
        assert admin_client.get(reverse(f"admin:talent_{opts.model_name}_add")).status_code == 403
    one = admin_client.get(reverse("admin:talent_challenge_change", args=[asked["challenge"].pk]))
    assert one.status_code == 200 and "Land records in a day" in html(one)
