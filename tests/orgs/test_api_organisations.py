from __future__ import annotations

import pytest

from innohub.orgs.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    """The names in the answer, sorted: the API answers in tree order, and the order of
    siblings there (their paths') is not what these tests are about."""
    assert response.status_code == 200, response.json()
    return sorted(organisation["name"] for organisation in response.json()["results"])


def test_reading_needs_a_signed_in_person(client, ministry_tree):
    assert client.get("/api/v1/organisations").status_code == 401


def test_a_signed_in_person_lists_organisations_in_tree_order(api_as, civil_servant, ministry_tree):
    response = api_as(civil_servant).get("/organisations")

    results = response.json()["results"]
    assert response.json()["count"] == 6
    # Tree order: every organisation comes after the one above it.
    seen: set[int | None] = {None}
    for organisation in results:
        assert organisation["parent"] in seen
        seen.add(organisation["id"])
    land = ministry_tree["ministry"]
    assert next(org for org in results if org["id"] == land.pk) == {
        "id": land.pk,
        "name": "Ministry of Land",
        "partner_type": None,
        "name_local": "ভূমি মন্ত্রণালয়",
        "kind": "ministry",
        "parent": None,
        "area": land.area_id,
    }


def test_filters_by_kind_parent_and_name(api_as, civil_servant, ministry_tree):
    api = api_as(civil_servant)
    department = ministry_tree["department"]

    assert names(api.get("/organisations", kind="ministry")) == [
        "Ministry of Health",
        "Ministry of Land",
    ]
    assert names(api.get("/organisations", parent=department.pk)) == [
        "Dhaka District Land Office",
        "Savar Upazila Land Office",
    ]
    assert names(api.get("/organisations", q="ac land")) == ["Savar Upazila Land Office"]
    assert names(api.get("/organisations", q="ভূমি")) == ["Ministry of Land"]


def test_area_filter_takes_an_id_or_code_and_includes_areas_below(
    api_as, civil_servant, ministry_tree, bangladesh
):
    api = api_as(civil_servant)

    expected = [
        "Department of Land Records",
        "Dhaka District Land Office",
        "Savar Upazila Land Office",
    ]
    assert names(api.get("/organisations", area="BD-C")) == expected
    assert names(api.get("/organisations", area=bangladesh["BD-C"].pk)) == expected
    assert names(api.get("/organisations", area="BD-13-SAVAR")) == ["Savar Upazila Land Office"]


def test_organisation_filter_includes_everything_below(api_as, civil_servant, ministry_tree):
    response = api_as(civil_servant).get("/organisations", organisation=ministry_tree["health"].pk)

    assert names(response) == ["Barishal Health Office", "Ministry of Health"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area": "BD-99"}, "area"),
        ({"organisation": "999999"}, "organisation"),
        ({"organisation": "land"}, "organisation"),
        ({"parent": "99999999999999999999999"}, "parent"),
        ({"kind": "agency"}, "kind"),
        ({"q": "\x00"}, "q"),
    ],
)
def test_bad_filters_are_422_naming_the_filter(api_as, civil_servant, ministry_tree, params, field):
    response = api_as(civil_servant).get("/organisations", **params)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_listing_takes_the_same_queries_for_6_organisations_as_for_46(
    api_as, civil_servant, ministry_tree, django_assert_num_queries
):
    api = api_as(civil_servant)
    api.get("/organisations")  # the token's first use is written once a minute: count what follows
    # token (with its person), the area filter, count, page (with area and parent joined)
    with django_assert_num_queries(4):
        assert api.get("/organisations", page_size=200, area="BD").json()["count"] == 6
    for number in range(40):
        OrganisationFactory(
            name=f"Office {number}",
            kind="office",
            parent=ministry_tree["department"],
            area=ministry_tree["dhaka_office"].area,
        )

    with django_assert_num_queries(4):
        response = api.get("/organisations", page_size=200, area="BD")

    assert response.json()["count"] == 46


def test_pages_of_the_list_and_their_limit(api_as, civil_servant, ministry_tree):
    api = api_as(civil_servant)

    assert len(api.get("/organisations", page_size=4, page=2).json()["results"]) == 2
    response = api.get("/organisations", page_size=201)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page_size"


