"""Client-made ids (the recorder on a phone with a bad connection, issue #23): a journey or a
step sent again is the one saved already — never a second — through the domain and the API;
an edit keeps a step's id. The recorder page's own: tests/services/test_pages_journeys.py."""

from __future__ import annotations

import datetime
import uuid

import pytest

from innohub.core import roles
from innohub.core.errors import Conflict, Stale
from innohub.services import journeys
from innohub.services.models import Journey
from innohub.services.steps import StepData
from tests.factories import AreaFactory
from tests.geo.conftest import person_in
from tests.services.factories import JourneyFactory, JsonApi, ServiceFactory

pytestmark = pytest.mark.django_db


def _draft(observer, **fields):
    return journeys.create_journey(
        by=observer,
        service=ServiceFactory(),
        area=AreaFactory(),
        observed_on=datetime.date(2026, 11, 2),
        method="secret_shopper",
        status="draft",
        **fields,
    )


def test_a_step_sent_again_is_saved_once_and_the_tcv_counts_it_once():
    observer = person_in(roles.CIVIL_SERVANT)
    journey = _draft(observer)
    made = uuid.uuid4()
    first = journeys.add_journey_step(
        by=observer, journey=journey, step=StepData(title="Queue", visits=1), client_id=made
    )
    again = journeys.add_journey_step(
        by=observer, journey=journey, step=StepData(title="Queue", visits=1), client_id=made
    )
    assert again.pk == first.pk
    journey.refresh_from_db()
    assert journey.steps.count() == 1 and journey.tcv_visits == 1
    other = journeys.add_journey_step(
        by=observer, journey=journey, step=StepData(title="Pay", visits=1), client_id=uuid.uuid4()
    )
    assert other.position == 1


def test_a_journey_sent_again_is_the_one_recorded_and_anothers_id_is_refused():
    observer = person_in(roles.CIVIL_SERVANT)
    made = uuid.uuid4()
    first = _draft(observer, client_id=made)
    assert _draft(observer, client_id=made).pk == first.pk
    assert Journey.objects.count() == 1
    with pytest.raises(Conflict):
        _draft(person_in(roles.CIVIL_SERVANT), client_id=made)


def test_editing_the_steps_keeps_their_ids():
    observer = person_in(roles.CIVIL_SERVANT)
    journey = _draft(observer)
    made = uuid.uuid4()
    journeys.add_journey_step(
        by=observer, journey=journey, step=StepData(title="Queue"), client_id=made
    )
    from innohub.services.steps import step_data_of

    kept = [step_data_of(s) for s in journey.steps.prefetch_related("pain_points")]
    journeys.replace_journey_steps(by=observer, journey=journey, steps=kept)
    assert journey.steps.get().client_id == made
    # A resend of the old request after the edit still adds nothing.
    journeys.add_journey_step(
        by=observer, journey=journey, step=StepData(title="Queue"), client_id=made
    )
    assert journey.steps.count() == 1


