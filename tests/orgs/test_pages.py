from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, civil_servant):
    client.force_login(civil_servant)
    return client


def test_the_pages_need_a_signed_in_person(client):
    assert client.get("/organisations/").status_code == 302


def test_without_organisations_the_list_says_who_adds_them(browser):
    response = browser.get("/organisations/")

    assert response.status_code == 200
    assert "No organisations yet" in response.text
    assert "Programme managers and administrators add them" in response.text


def test_the_list_shows_organisations_with_their_area(browser, ministry_tree, bangladesh):
    response = browser.get("/organisations/")

    assert "6 organisations" in response.text
    office = ministry_tree["savar_office"]
    assert f'href="/organisations/{office.pk}/"' in response.text
    assert f'href="/areas/{bangladesh["BD-13-SAVAR"].pk}/"' in response.text
    assert '<span lang="bn">ভূমি মন্ত্রণালয়</span>' in response.text


def test_filter_by_kind_and_by_area_code_with_everything_below(browser, ministry_tree):
    offices_in_dhaka = browser.get("/organisations/", {"kind": "office", "area": "BD-C"})

    assert "2 organisations" in offices_in_dhaka.text
    assert "Savar Upazila Land Office" in offices_in_dhaka.text
    assert "Barishal Health Office" not in offices_in_dhaka.text


def test_an_unknown_area_is_a_clear_error_keeping_what_was_typed(browser, ministry_tree):
    response = browser.get("/organisations/", {"area": "BD-99", "q": "land"})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "No area has the id or code “BD-99”." in response.text
    assert 'value="BD-99"' in response.text
    assert 'value="land"' in response.text
    assert 'href="#id_area"' in response.text


def test_a_filter_without_results_says_so(browser, ministry_tree):
    response = browser.get("/organisations/", {"q": "Atlantis"})

    assert "No organisations match" in response.text


def test_the_list_takes_the_same_queries_for_6_organisations_as_for_46(
    browser, ministry_tree, django_assert_num_queries
):
    # session, user, groups, the area filter, count, page (with area and parent joined)
    with django_assert_num_queries(6):
        assert "6 organisations" in browser.get("/organisations/", {"area": "BD"}).text
    for number in range(40):
        OrganisationFactory(
            name=f"Office {number}",
            kind="office",
            parent=ministry_tree["department"],
            area=ministry_tree["dhaka_office"].area,
        )

    with django_assert_num_queries(6):
        response = browser.get("/organisations/", {"area": "BD"})

    assert "46 organisations" in response.text


def test_an_organisation_page_lists_the_units_directly_below(browser, ministry_tree):
    response = browser.get(f"/organisations/{ministry_tree['department'].pk}/")

    assert response.status_code == 200
    assert "Ministry of Land" in response.text  # breadcrumbs and "part of"
    assert "Dhaka District Land Office" in response.text
    assert "Savar Upazila Land Office" in response.text


def test_an_office_without_units_says_so(browser, ministry_tree):
    response = browser.get(f"/organisations/{ministry_tree['savar_office'].pk}/")

    assert "AC Land Savar" in response.text
    assert "No departments or offices below this one yet." in response.text


def test_an_organisation_page_takes_the_same_queries_for_2_units_below_as_for_22(
    browser, ministry_tree, django_assert_num_queries
):
    department = ministry_tree["department"]
    url = f"/organisations/{department.pk}/"
    # session, user, groups, the organisation (with area and parent), the ones above, the units
    # below (count, page with their area)
    with django_assert_num_queries(7):
        assert len(browser.get(url).context["children"]["page"]) == 2
    for number in range(20):
        OrganisationFactory(name=f"Office {number}", kind="office", parent=department)

    with django_assert_num_queries(7):
        response = browser.get(url)

    assert len(response.context["children"]["page"]) == 22


def test_an_unknown_organisation_is_404(browser):
    assert browser.get("/organisations/999999/").status_code == 404
