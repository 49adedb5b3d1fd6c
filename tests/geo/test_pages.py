from __future__ import annotations

import re

import pytest

from innohub.geo.models import Level
from tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, civil_servant):
    client.force_login(civil_servant)
    return client


def test_the_pages_need_a_signed_in_person(client, bangladesh):
    for url in ("/areas/", f"/areas/{bangladesh['BD'].pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_without_areas_the_list_says_how_they_are_loaded(browser):
    response = browser.get("/areas/")

    assert response.status_code == 200
    assert "No areas yet" in response.text
    assert "manage.py load_areas BD" in response.text
    assert "<table" not in response.text


def test_the_list_shows_areas_with_links_to_their_pages(browser, bangladesh):
    response = browser.get("/areas/")

    assert response.status_code == 200
    assert "6 areas" in response.text
    assert f'href="/areas/{bangladesh["BD-13"].pk}/"' in response.text
    # Names in Bangla carry their language, for screen readers.
    assert '<span lang="bn">আশুলিয়া</span>' in response.text


def test_filter_by_level_and_search_by_local_name(browser, bangladesh):
    by_level = browser.get("/areas/", {"level": Level.DIVISION})
    by_name = browser.get("/areas/", {"q": "সাভার"})

    assert "2 areas" in by_level.text
    assert "Barishal" in by_level.text and "Savar" not in by_level.text
    assert "1 area" in by_name.text and "Savar" in by_name.text


def test_a_search_without_results_says_so(browser, bangladesh):
    response = browser.get("/areas/", {"q": "Atlantis"})

    assert "No areas match" in response.text
    assert 'value="Atlantis"' in response.text


def test_bad_filter_input_is_shown_with_what_was_typed_never_a_500(browser, bangladesh):
    response = browser.get("/areas/", {"q": "Sa\x00var", "level": "planet"})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'class="govuk-error-summary"' in response.text
    assert "Select a valid choice" in response.text
    assert response.text.count("govuk-error-message") >= 2


def test_the_list_is_paginated_in_pages_of_50(browser, bangladesh):
    for number in range(60):
        AreaFactory(code=f"BD-13-S{number:02}", level="subdistrict", parent=bangladesh["BD-13"])

    first = browser.get("/areas/", {"level": "subdistrict"})
    second = browser.get("/areas/", {"level": "subdistrict", "page": 2})

    assert "61 areas" in first.text
    assert len(re.findall(r'<tr class="govuk-table__row">', first.text)) == 51  # with the head
    assert 'href="?level=subdistrict&amp;page=2"' in first.text
    assert 'aria-current="page">2<' in second.text
    # Screen readers hear one whole phrase, translatable as one ("Page précédente").
    assert '<span class="govuk-visually-hidden">Next page</span>' in first.text
    assert '<span class="govuk-visually-hidden">Previous page</span>' in second.text
    assert len(re.findall(r'<tr class="govuk-table__row">', second.text)) == 12
    # A page number that is not one gives the nearest page, not an error.
    assert browser.get("/areas/", {"page": "abc"}).status_code == 200


def test_the_list_takes_the_same_queries_for_6_areas_as_for_66(
    browser, bangladesh, django_assert_num_queries
):
    # session, user, groups, count, page (with the parents joined)
    with django_assert_num_queries(5):
        assert "6 areas" in browser.get("/areas/").text
    for number in range(60):
        AreaFactory(code=f"BD-13-S{number:02}", level="subdistrict", parent=bangladesh["BD-13"])

    with django_assert_num_queries(5):
        response = browser.get("/areas/")

    assert "66 areas" in response.text


def test_an_area_page_lists_the_areas_below_and_the_organisations_in_it(browser, bangladesh):
    dhaka_division = bangladesh["BD-C"]
    OrganisationFactory(name="Dhaka Divisional Commissioner", kind="ministry", area=dhaka_division)
    OrganisationFactory(name="Savar Land Office", kind="ministry", area=bangladesh["BD-13-SAVAR"])
    OrganisationFactory(name="Barishal Office", kind="ministry", area=bangladesh["BD-A"])

    response = browser.get(f"/areas/{dhaka_division.pk}/")

    assert response.status_code == 200
    text = response.text
    assert '<h1 class="govuk-heading-l">Dhaka' in text
    assert 'class="govuk-breadcrumbs"' in text and "Bangladesh" in text
    assert f'href="/areas/{bangladesh["BD-13"].pk}/"' in text  # the district below
    assert "Savar</a>" not in text  # only the areas directly below are listed
    assert "Dhaka Divisional Commissioner" in text
    assert "Savar Land Office" in text  # organisations of the areas below count too
    assert "Barishal Office" not in text


def test_an_area_with_nothing_below_says_so(browser, bangladesh):
    response = browser.get(f"/areas/{bangladesh['BD-13-SAVAR-ASHULIA'].pk}/")

    assert "No areas below this one yet." in response.text
    assert "No organisations in this area yet." in response.text


def test_an_area_page_takes_the_same_queries_for_1_area_and_organisation_below_as_for_31(
    browser, bangladesh, django_assert_num_queries
):
    dhaka = bangladesh["BD-13"]
    OrganisationFactory(kind="office", area=dhaka)
    # session, user, groups, the area (with its parent), the areas above; the areas below and
    # the organisations in it (with their area): a count and a page each
    with django_assert_num_queries(9):
        assert len(browser.get(f"/areas/{dhaka.pk}/").context["children"]["page"]) == 1
    for number in range(30):
        AreaFactory(code=f"BD-13-S{number:02}", level="subdistrict", parent=dhaka)
        OrganisationFactory(kind="office", area=dhaka)

    with django_assert_num_queries(9):
        response = browser.get(f"/areas/{dhaka.pk}/")

    assert len(response.context["children"]["page"]) == 31
    assert len(response.context["organisations"]["page"]) == 31


def test_an_unknown_area_is_404(browser):
    assert browser.get("/areas/999999/").status_code == 404