def test_one_organisation_or_404(api_as, civil_servant, ministry_tree):
    api = api_as(civil_servant)
    office = ministry_tree["savar_office"]

    assert api.get(f"/organisations/{office.pk}").json()["name"] == "Savar Upazila Land Office"
    assert api.get("/organisations/999999").status_code == 404


def test_a_programme_manager_creates_an_office_in_an_area_given_by_code(
    api_as, programme_manager, ministry_tree, bangladesh
):
    department = ministry_tree["department"]

    response = api_as(programme_manager).post(
        "/organisations",
        {
            "name": "Ashulia Union Digital Centre",
            "name_local": "আশুলিয়া ইউনিয়ন ডিজিটাল সেন্টার",
            "kind": "office",
            "parent": department.pk,
            "area": "BD-13-SAVAR-ASHULIA",
        },
    )

    assert response.status_code == 201, response.json()
    office = Organisation.objects.get(name="Ashulia Union Digital Centre")
    assert response.json() == {
        "id": office.pk,
        "name": "Ashulia Union Digital Centre",
        "name_local": "আশুলিয়া ইউনিয়ন ডিজিটাল সেন্টার",
        "kind": "office",
        "partner_type": None,
        "parent": department.pk,
        "area": bangladesh["BD-13-SAVAR-ASHULIA"].pk,
    }
    assert office.path == f"{department.path}{office.pk}/"


def test_an_administrator_creates_a_ministry_in_an_area_given_by_id(
    api_as, administrator, bangladesh
):
    response = api_as(administrator).post(
        "/organisations",
        {"name": "Cabinet Division", "kind": "ministry", "area": bangladesh["BD"].pk},
    )

    assert response.status_code == 201
    assert response.json()["parent"] is None


def test_a_civil_servant_may_not_create(api_as, civil_servant, bangladesh):
    response = api_as(civil_servant).post(
        "/organisations", {"name": "X", "kind": "ministry", "area": "BD"}
    )

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only programme managers and administrators add organisations."
    )
    assert not Organisation.objects.filter(name="X").exists()


def test_a_kind_not_below_the_parent_s_is_422_on_kind(api_as, programme_manager, ministry_tree):
    response = api_as(programme_manager).post(
        "/organisations",
        {
            "name": "Upside down",
            "kind": "ministry",
            "parent": ministry_tree["department"].pk,
            "area": "BD",
        },
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "kind", "message": "A ministry cannot sit under a department."}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x\x00"}, "name"),
        ({"kind": "agency"}, "kind"),
        ({"area": "BD-99"}, "area"),
        ({"area": None}, "area"),
        ({"area": True}, "area"),
        ({"parent": 999999}, "parent"),
        ({"parent": True}, "parent"),
        ({"parent": "1"}, "parent"),
    ],
)
def test_bad_input_is_422_naming_the_field(api_as, programme_manager, bangladesh, body, field):
    good = {"name": "Good", "kind": "ministry", "area": "BD"}

    response = api_as(programme_manager).post("/organisations", {**good, **body})

    assert response.status_code == 422, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Organisation.objects.exists()


def test_institutes_and_partners_stand_outside_the_tree(api_as, programme_manager, ministry_tree):
    api = api_as(programme_manager)
    area = ministry_tree["ministry"].area_id
    partner = {"name": "University of Dhaka", "kind": "partner", "area": area}
    response = api.post("/organisations", partner)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["partner_type"]
    response = api.post("/organisations", {**partner, "partner_type": "university"})
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["partner_type"]) == ("partner", "university")
    institute = api.post("/organisations", {"name": "BPATC", "kind": "institute", "area": area})
    assert institute.status_code == 201 and institute.json()["partner_type"] is None
    under = api.post(
        "/organisations",
        {"name": "A unit", "kind": "office", "area": area, "parent": institute.json()["id"]},
    )
    assert under.status_code == 422
    assert [error["field"] for error in under.json()["errors"]] == ["parent"]
