"""A journey counts for a pilot as its baseline or after (docs/api.md, "The journey API with
pilots"): through the journey API, the file import and the export, with the pilot's rules —
its service, its area or below, the right side of `started_on`, and who may link."""

from __future__ import annotations

import datetime

import pytest

from innohub.pipeline.models import Measurement
from innohub.services import exporter
from innohub.services.importer import import_journeys
from innohub.services.models import Journey
from tests.services.factories import API_STEP, JsonApi
from tests.services.test_import import csv_file, errors_of, row

pytestmark = pytest.mark.django_db

STARTED = datetime.date(2025, 6, 1)


@pytest.fixture
def pilot(make_pilot):
    return make_pilot("ongoing", started_on=STARTED)


def journey(place, the_pilot, phase, **fields):
    return {
        "service": place["service"].pk,
        "area": "BD-13-S",
        "observed_on": "2025-05-20" if phase == "baseline" else "2025-07-01",
        "method": "secret_shopper",
        "steps": [API_STEP],
        "phase": phase,
        "pilot": the_pilot.pk,
        **fields,
    }


@pytest.mark.parametrize("who", ["lead", "mentor", "team_member", "manager", "administrator"])
def test_who_may_counts_a_journey_for_the_pilot(client, place, pilot, people, who):
    response = JsonApi(client, people[who]).post("/journeys", journey(place, pilot, "baseline"))
    assert response.status_code == 201, response.json()
    assert (response.json()["phase"], response.json()["pilot"]) == ("baseline", pilot.pk)
    assert Measurement.objects.get().pilot == pilot


@pytest.mark.parametrize("who", ["stranger", "far_manager"])
def test_others_are_403_and_nothing_is_written(client, place, pilot, people, who):
    response = JsonApi(client, people[who]).post("/journeys", journey(place, pilot, "after"))
    assert response.status_code == 403
    assert not Journey.objects.exists() and not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("phase", "fields", "field"),
    [
        ("baseline", {"observed_on": "2025-06-02"}, "observed_on"),  # after the start
        ("after", {"observed_on": "2025-05-31"}, "observed_on"),  # before the start
        ("after", {"area": "BD-27"}, "area"),  # outside the pilot's area
        ("after", {"area": "BD-13"}, "area"),  # above it
        ("baseline", {"pilot": 999999}, "pilot"),
        ("none", {}, "phase"),  # a pilot named, but counting for none
        ("baseline", {"pilot": None}, "pilot"),
    ],
)
def test_journeys_on_the_wrong_side_or_place_are_422(
    client, place, pilot, people, phase, fields, field
):
    response = JsonApi(client, people["lead"]).post(
        "/journeys", journey(place, pilot, phase, **fields)
    )
    assert response.status_code == 422, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Journey.objects.exists()


def test_a_journey_of_another_service_is_422_naming_service(client, place, pilot, people):
    from tests.services.factories import ServiceFactory

    other = ServiceFactory(organisation=place["office"])
    body = journey(place, pilot, "baseline", service=other.pk)
    response = JsonApi(client, people["lead"]).post("/journeys", body)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["service"]


def test_the_start_day_itself_is_either_side(client, place, pilot, people):
    api = JsonApi(client, people["lead"])
    for phase in ("baseline", "after"):
        body = journey(place, pilot, phase, observed_on=STARTED.isoformat())
        assert api.post("/journeys", body).status_code == 201


def test_without_a_start_any_day_will_do(client, place, make_pilot, people):
    pilot = make_pilot("approved")
    api = JsonApi(client, people["lead"])
    assert (
        api.post("/journeys", journey(place, pilot, "after", observed_on="2024-01-01")).status_code
        == 201
    )


def test_journeys_filter_by_pilot_and_phase(client, place, pilot, people):
    api = JsonApi(client, people["lead"])
    api.post("/journeys", journey(place, pilot, "baseline"))
    api.post("/journeys", journey(place, pilot, "after"))
    api.post("/journeys", journey(place, pilot, "none", pilot=None))
    assert api.get("/journeys", pilot=pilot.pk).json()["count"] == 2
    assert api.get("/journeys", pilot=pilot.pk, phase="after").json()["count"] == 1
    assert api.get("/journeys", phase="none").json()["count"] == 1
    assert api.get("/journeys", phase="during").status_code == 422


