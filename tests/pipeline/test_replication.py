"""Replication (Pipeline II's first piece): a completed pilot tried in other areas, its
family tree over three generations, and the areas where the burden is still measured."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from innohub.geo.models import Level
from innohub.pipeline.models import Pilot
from tests.factories import AreaFactory
from tests.pipeline.factories import MeasurementFactory
from tests.services.factories import API_STEP, JourneyFactory, JourneyStepFactory, JsonApi

pytestmark = pytest.mark.django_db


@pytest.fixture
def upazilas(place):
    return [
        AreaFactory(code=f"BD-13-{n}", level=Level.SUBDISTRICT, parent=place["district"])
        for n in range(4)
    ]


def test_a_completed_pilot_is_replicated_as_a_draft_copy(client, make_pilot, people, upazilas):
    original = make_pilot("completed", budget=Decimal("900"), annual_volume=5000)
    api = JsonApi(client, people["lead"])
    response = api.post(f"/pilots/{original.pk}/replications",
                        {"area": upazilas[0].code, "lead": people["stranger"].pk})  # fmt: skip
    assert response.status_code == 201, response.json()
    copy = response.json()
    assert (copy["status"], copy["replicates"], copy["lead"], copy["mentor"]) == (
        "draft", original.pk, people["stranger"].pk, None,
    )  # fmt: skip
    assert (copy["budget"], copy["annual_volume"], copy["title"]) == ("0.00", 5000, original.title)
    assert copy["idea"] == original.idea_id and copy["organisation"] == original.organisation_id


def test_replication_refusals(client, make_pilot, people, upazilas):
    ongoing, done = make_pilot("ongoing"), make_pilot("completed")
    body = {"area": upazilas[0].pk, "lead": people["lead"].pk}
    lead = JsonApi(client, people["lead"])
    assert lead.post(f"/pilots/{ongoing.pk}/replications", body).status_code == 409
    same = lead.post(f"/pilots/{done.pk}/replications", {**body, "area": done.area_id})
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "area"
    assert (
        JsonApi(client, people["stranger"])
        .post(f"/pilots/{done.pk}/replications", body)
        .status_code
        == 403
    )
    assert lead.post(f"/pilots/{done.pk}/replications", {**body, "lead": 999999}).status_code == 422
    assert Pilot.objects.filter(replicates__isnull=False).count() == 0


def test_the_family_tree_over_three_generations(client, make_pilot, people, upazilas):
    root = make_pilot("completed")
    child = make_pilot("completed", replicates=root, area=upazilas[0])
    grandchild = make_pilot("draft", replicates=child, area=upazilas[1])
    sibling = make_pilot("ongoing", replicates=root, area=upazilas[2])
    tree = JsonApi(client, people["stranger"]).get(f"/pilots/{grandchild.pk}/family").json()
    assert tree == {
        "id": root.pk, "area": root.area_id, "status": "completed",
        "replications": [
            {"id": child.pk, "area": upazilas[0].pk, "status": "completed", "replications": [
                {"id": grandchild.pk, "area": upazilas[1].pk, "status": "draft", "replications": []},
            ]},
            {"id": sibling.pk, "area": upazilas[2].pk, "status": "ongoing", "replications": []},
        ],
    }  # fmt: skip


def _journey(service, area, visits, days="10", *, linked_to=None):
    journey = JourneyFactory(service=service, area=area)
    JourneyStepFactory(journey=journey, visits=visits, elapsed_days=Decimal(days), fees=100,
                       travel_cost=0, other_cost=0)  # fmt: skip
    if linked_to is not None:
        MeasurementFactory(pilot=linked_to, journey=journey)
    return journey


def test_candidates_are_unmeasured_areas_outside_the_family_by_visits_then_days(
    client, make_pilot, place, people, upazilas
):
    service = place["service"]
    pilot = make_pilot("completed")  # in BD-13-S, a subdistrict
    family_member = make_pilot("draft", replicates=pilot, area=upazilas[3])
    union = AreaFactory(code="BD-13-0-U", level=Level.UNION, parent=upazilas[0])
    _journey(service, union, 4, "20")  # counts under its subdistrict, upazilas[0]
    _journey(service, upazilas[0], 2, "10")
    _journey(service, upazilas[1], 3, "5")
    _journey(service, upazilas[2], 3, "9")
    _journey(service, upazilas[3], 9)  # the family is there already
    _journey(service, place["upazila"], 9)  # the pilot's own area
    _journey(service, upazilas[1], 9, linked_to=family_member)  # counts for a pilot
    body = (
        JsonApi(client, people["stranger"]).get(f"/pilots/{pilot.pk}/replication-candidates").json()
    )
    assert body == [
        {"area": upazilas[0].pk, "n": 2, "days": "15.00", "visits": "3.00", "cost": "100.00"},
        {"area": upazilas[2].pk, "n": 1, "days": "9.00", "visits": "3.00", "cost": "100.00"},
        {"area": upazilas[1].pk, "n": 1, "days": "5.00", "visits": "3.00", "cost": "100.00"},
    ]


def test_candidates_follow_journeys_recorded_and_linked_after_a_first_look(
    client, make_pilot, place, people, upazilas
):
    """The sums per area are cached per version of the service's journeys: recording a
    journey, and linking it to a pilot, each make a new version."""
    done = make_pilot("completed")
    other = make_pilot("ongoing", area=upazilas[0], started_on=datetime.date(2025, 6, 1))
    api = JsonApi(client, people["lead"])
    url = f"/pilots/{done.pk}/replication-candidates"
    assert api.get(url).json() == []
    made = api.post(
        "/journeys",
        {"service": place["service"].pk, "area": upazilas[0].code, "observed_on": "2025-05-20",
         "method": "secret_shopper", "steps": [API_STEP]},
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    assert [row["area"] for row in api.get(url).json()] == [upazilas[0].pk]
    linked = api.patch(f"/journeys/{made.json()['id']}", {"phase": "baseline", "pilot": other.pk})
    assert linked.status_code == 200, linked.json()
    assert api.get(url).json() == []
