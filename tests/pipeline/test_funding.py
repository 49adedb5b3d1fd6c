"""The innovation fund: a call's budget arithmetic and dates, a proposal's stages, assessor
rules (not assigned, proposer, twice), mean scores and spread, awards into a pilot's budget."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from innohub.accounts.models import Notification
from innohub.pipeline import funding
from innohub.pipeline.models import FundingCall, Pilot, Proposal, Review
from tests.factories import UserFactory
from tests.pipeline.factories import FundingCallFactory, IdeaFactory
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db

SCORES = {"impact": 4, "feasibility": 3, "replicability": 5, "value_for_money": 4}


def errors_of(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


@pytest.fixture
def call(place, people):
    return FundingCallFactory(organisation=place["ministry"], by=people["manager"])


@pytest.fixture
def proposal(call, place, people):
    idea = IdeaFactory(service=place["service"], proposer=people["lead"])
    return funding.propose(
        by=people["lead"], call=call, idea=idea, requested="50000", summary="Fewer visits."
    )


def test_a_programme_manager_opens_a_call(client, place, people):
    body = {
        "title": "Service Innovation Fund, round 8",
        "organisation": place["ministry"].pk,
        "budget": "2500000.00",
        "currency": "BDT",
        "opens_on": "2026-12-01",
        "closes_on": "2027-01-31",
        "criteria": "Services used by the poorest citizens.",
    }
    response = JsonApi(client, people["manager"]).post("/funding-calls", body)
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["budget"], made["awarded"], made["remaining"], made["proposals"]) == (
        "2500000.00", "0.00", "2500000.00", 0,
    )  # fmt: skip
    assert JsonApi(client, people["lead"]).post("/funding-calls", body).status_code == 403
    backwards = JsonApi(client, people["manager"]).post(
        "/funding-calls", {**body, "closes_on": "2026-11-01"}
    )
    assert backwards.status_code == 422 and "closes_on" in errors_of(backwards)
    unknown = JsonApi(client, people["manager"]).post("/funding-calls", {**body, "currency": "XYZ"})
    assert unknown.status_code == 422 and "currency" in errors_of(unknown)
    assert FundingCall.objects.count() == 1


def test_a_proposal_moves_through_its_stages(client, call, place, people):
    idea = IdeaFactory(service=place["service"], proposer=people["lead"])
    lead, manager = JsonApi(client, people["lead"]), JsonApi(client, people["manager"])
    response = lead.post(
        f"/funding-calls/{call.pk}/proposals",
        {"idea": idea.pk, "requested": "80000", "summary": "One visit instead of three."},
    )
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["status"], made["mean_score"], made["reviews"]) == ("submitted", None, 0)
    pk = made["id"]
    assigned = manager.post(f"/proposals/{pk}/assessors", {"user": people["mentor"].pk})
    assert assigned.status_code == 200 and assigned.json()["status"] == "in_review"
    assert Notification.objects.filter(user=people["mentor"], kind="proposal_to_assess").exists()
    awarded = manager.post(f"/proposals/{pk}/award", {"amount": "75000"})
    assert awarded.status_code == 200, awarded.json()
    assert (awarded.json()["status"], awarded.json()["amount"]) == ("awarded", "75000.00")
    assert lead.get(f"/proposals/{pk}").json()["status"] == "awarded"
    assert Notification.objects.filter(user=people["lead"], kind="proposal_awarded").exists()
    assert lead.get(f"/funding-calls/{call.pk}").json()["proposals"] == 1


def test_proposals_only_while_the_call_is_open_and_once_an_idea(client, call, place, people):
    idea = IdeaFactory(service=place["service"], proposer=people["lead"])
    lead = JsonApi(client, people["lead"])
    body = {"idea": idea.pk, "requested": "1000", "summary": "Less waiting."}
    today = timezone.localdate()
    later = FundingCallFactory(opens_on=today + datetime.timedelta(days=1))
    closed = FundingCallFactory(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1)
    )
    assert lead.post(f"/funding-calls/{later.pk}/proposals", body).status_code == 409
    assert lead.post(f"/funding-calls/{closed.pk}/proposals", body).status_code == 409
    assert lead.post(f"/funding-calls/{call.pk}/proposals", body).status_code == 201
    assert lead.post(f"/funding-calls/{call.pk}/proposals", body).status_code == 409
    stranger = JsonApi(client, people["stranger"])
    assert stranger.post(f"/funding-calls/{call.pk}/proposals", body).status_code == 403
    assert Proposal.objects.count() == 1


def test_a_proposal_naming_another_ideas_pilot_is_refused(client, call, make_pilot, people):
    other = make_pilot("ongoing")
    idea = IdeaFactory(proposer=people["lead"])
    response = JsonApi(client, people["lead"]).post(
        f"/funding-calls/{call.pk}/proposals",
        {"idea": idea.pk, "pilot": other.pk, "requested": "1000", "summary": "More."},
    )
    assert response.status_code == 422 and "pilot" in errors_of(response)
    empty = JsonApi(client, people["lead"]).post(
        f"/funding-calls/{call.pk}/proposals", {"idea": idea.pk, "requested": "0", "summary": ""}
    )
    assert empty.status_code == 422 and {"summary"} <= set(errors_of(empty))


def test_assessor_rules(client, proposal, people):
    manager = JsonApi(client, people["manager"])
    # The idea's proposer is never an assessor.
    response = manager.post(f"/proposals/{proposal.pk}/assessors", {"user": people["lead"].pk})
    assert response.status_code == 422 and "user" in errors_of(response)
    # Only the fund's managers assign.
    lead = JsonApi(client, people["lead"])
    assert (
        lead.post(f"/proposals/{proposal.pk}/assessors", {"user": people["mentor"].pk}).status_code
        == 403
    )
    # Someone not assigned may not review; the proposer never.
    assert (
        JsonApi(client, people["stranger"])
        .post(f"/proposals/{proposal.pk}/reviews", SCORES)
        .status_code
        == 403
    )
    assert lead.post(f"/proposals/{proposal.pk}/reviews", SCORES).status_code == 403
    # An assessor reviews once.
    manager.post(f"/proposals/{proposal.pk}/assessors", {"user": people["mentor"].pk})
    assessor = JsonApi(client, people["mentor"])
    first = assessor.post(f"/proposals/{proposal.pk}/reviews", SCORES)
    assert first.status_code == 201, first.json()
    assert assessor.post(f"/proposals/{proposal.pk}/reviews", SCORES).status_code == 409
    assert Review.objects.filter(proposal=proposal).count() == 1
    # Scores are whole numbers from 1 to 5, each named when wrong.
    manager.post(f"/proposals/{proposal.pk}/assessors", {"user": people["stranger"].pk})
    bad = JsonApi(client, people["stranger"]).post(
        f"/proposals/{proposal.pk}/reviews", {**SCORES, "impact": 6, "feasibility": "3"}
    )
    assert bad.status_code == 422 and {"impact", "feasibility"} <= set(errors_of(bad))


def test_the_mean_score_is_the_mean_of_each_reviews_mean_rounded_half_up(proposal, people):
    assessors = [UserFactory() for _ in range(3)]
    for person in assessors:
        funding.assign_assessor(by=people["manager"], proposal=proposal, user=person)
    # Review means 4.00, 3.25 and 3.00: their mean 3.4166… is 3.42; spread 1.00.
    for person, scores in zip(
        assessors,
        [(4, 4, 4, 4), (3, 3, 4, 3), (3, 3, 3, 3)],
        strict=True,
    ):
        funding.review(
            by=person, proposal=proposal, **dict(zip(funding.CRITERIA, scores, strict=True))
        )
    proposal.refresh_from_db()
    assert (proposal.reviews, proposal.mean_score, proposal.spread) == (
        3, Decimal("3.42"), Decimal("1.00"),
    )  # fmt: skip


def test_half_up_rounding_of_a_mean_ending_in_five(proposal, people):
    # Two reviews of means 3.25 and 3.00: 3.125 rounds half up to 3.13 (not banker's 3.12).
    first, second = UserFactory(), UserFactory()
    for person, scores in ((first, (4, 3, 3, 3)), (second, (3, 3, 3, 3))):
        funding.assign_assessor(by=people["manager"], proposal=proposal, user=person)
        funding.review(
            by=person, proposal=proposal, **dict(zip(funding.CRITERIA, scores, strict=True))
        )
    proposal.refresh_from_db()
    assert proposal.mean_score == Decimal("3.13")


def test_the_ranked_table_puts_the_best_first_and_unreviewed_last(client, call, place, people):
    ideas = [IdeaFactory(service=place["service"], proposer=people["lead"]) for _ in range(3)]
    made = [
        funding.propose(by=people["lead"], call=call, idea=idea, requested="10", summary="s")
        for idea in ideas
    ]
    assessor = people["mentor"]
    for proposal, mark in ((made[0], 2), (made[1], 5)):
        funding.assign_assessor(by=people["manager"], proposal=proposal, user=assessor)
        funding.review(by=assessor, proposal=proposal, **dict.fromkeys(funding.CRITERIA, mark))
    api = JsonApi(client, people["stranger"])
    rows = api.get(f"/funding-calls/{call.pk}/proposals").json()["results"]
    assert [(row["id"], row["mean_score"]) for row in rows] == [
        (made[1].pk, "5.00"), (made[0].pk, "2.00"), (made[2].pk, None),
    ]  # fmt: skip


def test_awards_stay_within_the_calls_remaining_budget(client, place, people):
    call = FundingCallFactory(budget=Decimal("100000"), by=people["manager"])
    ideas = [IdeaFactory(service=place["service"], proposer=people["lead"]) for _ in range(3)]
    first, second, third = (
        funding.propose(by=people["lead"], call=call, idea=idea, requested="50000", summary="s")
        for idea in ideas
    )
    manager = JsonApi(client, people["manager"])
    assert manager.post(f"/proposals/{first.pk}/award", {"amount": "60000"}).status_code == 200
    over = manager.post(f"/proposals/{second.pk}/award", {"amount": "40000.01"})
    assert over.status_code == 422 and "amount" in errors_of(over)
    assert "40000.00" in errors_of(over)["amount"]
    assert manager.post(f"/proposals/{second.pk}/award", {"amount": "40000"}).status_code == 200
    assert manager.post(f"/proposals/{first.pk}/award", {"amount": "1"}).status_code == 409
    assert manager.post(f"/proposals/{third.pk}/award", {"amount": "0.01"}).status_code == 422
    call.refresh_from_db()
    assert (call.awarded, call.remaining) == (Decimal("100000.00"), Decimal("0.00"))
    declined = manager.post(f"/proposals/{third.pk}/decline", {"note": "The fund is spent."})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert declined.json()["decision_note"] == "The fund is spent."
    assert manager.post(f"/proposals/{third.pk}/award", {"amount": "1"}).status_code == 409
    assert manager.post(f"/proposals/{third.pk}/decline", {"note": "Again."}).status_code == 409


def test_a_decline_needs_a_note_and_a_manager(client, proposal, people):
    manager = JsonApi(client, people["manager"])
    empty = manager.post(f"/proposals/{proposal.pk}/decline", {"note": " "})
    assert empty.status_code == 422 and "note" in errors_of(empty)
    assert (
        JsonApi(client, people["lead"])
        .post(f"/proposals/{proposal.pk}/decline", {"note": "No."})
        .status_code
        == 403
    )
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_an_award_to_a_proposal_naming_a_pilot_adds_to_its_budget(client, call, make_pilot, people):
    pilot = make_pilot("approved", budget=Decimal("10000"))
    proposal = funding.propose(
        by=people["lead"], call=call, idea=pilot.idea, pilot=pilot, requested="5000", summary="s"
    )
    response = JsonApi(client, people["manager"]).post(
        f"/proposals/{proposal.pk}/award", {"amount": "5000"}
    )
    assert response.status_code == 200, response.json()
    assert JsonApi(client, people["lead"]).get(f"/pilots/{pilot.pk}").json()["budget"] == "15000.00"


def test_an_award_in_another_currency_than_the_pilots_is_refused(client, call, make_pilot, people):
    pilot = make_pilot("approved", budget=Decimal("100"), currency="EUR")
    proposal = funding.propose(
        by=people["lead"], call=call, idea=pilot.idea, pilot=pilot, requested="50", summary="s"
    )
    response = JsonApi(client, people["manager"]).post(
        f"/proposals/{proposal.pk}/award", {"amount": "50"}
    )
    assert response.status_code == 422 and "amount" in errors_of(response)
    pilot.refresh_from_db()
    call.refresh_from_db()
    assert (pilot.budget, call.awarded) == (Decimal("100.00"), Decimal("0.00"))
    assert Pilot.objects.get(pk=pilot.pk).budget == Decimal("100.00")


def test_reviews_are_read_by_the_funds_managers_and_assessors_only(client, proposal, people):
    funding.assign_assessor(by=people["manager"], proposal=proposal, user=people["mentor"])
    funding.review(by=people["mentor"], proposal=proposal, **SCORES)
    assert (
        JsonApi(client, people["manager"])
        .get(f"/proposals/{proposal.pk}/reviews")
        .json()[0]["impact"]
        == 4
    )
    assert (
        JsonApi(client, people["mentor"]).get(f"/proposals/{proposal.pk}/reviews").status_code
        == 200
    )
    assert (
        JsonApi(client, people["lead"]).get(f"/proposals/{proposal.pk}/reviews").status_code == 403
    )