def test_patch_moves_a_journey_between_phases_and_out(client, place, pilot, people):
    api = JsonApi(client, people["lead"])
    made = api.post("/journeys", journey(place, pilot, "baseline")).json()
    # phase alone keeps the pilot, and the date rule is asked again
    refused = api.patch(f"/journeys/{made['id']}", {"phase": "after"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "observed_on"
    moved = api.patch(f"/journeys/{made['id']}", {"phase": "after", "observed_on": "2025-06-15"})
    assert moved.status_code == 200 and moved.json()["phase"] == "after"
    assert Measurement.objects.get().phase == "after"
    # changing the day alone is checked against the link it keeps
    assert api.patch(f"/journeys/{made['id']}", {"observed_on": "2025-05-01"}).status_code == 422
    out = api.patch(f"/journeys/{made['id']}", {"phase": "none", "pilot": None})
    assert out.status_code == 200 and (out.json()["phase"], out.json()["pilot"]) == ("none", None)
    assert not Measurement.objects.exists()


def test_the_observer_cannot_take_a_journey_out_of_someone_elses_pilot(
    client, place, pilot, people
):
    made = (
        JsonApi(client, people["lead"]).post("/journeys", journey(place, pilot, "baseline")).json()
    )
    journey_row = Journey.objects.get(pk=made["id"])
    Journey.objects.filter(pk=journey_row.pk).update(observer=people["stranger"])
    api = JsonApi(client, people["stranger"])
    assert api.patch(f"/journeys/{made['id']}", {"phase": "none", "pilot": None}).status_code == 403
    assert api.patch(f"/journeys/{made['id']}", {"notes": "Seen again"}).status_code == 200
    assert Measurement.objects.filter(journey_id=made["id"]).exists()


def test_the_import_links_journeys_and_stays_idempotent(place, pilot, people):
    service, area = place["service"], place["upazila"]
    rows = [
        row(service, area, "B1", phase="baseline", pilot=pilot.pk, observed_on="2025-05-01"),
        row(service, area, "B1", phase="baseline", pilot=pilot.pk, observed_on="2025-05-01"),
        row(service, area, "A1", phase="after", pilot=pilot.pk, observed_on="2025-07-01"),
        row(service, area, "N1"),
    ]
    result = import_journeys(source=csv_file(rows), by=people["mentor"])
    assert not result.errors and result.created == 3
    links = dict(Measurement.objects.values_list("journey__ref", "phase"))
    assert links == {"B1": "baseline", "A1": "after"}
    again = import_journeys(source=csv_file(rows), by=people["mentor"])
    assert (again.created, again.skipped_duplicates) == (0, 3)
    # the same journey counting in another phase is different content: an error, not a skip
    changed = [
        *rows[:2],
        row(service, area, "A1", phase="baseline", pilot=pilot.pk, observed_on="2025-05-02"),
    ]
    assert errors_of(import_journeys(source=csv_file(changed), by=people["mentor"])) != []
    assert Measurement.objects.count() == 2


def test_the_import_reports_each_broken_link_by_line_and_column(place, pilot, people):
    service, area = place["service"], place["upazila"]
    rows = [
        row(service, area, "B1", phase="baseline", pilot=pilot.pk, observed_on="2025-07-01"),
        row(service, area, "B2", phase="baseline", pilot="999999"),
        row(
            service,
            area,
            "B3",
            phase="after",
            pilot=pilot.pk,
            area="BD-27",
            observed_on="2025-07-01",
        ),
        row(service, area, "B4", phase="after", pilot=""),
        row(service, area, "B5", phase="none", pilot=pilot.pk),
    ]
    result = import_journeys(source=csv_file(rows), by=people["lead"])
    assert errors_of(result) == [
        (2, "observed_on"), (3, "pilot"), (4, "area"), (5, "pilot"), (6, "phase"),
    ]  # fmt: skip
    assert not Journey.objects.exists() and not Measurement.objects.exists()
    stranger = import_journeys(source=csv_file(rows[:1]), by=people["stranger"])
    assert errors_of(stranger) == [(2, "pilot")]


def test_the_export_writes_where_each_journey_counts(place, pilot, people):
    service, area = place["service"], place["upazila"]
    rows = [
        row(service, area, "B1", phase="baseline", pilot=pilot.pk, observed_on="2025-05-01"),
        row(service, area, "N1"),
    ]
    import_journeys(source=csv_file(rows), by=people["lead"])
    import csv
    import io

    text = exporter.csv_bytes(exporter.journeys_to_export()).decode("utf-8-sig")
    exported = {
        r["journey_ref"]: (r["phase"], r["pilot"]) for r in csv.DictReader(io.StringIO(text))
    }
    assert exported == {"B1": ("baseline", str(pilot.pk)), "N1": ("none", "")}
    # and re-importing the export creates nothing new
    again = import_journeys(source=io.BytesIO(text.encode("utf-8")), by=people["lead"])
    assert (again.created, again.skipped_duplicates) == (0, 2)


def test_a_discarded_draft_takes_its_link_with_it(client, place, pilot, people):
    from innohub.services import journeys

    api = JsonApi(client, people["lead"])
    made = api.post("/journeys", journey(place, pilot, "baseline", status="draft", steps=[])).json()
    journeys.discard_draft(by=people["lead"], journey=Journey.objects.get(pk=made["id"]))
    assert not Measurement.objects.exists()


def test_the_services_distribution_narrows_to_a_phase(client, place, pilot, people):
    api = JsonApi(client, people["lead"])
    api.post("/journeys", journey(place, pilot, "baseline", steps=[{**API_STEP, "visits": 4}]))
    api.post("/journeys", journey(place, pilot, "after", steps=[{**API_STEP, "visits": 1}]))
    api.post(
        "/journeys", journey(place, pilot, "none", pilot=None, steps=[{**API_STEP, "visits": 2}])
    )
    service = place["service"].pk
    everything = api.get(f"/services/{service}/tcv").json()
    assert everything["n"] == 3  # linked or not, every final journey counts
    assert api.get(f"/services/{service}/tcv", phase="baseline").json()["visits"]["mean"] == "4.00"
    assert api.get(f"/services/{service}/tcv", phase="after").json()["visits"]["mean"] == "1.00"
    assert api.get(f"/services/{service}/tcv", phase="none").json()["n"] == 1
    assert api.get(f"/services/{service}/tcv", phase="during").status_code == 422
