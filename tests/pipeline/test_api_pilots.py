"""The pilot API as other programs use it (docs/api.md, "Pipeline"): shapes, status codes and
the field each refusal names."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from innohub.pipeline import pilots
from innohub.pipeline.impact import impact
from innohub.pipeline.models import Pilot, Spend
from innohub.services.tcv import Tcv
from tests.factories import OrganisationFactory
from tests.pipeline.factories import IdeaFactory, MeasurementFactory, PilotFactory
from tests.services.factories import JourneyStepFactory, JsonApi

pytestmark = pytest.mark.django_db

PILOT_FIELDS = {
    "id", "title", "idea", "service", "area", "organisation", "lead", "mentor", "status",
    "budget", "spent", "currency", "budget_code", "annual_volume", "started_on", "ended_on",
    "replicates", "partner", "citizens_reached",
}  # fmt: skip


@pytest.fixture
def api(client):
    return lambda user: JsonApi(client, user)


def new_pilot(place, people, **fields):
    return {
        "title": "Land records at the union centre",
        "idea": IdeaFactory(service=place["service"]).pk,
        "area": "bd-13-s",
        "organisation": place["office"].pk,
        "mentor": people["mentor"].pk,
        "budget": "50000.00",
        "annual_volume": 12000,
        **fields,
    }


def test_a_new_pilot_is_a_draft_led_by_its_creator(api, place, people):
    response = api(people["lead"]).post("/pilots", new_pilot(place, people))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == PILOT_FIELDS
    assert body["status"] == "draft"
    assert body["lead"] == people["lead"].pk
    assert body["area"] == place["upazila"].pk  # the code, in any case
    assert body["service"] == place["service"].pk  # the idea's
    assert (body["budget"], body["spent"], body["currency"]) == ("50000.00", "0.00", "BDT")
    assert body["replicates"] is None and body["citizens_reached"] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mentor": "lead"}, "mentor"),
        ({"idea": 999999}, "idea"),
        ({"area": "NOWHERE"}, "area"),
        ({"organisation": 999999}, "organisation"),
        ({"mentor": 999999}, "mentor"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "1.001"}, "budget"),
        ({"budget": True}, "budget"),
        ({"title": ""}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"currency": "XXXX"}, "currency"),
        ({"annual_volume": -1}, "annual_volume"),
        ({"started_on": "2026-03-01", "ended_on": "2026-02-01"}, "ended_on"),
        ({"started_on": 20260301}, "started_on"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(api, place, people, fields, field):
    if fields.get("mentor") == "lead":
        fields = {"mentor": people["lead"].pk}
    response = api(people["lead"]).post("/pilots", new_pilot(place, people, **fields))
    assert response.status_code == 422, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Pilot.objects.exists()


def test_a_university_hosts_a_pilot_as_its_testbed(api, place, people):
    university = OrganisationFactory(
        name="University of Dhaka", kind="partner", partner_type="university", parent=None
    )
    made = api(people["lead"]).post("/pilots", new_pilot(place, people, partner=university.pk))
    assert made.status_code == 201 and made.json()["partner"] == university.pk
    not_a_partner = api(people["lead"]).post(
        "/pilots", new_pilot(place, people, partner=place["office"].pk)
    )
    assert not_a_partner.status_code == 422
    assert not_a_partner.json()["errors"][0]["field"] == "partner"
    pilot_id = made.json()["id"]
    removed = api(people["lead"]).patch(f"/pilots/{pilot_id}", {"partner": None})
    assert removed.status_code == 200 and removed.json()["partner"] is None
    again = api(people["lead"]).patch(f"/pilots/{pilot_id}", {"partner": university.pk})
    assert again.json()["partner"] == university.pk
    assert university.pilots_hosted.count() == 1


def test_naming_another_lead_needs_a_programme_manager(api, place, people):
    body = new_pilot(place, people, lead=people["stranger"].pk)
    assert api(people["lead"]).post("/pilots", body).status_code == 403
    response = api(people["manager"]).post("/pilots", body)
    assert response.status_code == 201
    assert response.json()["lead"] == people["stranger"].pk


def test_moves_through_the_api_and_their_timeline(api, make_pilot, people):
    pilot = make_pilot("draft")
    lead, manager = api(people["lead"]), api(people["manager"])
    assert (
        lead.post(f"/pilots/{pilot.pk}/transition", {"to": "submitted"}).json()["status"]
        == "submitted"
    )
    refused = lead.post(f"/pilots/{pilot.pk}/transition", {"to": "approved"})
    assert refused.status_code == 403
    assert "lead or mentor" in refused.json()["detail"]
    approved = manager.post(f"/pilots/{pilot.pk}/transition", {"to": "approved", "note": "Go."})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    illegal = lead.post(f"/pilots/{pilot.pk}/transition", {"to": "completed"})
    assert illegal.status_code == 409
    assert "approved" in illegal.json()["detail"] and "completed" in illegal.json()["detail"]
    unnoted = lead.post(f"/pilots/{pilot.pk}/transition", {"to": "discontinued"})
    assert unnoted.status_code == 422
    assert unnoted.json()["errors"][0]["field"] == "note"
    unknown = lead.post(f"/pilots/{pilot.pk}/transition", {"to": "abandoned"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "to"
    events = lead.get(f"/pilots/{pilot.pk}/events").json()
    assert [(e["from"], e["to"], e["by"], e["note"]) for e in events] == [
        ("draft", "submitted", people["lead"].pk, ""),
        ("submitted", "approved", people["manager"].pk, "Go."),
    ]
    assert events[0]["at"] <= events[1]["at"]


def test_unknown_pilots_are_404(api, people):
    caller = api(people["lead"])
    assert caller.get("/pilots/999999").status_code == 404
    assert caller.post("/pilots/999999/transition", {"to": "submitted"}).status_code == 404
    assert caller.get("/pilots/999999/impact").status_code == 404
    assert caller.get("/pilots/0/events").status_code == 422


def test_patch_changes_only_what_it_names(api, make_pilot, people):
    pilot = make_pilot("draft", budget_code="A2I-INNOV-01")
    response = api(people["lead"]).patch(
        f"/pilots/{pilot.pk}", {"budget": 2500, "annual_volume": 300, "mentor": None}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["budget"], body["annual_volume"], body["mentor"]) == ("2500.00", 300, None)
    assert body["budget_code"] == "A2I-INNOV-01" and body["title"] == pilot.title
    assert api(people["stranger"]).patch(f"/pilots/{pilot.pk}", {"title": "x"}).status_code == 403
    empty = api(people["lead"]).patch(f"/pilots/{pilot.pk}", {"title": None})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "title"


def test_patching_budget_after_the_end_is_409(api, make_pilot, people):
    pilot = make_pilot("completed")
    assert api(people["lead"]).patch(f"/pilots/{pilot.pk}", {"budget": "1"}).status_code == 409


def test_spend_answers_201_and_refuses_an_overspend_by_amount(api, make_pilot, people):
    pilot = make_pilot("approved", budget=Decimal("100.00"))
    today = timezone.localdate().isoformat()
    lead = api(people["lead"])
    first = lead.post(
        f"/pilots/{pilot.pk}/spend", {"amount": "60.50", "spent_on": today, "note": "Banners"}
    )
    assert first.status_code == 201
    assert {k: first.json()[k] for k in ("amount", "spent_on", "note")} == {
        "amount": "60.50",
        "spent_on": today,
        "note": "Banners",
    }
    over = lead.post(f"/pilots/{pilot.pk}/spend", {"amount": 40, "spent_on": today})
    assert over.status_code == 422
    assert over.json()["errors"][0]["field"] == "amount"
    assert "39.50" in over.json()["errors"][0]["message"]
    assert Spend.objects.count() == 1
    assert lead.get(f"/pilots/{pilot.pk}").json()["spent"] == "60.50"
    draft = make_pilot("draft", budget=Decimal("100.00"))
    assert (
        lead.post(f"/pilots/{draft.pk}/spend", {"amount": 1, "spent_on": today}).status_code == 409
    )


def test_risks_are_listed_by_score_then_age(api, make_pilot, people):
    pilot = make_pilot("ongoing")
    lead = api(people["lead"])
    for description, likelihood, impact_ in (("a", 2, 2), ("b", 3, 3), ("c", 1, 4), ("d", 5, 1)):
        response = lead.post(
            f"/pilots/{pilot.pk}/risks",
            {"description": description, "likelihood": likelihood, "impact": impact_,
             "exposure": "Ten offices", "course_correction": "Paper forms"},
        )  # fmt: skip
        assert response.status_code == 201
    listed = lead.get(f"/pilots/{pilot.pk}/risks").json()
    assert [(r["description"], r["score"]) for r in listed] == [
        ("b", 9),
        ("d", 5),
        ("a", 4),
        ("c", 4),
    ]
    bad = lead.post(
        f"/pilots/{pilot.pk}/risks", {"description": "x", "likelihood": 6, "impact": "2"}
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"likelihood", "impact"}


def journeys(pilot, phase, values):
    """Final journeys of one step each, measuring the pilot: (days, hours, cost, visits)."""
    for days, hours, cost, visits in values:
        measurement = MeasurementFactory(pilot=pilot, phase=phase)
        JourneyStepFactory(
            journey=measurement.journey,
            elapsed_days=Decimal(days),
            citizen_hours=Decimal(hours),
            fees=Decimal(cost),
            travel_cost=0,
            other_cost=0,
            visits=visits,
            documents=0,
        )


def test_impact_is_the_arithmetic_of_its_journeys(api, make_pilot, people):
    pilot = make_pilot("ongoing", annual_volume=40000)
    before = [("30", "12", "900", 4), ("26", "10", "700", 3), ("34", "15", "1100", 5)]
    after = [
        ("8", "3", "200", 1),
        ("10", "4", "260", 2),
        ("7", "2.5", "150", 1),
        ("9", "3", "180", 1),
    ]
    journeys(pilot, "baseline", before)
    journeys(pilot, "after", after)
    body = api(people["stranger"]).get(f"/pilots/{pilot.pk}/impact").json()

    def tcv(rows):
        return [
            Tcv(days=Decimal(d), hours=Decimal(h), cost=Decimal(c), visits=v) for d, h, c, v in rows
        ]

    expected = impact(tcv(before), tcv(after), annual_volume=40000)
    assert body["baseline"] == {
        "n": 3,
        "days": "30.00",
        "hours": "12.33",
        "cost": "900.00",
        "visits": "4.00",
    }
    assert body["after"]["n"] == 4
    assert body["reduction"]["visits"] == str(expected["reduction"]["visits"]) == "2.75"
    assert body["annual_savings"]["visits"] == "110000.00"
    assert body["ci95"]["days"] == [str(v) for v in expected["ci95"]["days"]]
    assert body["reduction_pct"]["cost"] == str(expected["reduction_pct"]["cost"])


def test_impact_leaves_out_draft_journeys(api, make_pilot, people):
    pilot = make_pilot("ongoing")
    journeys(pilot, "baseline", [("5", "1", "10", 2)])
    draft = MeasurementFactory(pilot=pilot, phase="baseline", journey__status="draft")
    JourneyStepFactory(journey=draft.journey, visits=9)
    body = api(people["lead"]).get(f"/pilots/{pilot.pk}/impact").json()
    assert body["baseline"]["n"] == 1 and body["baseline"]["visits"] == "2.00"
    assert body["after"]["n"] == 0 and body["ci95"]["visits"] is None


def test_the_pilot_list_is_one_query_a_page_and_filters(api, make_pilot, place, people):
    for status in ("draft", "ongoing", "ongoing", "completed"):
        make_pilot(status)
    elsewhere = PilotFactory(area=place["other_district"], organisation=place["other_ministry"])
    caller = api(people["stranger"])
    caller.get("/pilots")  # the token's first use is written down once
    # the token with its person, the count, the page: however long the page
    with CaptureQueriesContext(connection) as few:
        body = caller.get("/pilots", page_size=2).json()
    with CaptureQueriesContext(connection) as more:
        caller.get("/pilots", page_size=50).json()
    assert len(few) == len(more) == 3, [q["sql"] for q in more.captured_queries]
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]
    assert caller.get("/pilots", status="ongoing").json()["count"] == 2
    assert caller.get("/pilots", area="BD-13").json()["count"] == 4
    assert caller.get("/pilots", organisation=place["ministry"].pk).json()["count"] == 4
    assert [p["id"] for p in caller.get("/pilots", area="bd-27").json()["results"]] == [
        elsewhere.pk
    ]
    assert caller.get("/pilots", area="NOWHERE").status_code == 422
    following = caller.get("/pilots", cursor=body["next"], page_size=2).json()
    assert {p["id"] for p in following["results"]}.isdisjoint({p["id"] for p in body["results"]})


def test_lessons_list_by_outcome_and_text(api, make_pilot, people):
    done, stopped = make_pilot("completed"), make_pilot("ongoing")
    pilots.add_lesson(
        by=people["lead"], pilot=done, text="Union digital centres need power backup."
    )
    pilots.move(
        by=people["lead"], pilot=stopped, to="discontinued", note="নাগরিকদের মোবাইল ফোন ছিল না।"
    )
    caller = api(people["stranger"])
    everything = caller.get("/lessons").json()
    assert everything["count"] == 2
    assert everything["results"][0]["outcome"] == "discontinued"  # newest first
    assert caller.get("/lessons", outcome="completed").json()["results"][0]["pilot"] == done.pk
    found = caller.get("/lessons", q="মোবাইল").json()["results"]
    assert [lesson["pilot"] for lesson in found] == [stopped.pk]
    assert [lesson["pilot"] for lesson in caller.get("/lessons", q="power").json()["results"]] == [
        done.pk
    ]
    assert caller.get("/lessons", outcome="ongoing").status_code == 422


def test_lessons_by_who_may(api, make_pilot, people):
    pilot = make_pilot("completed")
    assert (
        api(people["stranger"]).post(f"/pilots/{pilot.pk}/lessons", {"text": "x"}).status_code
        == 403
    )
    made = api(people["mentor"]).post(f"/pilots/{pilot.pk}/lessons", {"text": "Start small."})
    assert made.status_code == 201 and made.json()["outcome"] == "completed"
    blank = api(people["lead"]).post(f"/pilots/{pilot.pk}/lessons", {"text": ""})
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "text"


def test_a_spend_day_in_the_future_is_refused(api, make_pilot, people):
    pilot = make_pilot("approved", budget=Decimal("10"))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = api(people["lead"]).post(
        f"/pilots/{pilot.pk}/spend", {"amount": 1, "spent_on": tomorrow}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "spent_on"
