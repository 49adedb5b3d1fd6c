from __future__ import annotations

import pytest

from innohub.geo.models import Area
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    return [area["code"] for area in response.json()["results"]]


# --- Reading ---------------------------------------------------------------------------------


def test_reading_needs_a_signed_in_person(client, bangladesh):
    response = client.get("/api/v1/areas")

    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in or send a valid API token.", "errors": []}


def test_any_signed_in_person_lists_areas_in_tree_order(api_as, civil_servant, bangladesh):
    response = api_as(civil_servant).get("/areas")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    assert set(codes(response)) == set(bangladesh)
    # Tree order: every area comes after its parent (siblings in the order of their paths).
    seen: set[int | None] = {None}
    for area in body["results"]:
        assert area["parent"] in seen
        seen.add(area["id"])
    dhaka = next(area for area in body["results"] if area["code"] == "BD-13")
    assert dhaka == {
        "id": bangladesh["BD-13"].pk,
        "code": "BD-13",
        "name": "Dhaka",
        "name_local": "ঢাকা",
        "level": "district",
        "parent": bangladesh["BD-C"].pk,
        "population": None,
        "hourly_wage": None,
        "wage_currency": "",
    }


def test_a_browser_session_reads_too(client, civil_servant, bangladesh):
    client.force_login(civil_servant)

    assert client.get("/api/v1/areas").status_code == 200


def test_filters_by_level_code_and_name(api_as, civil_servant, bangladesh):
    api = api_as(civil_servant)

    assert sorted(codes(api.get("/areas", level="division"))) == ["BD-A", "BD-C"]
    assert codes(api.get("/areas", code="BD-13")) == ["BD-13"]
    assert codes(api.get("/areas", q="savar")) == ["BD-13-SAVAR"]
    assert codes(api.get("/areas", q="আশুলিয়া")) == ["BD-13-SAVAR-ASHULIA"]


def test_parent_filter_takes_an_id_or_a_code(api_as, civil_servant, bangladesh):
    api = api_as(civil_servant)

    assert sorted(codes(api.get("/areas", parent="BD"))) == ["BD-A", "BD-C"]
    assert sorted(codes(api.get("/areas", parent=bangladesh["BD"].pk))) == ["BD-A", "BD-C"]


def test_area_filter_includes_everything_below(api_as, civil_servant, bangladesh):
    api = api_as(civil_servant)

    by_code = api.get("/areas", area="BD-13")
    by_id = api.get("/areas", area=bangladesh["BD-13"].pk)

    assert codes(by_code) == ["BD-13", "BD-13-SAVAR", "BD-13-SAVAR-ASHULIA"]
    assert codes(by_id) == codes(by_code)
    assert codes(api.get("/areas", area="BD-C", level="union")) == ["BD-13-SAVAR-ASHULIA"]


