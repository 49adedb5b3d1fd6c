from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from innohub.accounts.models import TeamMembership
from innohub.core import roles
from innohub.geo.models import Level
from innohub.services.models import Journey
from tests.factories import AreaFactory, InnovationTeamFactory, OrganisationFactory, ProfileFactory
from tests.geo.conftest import person_in
from tests.services.factories import (
    API_STEP,
    JourneyFactory,
    JourneyPainPointFactory,
    JourneyStepFactory,
    JsonApi,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

STEP = dict(API_STEP)


@pytest.fixture
def api(client):
    return lambda user: JsonApi(client, user)


@pytest.fixture
def place():
    country = AreaFactory(code="BD", hourly_wage=Decimal("50"), wage_currency="BDT")
    district = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=country)
    upazila = AreaFactory(code="BD-13-S", level=Level.SUBDISTRICT, parent=district)
    ministry = OrganisationFactory(area=country)
    office = OrganisationFactory(parent=ministry, kind="office", area=upazila)
    return {
        "country": country,
        "district": district,
        "upazila": upazila,
        "ministry": ministry,
        "service": ServiceFactory(organisation=office),
    }


def body(place, **fields):
    return {
        "service": place["service"].pk,
        "area": "BD-13-S",
        "observed_on": "2025-02-01",
        "method": "secret_shopper",
        "steps": [STEP, STEP],
        **fields,
    }


def test_any_civil_servant_records_a_journey_with_tcv_and_opportunity_cost(api, place):
    observer = person_in(roles.CIVIL_SERVANT)
    response = api(observer).post("/journeys", body(place, ref="J-1"))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["observer"] == observer.pk
    assert data["area"] == place["upazila"].pk
    assert (data["status"], data["phase"], data["pilot"]) == ("final", "none", None)
    assert data["tcv"] == {
        "days": "5.00",
        "hours": "8.00",
        "cost": "281.00",
        "visits": 4,
        "documents": 6,
    }
    assert data["opportunity_cost"] == "400.00"  # 8 hours at the country's 50 an hour


def field_errors(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"steps": [STEP, {**STEP, "visits": -1}]}, "steps.1.visits"),
        ({"steps": [{**STEP, "fees": None}]}, "steps.0.fees"),
        ({"steps": [{**STEP, "visits": True}]}, "steps.0.visits"),
        ({"steps": [{**STEP, "documents": 10_001}]}, "steps.0.documents"),
        ({"steps": [{**STEP, "elapsed_days": "100000"}]}, "steps.0.elapsed_days"),
        ({"steps": [{**STEP, "citizen_hours": False}]}, "steps.0.citizen_hours"),
        ({"steps": [{**STEP, "title": "x\x00"}]}, "steps.0.title"),
        ({"observed_on": TOMORROW}, "observed_on"),
        ({"observed_on": 20250101}, "observed_on"),
        ({"steps": []}, "steps"),
        ({"phase": "baseline"}, "pilot"),  # the baseline of no pilot
        ({"pilot": 3}, "phase"),  # a pilot, but the phase "none"
        ({"ref": "id:12"}, "ref"),
        ({"area": "NOWHERE"}, "area"),
        ({"service": 999999}, "service"),
        ({"service": True}, "service"),
    ],
)
def test_bad_journeys_are_422_naming_the_field(api, place, fields, field):
    response = api(person_in(roles.CIVIL_SERVANT)).post("/journeys", body(place, **fields))
    assert response.status_code == 422
    assert field in field_errors(response), response.json()
    assert Journey.objects.count() == 0


def test_a_draft_needs_no_steps_and_finishing_it_needs_one(api, place):
    client = api(person_in(roles.CIVIL_SERVANT))
    draft = client.post("/journeys", body(place, status="draft", steps=[])).json()
    assert draft["status"] == "draft"
    assert client.post(f"/journeys/{draft['id']}/finish").status_code == 422
    appended = client.post(f"/journeys/{draft['id']}/steps", STEP)
    assert appended.status_code == 201
    finished = client.post(f"/journeys/{draft['id']}/finish")
    assert finished.status_code == 200
    assert finished.json()["status"] == "final"
    assert client.post(f"/journeys/{draft['id']}/finish").status_code == 409


def test_the_observer_edits_their_own_journey(api, place):
    journey = JourneyStepFactory(
        journey__service=place["service"], journey__area=place["upazila"]
    ).journey
    response = api(journey.observer).patch(f"/journeys/{journey.pk}", {"notes": "Rainy day"})
    assert response.status_code == 200
    assert response.json()["notes"] == "Rainy day"


def test_another_civil_servant_gets_403(api, place):
    journey = JourneyStepFactory(
        journey__service=place["service"], journey__area=place["upazila"]
    ).journey
    client = api(person_in(roles.CIVIL_SERVANT))
    assert client.patch(f"/journeys/{journey.pk}", {"notes": "x"}).status_code == 403
    assert client.put(f"/journeys/{journey.pk}", body(place)).status_code == 403
    assert client.get(f"/journeys/{journey.pk}").status_code == 200


