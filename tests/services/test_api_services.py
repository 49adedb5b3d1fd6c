from __future__ import annotations

import pytest

from innohub.core import roles
from innohub.services.models import ProcessMap, Service, ServiceChannel
from tests.factories import OrganisationFactory
from tests.geo.conftest import person_in
from tests.services.factories import (
    API_STEP,
    JsonApi,
    MapPainPointFactory,
    MapStepFactory,
    ProcessMapFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

STEP = {
    **API_STEP,
    "pain_points": [{"category": "waiting", "description": "Queue"}],
}


@pytest.fixture
def api(client):
    return lambda user: JsonApi(client, user)


@pytest.fixture
def manager(db):
    return person_in(roles.PROGRAMME_MANAGER)


@pytest.fixture
def civil_servant(db):
    return person_in(roles.CIVIL_SERVANT)


def test_reading_services_needs_a_signed_in_person(client):
    assert client.get("/api/v1/services").status_code == 401


def test_a_manager_creates_a_service_and_answers_201(api, manager):
    org = OrganisationFactory()
    response = api(manager).post(
        "/services",
        {
            "name": "Land mutation",
            "organisation": org.pk,
            "annual_volume": 5000,
            "channels": ["office"],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "id": body["id"],
        "name": "Land mutation",
        "name_local": "",
        "description": "",
        "organisation": org.pk,
        "currency": "BDT",
        "annual_volume": 5000,
        "channels": ["office"],
    }


def test_a_civil_servant_may_not_create_a_service(api, civil_servant):
    response = api(civil_servant).post(
        "/services", {"name": "X", "organisation": OrganisationFactory().pk}
    )
    assert response.status_code == 403
    assert Service.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"annual_volume": True}, "annual_volume"),
        ({"annual_volume": -1}, "annual_volume"),
        ({"name": "a\x00b"}, "name"),
        ({"organisation": 999999}, "organisation"),
        ({"currency": "XYZ"}, "currency"),
    ],
)
def test_service_input_is_refused_naming_the_field(api, manager, body, field):
    response = api(manager).post(
        "/services", {"name": "S", "organisation": OrganisationFactory().pk, **body}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_services_list_filters_and_paginates_in_the_same_queries_for_2_as_for_12(
    api, civil_servant, django_assert_num_queries
):
    ministry = OrganisationFactory()

    def service_in_the_ministry() -> None:
        service = ServiceFactory(organisation=ministry)
        ServiceChannel.objects.create(service=service, channel="office")

    service_in_the_ministry()
    service_in_the_ministry()
    ServiceFactory()
    client = api(civil_servant)
    client.get("/services")  # the token's first use is written once a minute: count what follows
    # token (with its person), the organisation filter, count, page, channels
    with django_assert_num_queries(5):
        small = client.get("/services", organisation=ministry.pk, page_size=20)
    assert len(small.json()["results"]) == 2
    for _ in range(10):
        service_in_the_ministry()
    with django_assert_num_queries(5):
        response = client.get("/services", organisation=ministry.pk, page_size=20)
    assert response.status_code == 200
    assert response.json()["count"] == 12
    assert len(response.json()["results"]) == 12
    paged = client.get("/services", organisation=ministry.pk, page_size=3).json()
    assert (paged["count"], len(paged["results"])) == (12, 3)
    assert client.get("/services", organisation="nope").status_code == 422
    assert client.get("/services", page_size=201).status_code == 422
    assert client.get("/services/999999").status_code == 404


def test_a_process_map_answers_steps_and_tcv_and_a_second_of_a_variant_is_409(api, manager):
    service = ServiceFactory()
    client = api(manager)
    response = client.post(
        f"/services/{service.pk}/process-maps", {"variant": "existing", "steps": [STEP, STEP]}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["variant"] == "existing"
    assert body["steps"][0]["elapsed_days"] == "2.50"
    assert body["steps"][0]["travel_cost"] == "40.50"
    assert body["steps"][0]["pain_points"] == [{"category": "waiting", "description": "Queue"}]
    assert body["tcv"] == {
        "days": "5.00",
        "hours": "8.00",
        "cost": "281.00",
        "visits": 4,
        "documents": 6,
    }
    again = client.post(
        f"/services/{service.pk}/process-maps", {"variant": "existing", "steps": []}
    )
    assert again.status_code == 409
    assert ProcessMap.objects.count() == 1


def test_put_replaces_a_maps_steps(api, manager):
    process_map = ProcessMapFactory()
    MapStepFactory(process_map=process_map)
    url = f"/services/{process_map.service_id}/process-maps/{process_map.pk}"
    response = api(manager).put(url, {"steps": [{**STEP, "title": "Online"}]})
    assert response.status_code == 200
    assert [s["title"] for s in response.json()["steps"]] == ["Online"]
    assert api(manager).get(url).json()["tcv"]["visits"] == 2


def test_a_civil_servant_may_not_write_process_maps(api, civil_servant):
    service = ServiceFactory()
    response = api(civil_servant).post(
        f"/services/{service.pk}/process-maps", {"variant": "digital", "steps": [STEP]}
    )
    assert response.status_code == 403


def test_a_map_of_another_service_is_404(api, civil_servant):
    process_map = ProcessMapFactory()
    other = ServiceFactory()
    assert (
        api(civil_servant).get(f"/services/{other.pk}/process-maps/{process_map.pk}").status_code
        == 404
    )


def test_listing_maps_takes_the_same_queries_for_1_map_as_for_4(
    api, civil_servant, django_assert_num_queries
):
    service = ServiceFactory()
    existing = ProcessMapFactory(service=service, variant="existing")
    MapPainPointFactory(map_step__process_map=existing)
    client = api(civil_servant)
    client.get("/services")  # the token's first use is written once a minute: count what follows
    url = f"/services/{service.pk}/process-maps"
    # token (with its person), the service, its channels, count, page, steps, pain points
    with django_assert_num_queries(7):
        assert client.get(url).json()["count"] == 1
    MapStepFactory.create_batch(2, process_map=existing)
    for variant in ("simplified", "digital", "piloted"):
        process_map = ProcessMapFactory(service=service, variant=variant)
        for _ in range(3):
            MapPainPointFactory(map_step=MapStepFactory(process_map=process_map))
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.json()["count"] == 4
    assert all(m["tcv"]["visits"] == 3 for m in response.json()["results"])