def test_the_api_answers_200_for_what_it_has_already(client):
    observer = person_in(roles.CIVIL_SERVANT)
    api = JsonApi(client, observer)
    service = ServiceFactory()
    area = AreaFactory(code="BD-13")
    made = str(uuid.uuid4())
    body = {
        "client_id": made,
        "service": service.pk,
        "area": "BD-13",
        "observed_on": "2026-11-02",
        "method": "secret_shopper",
        "status": "draft",
    }
    first = api.post("/journeys", body)
    assert first.status_code == 201, first.json()
    assert first.json()["client_id"] == made
    again = api.post("/journeys", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    journey_id = first.json()["id"]
    one = _step()
    added = api.post(f"/journeys/{journey_id}/steps", one)
    assert added.status_code == 201, added.json()
    resent = api.post(f"/journeys/{journey_id}/steps", one)
    assert resent.status_code == 200
    assert len(resent.json()["steps"]) == 1 and resent.json()["tcv"]["visits"] == 1
    refused = api.post(f"/journeys/{journey_id}/steps", {**one, "client_id": "not-a-uuid"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "client_id"
    stranger = JsonApi(client, person_in(roles.CIVIL_SERVANT))
    assert stranger.post("/journeys", body).status_code == 409
    assert area.pk and Journey.objects.count() == 1


def test_journeys_of_the_importer_have_no_client_id():
    assert JourneyFactory().client_id is None


def _step(**fields):
    return {
        "title": "Queue at the counter",
        "documents": 0,
        "elapsed_days": "0.5",
        "citizen_hours": "2",
        "fees": "0",
        "travel_cost": "40",
        "other_cost": "0",
        "visits": 1,
        "client_id": str(uuid.uuid4()),
        **fields,
    }


def test_every_change_makes_a_larger_version_and_a_stale_one_adds_nothing():
    observer = person_in(roles.CIVIL_SERVANT)
    journey = _draft(observer)
    seen = journeys.version_of(journey)
    journeys.add_journey_step(
        by=observer, journey=journey, step=StepData(title="Queue"), expected=seen
    )
    after_step = journeys.version_of(Journey.objects.get(pk=journey.pk))
    assert int(after_step) > int(seen)
    # Someone else changes the journey (its notes); the phone still holds `after_step`.
    journeys.update_journey(by=observer, journey=journey, notes="Office moved upstairs")
    with pytest.raises(Stale):
        journeys.add_journey_step(
            by=observer, journey=journey, step=StepData(title="Pay"), expected=after_step
        )
    assert journey.steps.count() == 1
    # Sent without a version (the officer chose to add it anyway), it goes after the others.
    journeys.add_journey_step(by=observer, journey=journey, step=StepData(title="Pay"))
    assert [s.title for s in journey.steps.order_by("position")] == ["Queue", "Pay"]


def test_a_resent_step_is_never_a_conflict_even_after_the_journey_changed():
    observer = person_in(roles.CIVIL_SERVANT)
    journey = _draft(observer)
    seen = journeys.version_of(journey)
    made = uuid.uuid4()
    first = journeys.add_journey_step(
        by=observer, journey=journey, step=StepData(title="Queue"), client_id=made, expected=seen
    )
    # The answer was lost; the phone sends it again with the version it had.
    again = journeys.add_journey_step(
        by=observer, journey=journey, step=StepData(title="Queue"), client_id=made, expected=seen
    )
    assert again.pk == first.pk


def test_the_api_gives_the_version_and_refuses_a_stale_one_with_412(client):
    observer = person_in(roles.CIVIL_SERVANT)
    api = JsonApi(client, observer)
    journey = _draft(observer)
    read = api.get(f"/journeys/{journey.pk}")
    etag = read.headers["ETag"]
    assert etag == f'"{journeys.version_of(journey)}"'

    path = f"/journeys/{journey.pk}/steps"
    one = _step()
    added = client.post(
        f"/api/v1{path}",
        one,
        content_type="application/json",
        headers={**api.headers, "If-Match": etag, "Prefer": "return=minimal"},
    )
    assert added.status_code == 204 and added.content == b""
    assert added.headers["Preference-Applied"] == "return=minimal"
    newer = added.headers["ETag"]
    assert int(newer.strip('"')) > int(etag.strip('"'))

    # A second step sent with the old version: the journey changed since — 412, nothing added.
    stale = client.post(
        f"/api/v1{path}",
        _step(title="Pay the fee"),
        content_type="application/json",
        headers={**api.headers, "If-Match": etag},
    )
    assert stale.status_code == 412
    assert stale.json()["detail"] == "This journey was changed on the server after you last saw it."
    # The first step resent with the old version is the step saved: 200, never 412.
    resent = client.post(
        f"/api/v1{path}",
        one,
        content_type="application/json",
        headers={**api.headers, "If-Match": etag},
    )
    assert resent.status_code == 200 and len(resent.json()["steps"]) == 1
    assert resent.headers["ETag"] == newer
    # With the version it now has (weak or strong), or `*`, it is added.
    for match in (f"W/{newer}", "*"):
        ok = client.post(
            f"/api/v1{path}",
            _step(title=f"Step with {match}"),
            content_type="application/json",
            headers={**api.headers, "If-Match": match},
        )
        assert ok.status_code == 201, ok.json()
        newer = ok.headers["ETag"]
    assert Journey.objects.get(pk=journey.pk).steps.count() == 3