def test_a_team_member_within_the_area_edits(api, place):
    journey = JourneyStepFactory(
        journey__service=place["service"], journey__area=place["upazila"]
    ).journey
    member = person_in(roles.TEAM_MEMBER)
    TeamMembership.objects.create(team=InnovationTeamFactory(area=place["district"]), user=member)
    response = api(member).put(f"/journeys/{journey.pk}", body(place, steps=[STEP]))
    assert response.status_code == 200, response.json()
    assert response.json()["tcv"]["visits"] == 2


def test_a_manager_within_the_organisation_edits(api, place):
    journey = JourneyStepFactory(
        journey__service=place["service"], journey__area=place["upazila"]
    ).journey
    manager = person_in(roles.PROGRAMME_MANAGER)
    ProfileFactory(user=manager, organisation=place["ministry"])
    response = api(manager).patch(f"/journeys/{journey.pk}", {"method": "citizen_interview"})
    assert response.status_code == 200
    assert response.json()["method"] == "citizen_interview"


def test_patch_refuses_pilot_and_steps_errors_keep_their_path(api, place):
    journey = JourneyStepFactory(
        journey__service=place["service"], journey__area=place["upazila"]
    ).journey
    client = api(journey.observer)
    assert field_errors(client.patch(f"/journeys/{journey.pk}", {"pilot": 1})) == ["phase"]
    response = client.patch(f"/journeys/{journey.pk}", {"steps": [STEP, {**STEP, "visits": 1.5}]})
    assert field_errors(response) == ["steps.1.visits"]
    assert client.patch(f"/journeys/{journey.pk}", {"steps": []}).status_code == 422
    assert journey.steps.count() == 1


def test_unknown_journey_is_404(api):
    assert api(person_in(roles.CIVIL_SERVANT)).get("/journeys/999999").status_code == 404


def test_journey_list_filters(api, place):
    for index in range(6):
        journey = JourneyFactory(
            service=place["service"],
            area=place["upazila"] if index % 2 else place["country"],
            observed_on=datetime.date(2025, 1, 1 + index),
        )
        JourneyPainPointFactory.create_batch(2, journey_step__journey=journey)
        JourneyStepFactory(journey=journey)
    JourneyFactory(status="draft", service=place["service"], area=place["upazila"])
    client = api(person_in(roles.CIVIL_SERVANT))
    response = client.get("/journeys", area="BD-13", status="final")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    first = response.json()["results"][0]
    assert first["observed_on"] == "2025-01-06"
    assert first["opportunity_cost"] == "450.00"  # 3 steps * 3 hours * 50 an hour
    assert [len(s["pain_points"]) for s in first["steps"]] == [1, 1, 0]
    assert (
        client.get("/journeys", observed_from="2025-01-03", observed_to="2025-01-04").json()[
            "count"
        ]
        == 2
    )
    assert client.get("/journeys", method="telepathy").status_code == 422


def observed_with_steps(place, *, steps: int) -> Journey:
    journey = JourneyFactory(service=place["service"], area=place["upazila"])
    for _ in range(steps):
        JourneyPainPointFactory(journey_step=JourneyStepFactory(journey=journey))
    return journey


def test_journey_list_takes_the_same_queries_for_2_journeys_as_for_12(
    api, place, django_assert_num_queries
):
    for _ in range(2):
        observed_with_steps(place, steps=1)
    client = api(person_in(roles.CIVIL_SERVANT))
    client.get("/journeys")  # the token's first use is written once a minute: count what follows
    # token (with its person), the area filter, count, page (with service, area, observer),
    # the nearest wages of the page's areas (one query, not a subquery per row), steps, pain
    # points
    with django_assert_num_queries(7):
        small = client.get("/journeys", area="BD-13", status="final")
    assert small.json()["count"] == 2
    for _ in range(10):
        observed_with_steps(place, steps=4)
    with django_assert_num_queries(7):
        large = client.get("/journeys", area="BD-13", status="final")
    assert large.json()["count"] == 12
    assert {len(journey["steps"]) for journey in large.json()["results"]} == {1, 4}


def test_the_tcv_distribution_of_final_journeys(api, place):
    for index, days in enumerate(["1", "2", "3", "10"]):
        journey = JourneyFactory(
            service=place["service"],
            area=place["upazila"],
            observed_on=datetime.date(2025, 1, 1 + index),
        )
        JourneyStepFactory(
            journey=journey,
            elapsed_days=Decimal(days),
            citizen_hours=1,
            fees=0,
            travel_cost=Decimal("20"),
            visits=index,
        )
    client = api(person_in(roles.CIVIL_SERVANT))
    response = client.get(f"/services/{place['service'].pk}/tcv", area="BD-13")
    assert response.status_code == 200
    assert response.json() == {
        "n": 4,
        "days": {"mean": "4.00", "median": "2.50", "p90": "7.90"},
        "hours": {"mean": "1.00", "median": "1.00", "p90": "1.00"},
        "cost": {"mean": "20.00", "median": "20.00", "p90": "20.00"},
        # visits 0, 1, 2, 3: p90 = 2 + 0.7 * 1
        "visits": {"mean": "1.50", "median": "1.50", "p90": "2.70"},
        "opportunity_cost": {"mean": "50.00", "median": "50.00", "p90": "50.00"},
    }
    empty = client.get(f"/services/{place['service'].pk}/tcv", observed_from="2030-01-01").json()
    assert empty == {
        "n": 0,
        "days": None,
        "hours": None,
        "cost": None,
        "visits": None,
        "opportunity_cost": None,
    }