@pytest.mark.parametrize("field", ["area", "parent"])
def test_an_unknown_area_reference_is_422_naming_the_filter(api_as, civil_servant, field):
    response = api_as(civil_servant).get("/areas", **{field: "BD-99"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": field, "message": "No area has the id or code “BD-99”."}
    ]


def test_pages_of_the_list(api_as, civil_servant):
    AreaFactory.create_batch(7)
    api = api_as(civil_servant)

    first = api.get("/areas", page_size=3)
    last = api.get("/areas", page_size=3, page=3)

    assert first.json()["count"] == 7
    assert len(first.json()["results"]) == 3
    assert len(last.json()["results"]) == 1


def test_a_page_of_more_than_200_is_refused(api_as, civil_servant):
    response = api_as(civil_servant).get("/areas", page_size=201)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["page_size"]


def test_listing_takes_the_same_queries_for_6_areas_as_for_66(
    api_as, civil_servant, bangladesh, django_assert_num_queries
):
    api = api_as(civil_servant)
    api.get("/areas")  # the token's first use is written once a minute: count what follows
    # token (with its person), the area filter, count, page (with each area's parent joined)
    with django_assert_num_queries(4):
        assert api.get("/areas", page_size=200, area="BD").json()["count"] == 6
    for number in range(60):
        AreaFactory(code=f"BD-13-U{number}", level="subdistrict", parent=bangladesh["BD-13"])

    with django_assert_num_queries(4):
        response = api.get("/areas", page_size=200, area="BD")

    assert response.json()["count"] == 66


def test_one_area(api_as, civil_servant, bangladesh):
    area = bangladesh["BD-13-SAVAR"]

    response = api_as(civil_servant).get(f"/areas/{area.pk}")

    assert response.status_code == 200
    assert response.json()["code"] == "BD-13-SAVAR"


@pytest.mark.parametrize("area_id", ["999999", "9223372036854775807"])
def test_an_unknown_id_is_404(api_as, civil_servant, area_id):
    response = api_as(civil_servant).get(f"/areas/{area_id}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


@pytest.mark.parametrize("area_id", ["0", "99999999999999999999", "abc"])
def test_an_id_that_cannot_be_one_is_422(api_as, civil_servant, area_id):
    response = api_as(civil_servant).get(f"/areas/{area_id}")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "area_id"


@pytest.mark.parametrize("params", [{"q": "a\x00b"}, {"area": "BD\x00"}, {"level": "planet"}])
def test_bad_filters_are_422_never_500(api_as, civil_servant, params):
    response = api_as(civil_servant).get("/areas", **params)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == next(iter(params))


# --- Creating --------------------------------------------------------------------------------


def test_a_programme_manager_creates_an_area_under_a_parent_given_by_id(
    api_as, programme_manager, bangladesh
):
    response = api_as(programme_manager).post(
        "/areas",
        {
            "code": "BD-13-DOHAR",
            "name": "Dohar",
            "name_local": "দোহার",
            "level": "subdistrict",
            "parent": bangladesh["BD-13"].pk,
            "population": 226439,
            "hourly_wage": "62.5",
            "wage_currency": "BDT",
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    area = Area.objects.get(code="BD-13-DOHAR")
    assert body == {
        "id": area.pk,
        "code": "BD-13-DOHAR",
        "name": "Dohar",
        "name_local": "দোহার",
        "level": "subdistrict",
        "parent": bangladesh["BD-13"].pk,
        "population": 226439,
        "hourly_wage": "62.50",
        "wage_currency": "BDT",
    }
    assert area.path == f"{bangladesh['BD-13'].path}{area.pk}/"
    assert area.history.get().history_user == programme_manager


def test_an_administrator_creates_with_the_parent_s_code(api_as, administrator, bangladesh):
    response = api_as(administrator).post(
        "/areas", {"code": "BD-13-X", "name": "X", "level": "union", "parent": "BD-13-SAVAR"}
    )

    assert response.status_code == 201
    assert response.json()["parent"] == bangladesh["BD-13-SAVAR"].pk


def test_a_country_needs_no_parent(api_as, programme_manager):
    response = api_as(programme_manager).post(
        "/areas", {"code": "NP", "name": "Nepal", "level": "country", "hourly_wage": 40}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "wage_currency", "message": "Give the currency of the hourly wage."}
    ]
    response = api_as(programme_manager).post(
        "/areas", {"code": "NP", "name": "Nepal", "level": "country"}
    )
    assert response.status_code == 201
    assert response.json()["parent"] is None


def test_a_civil_servant_may_not_create(api_as, civil_servant, bangladesh):
    response = api_as(civil_servant).post(
        "/areas", {"code": "BD-13-X", "name": "X", "level": "union", "parent": "BD-13-SAVAR"}
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only programme managers and administrators add areas.",
        "errors": [],
    }
    assert not Area.objects.filter(code="BD-13-X").exists()


def test_a_code_in_use_is_422_on_code(api_as, programme_manager, bangladesh):
    response = api_as(programme_manager).post(
        "/areas", {"code": "BD-13", "name": "Dhaka", "level": "district", "parent": "BD-C"}
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["code"]


def test_a_level_not_below_the_parent_s_is_422_on_level(api_as, programme_manager, bangladesh):
    response = api_as(programme_manager).post(
        "/areas", {"code": "BD-13-Y", "name": "Y", "level": "division", "parent": "BD-13"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "level", "message": "A division cannot sit under a district."}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "X" * 33}, "code"),
        ({"code": ""}, "code"),
        ({"code": "   "}, "code"),
        ({"name": "Nul\x00"}, "name"),
        ({"name_local": "\x00"}, "name_local"),
        ({"level": "planet"}, "level"),
        ({"parent": "BD-99"}, "parent"),
        ({"parent": 999999}, "parent"),
        ({"parent": True}, "parent"),
        ({"parent": 0}, "parent"),
        ({"population": -1}, "population"),
        ({"population": True}, "population"),
        ({"population": "12"}, "population"),
        ({"population": 1.5}, "population"),
        ({"hourly_wage": True}, "hourly_wage"),
        ({"hourly_wage": "-1"}, "hourly_wage"),
        ({"hourly_wage": "1e3"}, "hourly_wage"),
        ({"hourly_wage": "1.234"}, "hourly_wage"),
        ({"hourly_wage": "1234567890123"}, "hourly_wage"),
        ({"hourly_wage": "70", "wage_currency": "bdt"}, "wage_currency"),
        ({"hourly_wage": "70", "wage_currency": "XYZ"}, "wage_currency"),
    ],
)
def test_bad_input_is_422_naming_the_field(api_as, programme_manager, bangladesh, body, field):
    good = {"code": "BD-13-Z", "name": "Z", "level": "subdistrict", "parent": "BD-13"}

    response = api_as(programme_manager).post("/areas", {**good, **body})

    assert response.status_code == 422, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Area.objects.filter(code="BD-13-Z").exists()


def test_a_body_that_is_not_json_is_an_error_not_a_crash(client, programme_manager):
    from tests.geo.conftest import bearer

    response = client.post(
        "/api/v1/areas",
        "{not json",
        content_type="application/json",
        headers=bearer(programme_manager),
    )

    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_the_operations_document_their_answers(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths["/api/v1/areas"]["get"]["responses"]) == {"200", "400", "401", "422"}
    assert set(paths["/api/v1/areas"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "422",
    }
    assert set(paths["/api/v1/areas/{area_id}"]["get"]["responses"]) >= {"200", "401", "404"}
