"""The person's own Free Agents page: applying, being assessed and accepted, then, as an
agent, the challenges that fit them, their availability, and withdrawing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innohub.accounts.models import UserSkill
from innohub.talent import services
from innohub.talent.models import AgentStatus
from tests.factories import UserFactory
from tests.talent.factories import challenge, days, manager
from tests.talent.page_helpers import asked_challenge, four_skills, html, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills():
    return four_skills()


@pytest.fixture
def asked(skills):
    return asked_challenge(skills)


# --- The person's page ------------------------------------------------------------------------


def test_applying_and_being_assessed_then_the_agent_page(client, skills):
    person = UserFactory()
    UserSkill.objects.create(user=person, skill=skills["Procurement"], level=4)
    page = signed(client, person)
    form = html(page.get(reverse("talent:me")))
    assert "Apply to be a free agent" in form and "Send the application" in form
    refused = page.post(
        reverse("talent:me"),
        {"action": "apply", "statement": "", "available_from": days(5).isoformat()},
    )
    assert "Why you want to be a free agent: This field is required." in html(refused)
    assert f'value="{days(5).isoformat()}"' in html(refused)
    sent = page.post(
        reverse("talent:me"),
        {"action": "apply", "statement": "I map processes.", "available_from": days(5).isoformat()},
    )
    assert sent.status_code == 302
    waiting = html(page.get(reverse("talent:me")))
    assert "Being assessed" in waiting and "No step is recorded yet." in waiting
    assert "Send the application" not in waiting
    twice = page.post(
        reverse("talent:me"),
        {"action": "apply", "statement": "Again", "available_from": days(5).isoformat()},
    )
    assert "Your application is being assessed already." in html(twice)

    # The programme manager assesses and accepts it from the queue.
    pm = manager()
    page = signed(client, pm)
    queue = html(page.get(reverse("talent:application_list")))
    assert person.name in queue and "1 application" in queue
    application = person.free_agent_applications.get()
    detail_url = reverse("talent:application_detail", args=[application.pk])
    early = page.post(detail_url, {"action": "decide", "decision": "accept"})
    assert early.status_code == 409
    assert "An application is accepted after at least one assessment step" in html(early)
    no_reason = page.post(detail_url, {"action": "decide", "decision": "decline"})
    assert "Reason: This field is required." in html(no_reason)
    step = page.post(
        detail_url, {"action": "step", "kind": "interview", "outcome": "passed", "note": "Sharp."}
    )
    assert step.status_code == 302
    assert "Sharp." in html(page.get(detail_url))
    assert page.post(detail_url, {"action": "decide", "decision": "accept"}).status_code == 302
    assert "No application is waiting" in html(page.get(reverse("talent:application_list")))
    assert person.name in html(page.get(reverse("talent:application_list"), {"status": "all"}))

    # The person is a free agent now: the challenges that fit them are explained.
    challenge({skills["Procurement"]: 3, skills["User research"]: 2}, title="Tender in a week")
    page = signed(client, person)
    mine = html(page.get(reverse("talent:me")))
    assert "Your free agent page" in mine and "Tender in a week" in mine
    assert "1 of 2 skills at the level asked; missing: User research" in mine
    moved = page.post(
        reverse("talent:me"), {"action": "availability", "available_from": days(60).isoformat()}
    )
    assert moved.status_code == 302
    person.free_agent.refresh_from_db()
    assert person.free_agent.available_from == days(60)
    assert "Tender in a week" not in html(page.get(reverse("talent:me")))
    left = page.post(reverse("talent:me"), {"action": "withdraw"})
    assert left.status_code == 302
    person.free_agent.refresh_from_db()
    assert person.free_agent.status == AgentStatus.WITHDRAWN
    assert "You left Free Agents on" in html(page.get(reverse("talent:me")))
    assert page.post(reverse("talent:me"), {"action": "nonsense"}).status_code == 400


def test_an_agent_on_a_challenge_cannot_withdraw(client, asked):
    assignment = services.offer(by=asked["pm"], challenge=asked["challenge"], agent=asked["best"])
    services.accept(by=asked["best"].user, assignment=assignment)
    page = signed(client, asked["best"].user)
    refused = page.post(reverse("talent:me"), {"action": "withdraw"})
    assert refused.status_code == 409
    assert "a free agent on a challenge cannot withdraw" in html(refused)
    assert "govuk-error-summary" in html(refused)
