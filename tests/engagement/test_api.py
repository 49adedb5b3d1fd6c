"""The engagement API as a program sees it (docs/api.md, "Citizen engagement")."""

from __future__ import annotations

import pytest

from innohub.engagement.models import Contribution
from tests.engagement.conftest import days_from_today, open_consultation
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db

CONSULTATION_FIELDS = {
    "id", "title", "question", "service", "organisation", "opens_on", "closes_on", "channels",
    "status", "retention_days",
}  # fmt: skip


def post_public(client, consultation, body, **headers):
    return client.post(
        f"/api/v1/consultations/{consultation.pk}/contributions",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_officers_create_consultations_with_the_contracts_fields(client, place):
    api = JsonApi(client, place["officer"])
    body = {
        "title": "Land mutation", "question": "What slows you down?",
        "organisation": place["office"].pk, "opens_on": "2026-01-01", "closes_on": "2026-02-01",
        "channels": ["phone", "online"],
    }  # fmt: skip
    response = api.post("/consultations", body)
    assert response.status_code == 201, response.json()
    made = response.json()
    assert set(made) == CONSULTATION_FIELDS
    assert made["channels"] == ["online", "phone"]
    assert made["status"] in {"upcoming", "open", "closed"}
    listed = api.get("/consultations", organisation=place["land"].pk).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == made["id"]
    assert JsonApi(client, place["stranger"]).post("/consultations", body).status_code == 403


def test_bad_consultations_name_their_fields(client, place):
    api = JsonApi(client, place["officer"])
    body = {
        "title": "", "question": "Q", "organisation": place["office"].pk,
        "opens_on": "2026-02-01", "closes_on": "2026-01-01", "channels": ["fax"],
    }  # fmt: skip
    response = api.post("/consultations", body)
    assert response.status_code == 422
    assert {"title", "channels.0"} <= {e["field"] for e in response.json()["errors"]}
    body |= {"title": "T", "channels": ["online"]}
    response = api.post("/consultations", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["closes_on"]


def test_anyone_contributes_online_without_signing_in(client, consultation):
    response = post_public(client, consultation, {"text": "Too many visits.", "channel": "online",
                                                   "area": "bd-13", "satisfaction": 2})  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "consultation", "text", "channel", "area", "satisfaction",
                         "finding", "created"}  # fmt: skip
    assert body["satisfaction"] == 2
    assert "name" not in body


def test_the_public_operation_is_marked_public_in_the_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/consultations/{consultation_id}/contributions"]["post"]
    assert operation["security"] == []
    assert {"201", "409", "422", "429"} <= set(operation["responses"])


@pytest.mark.parametrize(
    ("body", "field"),
    [({"text": "x", "channel": "online", "satisfaction": 0}, "satisfaction"),
     ({"text": "x", "channel": "online", "satisfaction": True}, "satisfaction"),
     ({"text": "x", "channel": "online", "satisfaction": "4"}, "satisfaction"),
     ({"text": "", "channel": "online"}, "text"),
     ({"text": "x", "channel": "fax"}, "channel"),
     ({"text": "x", "channel": "online", "area": "NOWHERE"}, "area"),
     ({"text": "x", "channel": "online", "name": "Rahima"}, "consent"),
     ({"text": "x\x00", "channel": "online"}, "text")],
)  # fmt: skip
def test_bad_contributions_are_422_naming_the_field(client, consultation, body, field):
    response = post_public(client, consultation, body)
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


def test_a_closed_consultation_is_409(client, place):
    closed = open_consultation(place, opens_on=days_from_today(-9), closes_on=days_from_today(-2))
    response = post_public(client, closed, {"text": "Late.", "channel": "online"})
    assert response.status_code == 409
    assert response.json()["errors"] == []


def test_other_channels_need_an_officer(client, consultation, place):
    body = {"text": "Said at the counter.", "channel": "face_to_face"}
    assert post_public(client, consultation, body).status_code == 401
    assert (
        post_public(client, consultation, body, Authorization="Bearer nonsense").status_code == 401
    )
    stranger = JsonApi(client, place["stranger"])
    assert stranger.post(f"/consultations/{consultation.pk}/contributions", body).status_code == 403
    officer = JsonApi(client, place["officer"])
    response = officer.post(f"/consultations/{consultation.pk}/contributions", body)
    assert response.status_code == 201
    assert Contribution.objects.get().entered_by == place["officer"]


def test_unsigned_contributions_are_rate_limited_with_retry_after(client, consultation, settings):
    settings.ENGAGEMENT_CONTRIBUTIONS_PER_HOUR = 10
    body = {"text": "Again.", "channel": "online"}
    for _ in range(10):
        assert post_public(client, consultation, body).status_code == 201
    response = post_public(client, consultation, body)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3601
    assert "try again" in response.json()["detail"]
    # Another address still may; an officer is never limited.
    other = post_public(client, consultation, body, **{"X-Forwarded-For": "198.51.100.1"})
    assert other.status_code in {201, 429}  # depends on TRUSTED_PROXY_COUNT
    assert Contribution.objects.count() == 10 + (other.status_code == 201)


def test_findings_responses_and_kpis(client, consultation, place):
    officer = JsonApi(client, place["officer"])
    ids = [
        post_public(client, consultation, {"text": f"Queue {n}", "channel": "online",
                                           "satisfaction": 4}).json()["id"]
        for n in range(2)
    ]  # fmt: skip
    response = officer.post(
        f"/consultations/{consultation.pk}/findings", {"title": "Long queues", "contributions": ids}
    )
    assert response.status_code == 201, response.json()
    finding = response.json()
    assert finding["contributions"] == sorted(ids) and finding["responses"] == []
    bad = officer.post(f"/findings/{finding['id']}/responses",
                       {"text": "Soon.", "responded_on": days_from_today(1).isoformat()})  # fmt: skip
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["responded_on"]
    unknown = officer.post(f"/findings/{finding['id']}/responses",
                           {"text": "x", "responded_on": "2026-01-01", "pilot": 999999})  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "pilot"
    response = officer.post(
        f"/findings/{finding['id']}/responses",
        {"text": "A second counter opened.", "responded_on": days_from_today(0).isoformat()},
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "service_change"
    kpis = officer.get(f"/consultations/{consultation.pk}/kpis").json()
    assert kpis == {
        "contributions": 2,
        "by_channel": {"online": 2, "face_to_face": 0, "phone": 0, "digital_centre": 0},
        "findings": 1,
        "findings_with_response": 1,
        "response_rate_pct": "100.00",
        "median_days_to_response": "-21.00",
        "satisfaction": {"n": 2, "mean": "4.00"},
    }
    listed = officer.get(f"/consultations/{consultation.pk}/contributions", unfiled="true").json()
    assert listed["count"] == 0
    assert (
        JsonApi(client, place["stranger"])
        .get(f"/consultations/{consultation.pk}/contributions")
        .status_code
        == 403
    )


def test_the_contribution_list_costs_the_same_queries_for_any_page(
    client, consultation, place, django_assert_num_queries
):
    for n in range(30):
        post_public(client, consultation, {"text": f"Words {n}", "channel": "online",
                                           "area": "BD-13"})  # fmt: skip
    api = JsonApi(client, place["officer"])
    path = f"/consultations/{consultation.pk}/contributions"
    # Token (its last use, once a minute), consultation, profile (the permission), count,
    # page: the same for 5 rows or 30.
    with django_assert_num_queries(6):
        first = api.get(path, page_size=5).json()
    with django_assert_num_queries(5):
        api.get(path, page_size=30)
    assert len(first["results"]) == 5 and first["next"]


def test_unknown_service_and_organisation_name_their_fields(client, place):
    api = JsonApi(client, place["officer"])
    body = {
        "title": "T", "question": "Q", "organisation": 999999, "service": 999999,
        "opens_on": "2026-01-01", "closes_on": "2026-02-01", "channels": ["online"],
    }  # fmt: skip
    response = api.post("/consultations", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["organisation"]
    body["organisation"] = place["office"].pk
    response = api.post("/consultations", body)
    assert [e["field"] for e in response.json()["errors"]] == ["service"]
