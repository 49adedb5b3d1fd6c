from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from innohub.core import roles
from innohub.core.imports import too_large
from innohub.core.models import BulkImport
from innohub.geo.models import Area
from tests.accounts.helpers import sign_in_verified
from tests.factories import AreaFactory
from tests.geo.conftest import person_in

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/geo/area/import-csv/"
HEADER = "code,name,name_local,level,parent_code,population,hourly_wage,wage_currency\n"


def upload(content: str | bytes, name: str = "unions.csv") -> dict:
    data = content.encode() if isinstance(content, str) else content
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


@pytest.fixture
def manager_in_admin(client):
    manager = person_in(roles.PROGRAMME_MANAGER, is_staff=True)
    sign_in_verified(client, manager)
    return client


def test_the_area_list_has_an_import_button(manager_in_admin, bangladesh):
    response = manager_in_admin.get("/admin/geo/area/")

    assert response.status_code == 200
    assert f'href="{IMPORT_URL}"' in response.text
    assert "Import from CSV" in response.text


def test_the_area_list_shows_what_a_programme_manager_needs_in_the_same_queries_for_2_as_for_22(
    manager_in_admin, bangladesh, django_assert_num_queries
):
    # session, user, two-factor device, groups, permissions (the user's, the groups'); count of
    # the matches, count of all areas, page (with the parents joined)
    with django_assert_num_queries(9):
        response = manager_in_admin.get("/admin/geo/area/", {"q": "dhaka"})

    assert response.status_code == 200
    for heading in ("Code", "Name", "Local name", "Level", "Parent", "Population"):
        assert heading in response.text
    assert "BD-13" in response.text
    for number in range(20):
        AreaFactory(code=f"BD-13-D{number:02}", name=f"Dhaka {number}", parent=bangladesh["BD-13"])
    with django_assert_num_queries(9):
        response = manager_in_admin.get("/admin/geo/area/", {"q": "dhaka"})
    assert response.context["cl"].result_count == 22


def test_uploading_a_good_file_imports_it_and_says_what_happened(manager_in_admin, bangladesh):
    content = HEADER + "BD-13-DOHAR,Dohar,দোহার,subdistrict,BD-13,,,\n"

    response = manager_in_admin.post(IMPORT_URL, upload(content), follow=True)

    assert response.redirect_chain[-1][0] == "/admin/geo/area/"
    assert "Areas imported: 1 created, 0 updated, 0 unchanged." in response.text
    assert Area.objects.get(code="BD-13-DOHAR").parent == bangladesh["BD-13"]
    assert BulkImport.objects.get().file_name == "unions.csv"


def test_uploading_a_bad_file_shows_every_problem_and_imports_nothing(manager_in_admin, bangladesh):
    before = Area.objects.count()
    content = (
        HEADER
        + "BD-13-DOHAR,Dohar,দোহার,subdistrict,BD-13,,,\n"
        + "BD-13-X,X,,subdistrict,BD-99,,,\n"
        + "BD-13-Y,Y,,subdistrict,BD-13,-4,,\n"
    )

    response = manager_in_admin.post(IMPORT_URL, upload(content))

    assert response.status_code == 200
    assert "Nothing was imported: the file has 2 problems." in response.text
    assert "<td>3</td><td><code>parent_code</code></td>" in response.text
    assert "Unknown parent code “BD-99”" in response.text
    assert "<td>4</td><td><code>population</code></td>" in response.text
    assert Area.objects.count() == before


def test_a_file_that_is_not_utf8_is_reported_not_a_crash(manager_in_admin):
    response = manager_in_admin.post(IMPORT_URL, upload(b"\xff\xfe\x00c\x00o\x00d\x00e"))

    assert response.status_code == 200
    assert "UTF-8" in response.text


def test_an_area_file_over_the_import_limit_is_refused_with_a_form_error(
    manager_in_admin, bangladesh, settings
):
    content = (HEADER + "BD-13-DOHAR,Dohar,দোহার,subdistrict,BD-13,,,\n").encode()
    settings.IMPORT_MAX_BYTES = len(content) - 1  # the one limit of every import

    response = manager_in_admin.post(IMPORT_URL, upload(content))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [too_large(len(content))]
    assert "files of at most" in response.text
    assert "Please correct the error below." in response.text
    assert not Area.objects.filter(code="BD-13-DOHAR").exists()
    assert not BulkImport.objects.exists()

    settings.IMPORT_MAX_BYTES = len(content)  # at the limit is accepted
    response = manager_in_admin.post(IMPORT_URL, upload(content), follow=True)

    assert "Areas imported: 1 created, 0 updated, 0 unchanged." in response.text


def test_the_form_asks_for_a_file(manager_in_admin):
    response = manager_in_admin.post(IMPORT_URL, {})

    assert response.status_code == 200
    assert "This field is required." in response.text


def test_a_staff_member_without_the_right_cannot_import(client, bangladesh):
    clerk = person_in(roles.CIVIL_SERVANT, is_staff=True)
    client.force_login(clerk)

    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, upload(HEADER + "XK,Kosovo,,country,,,,\n"))
    assert response.status_code == 403
    assert not Area.objects.filter(code="XK").exists()
    assert "Import from CSV" not in client.get("/admin/geo/area/").text


def test_a_programme_manager_adds_an_area_in_the_admin_with_its_history(
    manager_in_admin, bangladesh
):
    response = manager_in_admin.post(
        "/admin/geo/area/add/",
        {
            "code": "BD-13-KERANIGANJ",
            "name": "Keraniganj",
            "name_local": "কেরানীগঞ্জ",
            "level": "subdistrict",
            "parent": bangladesh["BD-13"].pk,
            "population": "",
            "hourly_wage": "",
            "wage_currency": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].errors
    area = Area.objects.get(code="BD-13-KERANIGANJ")
    assert area.path == f"{bangladesh['BD-13'].path}{area.pk}/"
    assert area.history.count() >= 1


def test_the_admin_refuses_a_level_not_below_the_parent_s(manager_in_admin, bangladesh):
    response = manager_in_admin.post(
        "/admin/geo/area/add/",
        {"code": "BD-13-Q", "name": "Q", "level": "division", "parent": bangladesh["BD-13"].pk},
    )

    assert response.status_code == 200
    assert "A division cannot sit under a district." in response.text


def test_areas_are_found_by_the_admin_s_autocomplete(manager_in_admin, bangladesh):
    response = manager_in_admin.get(
        "/admin/autocomplete/",
        {"term": "সাভার", "app_label": "orgs", "model_name": "organisation", "field_name": "area"},
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Savar (BD-13-SAVAR)"]


def test_a_nul_in_an_admin_search_is_not_a_crash(manager_in_admin, bangladesh):
    autocomplete = manager_in_admin.get(
        "/admin/autocomplete/",
        {
            "term": "Sa\x00var",
            "app_label": "orgs",
            "model_name": "organisation",
            "field_name": "area",
        },
    )

    assert autocomplete.status_code == 200
    assert manager_in_admin.get("/admin/geo/area/", {"q": "\x00"}).status_code == 200
