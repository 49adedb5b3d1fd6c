"""The area and organisation pages in a real browser, phone-sized, checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from innohub.geo.models import Level
from tests.browser.conftest import (
    axe_violations,
    fits_the_phone,
    sign_in,
)
from tests.factories import AreaFactory, OrganisationFactory
from tests.geo.conftest import person_in

pytestmark = [
    pytest.mark.browser,
    # Rolled back from a serialised copy, so that the role groups survive for later tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def places(db):
    country = AreaFactory(code="BD", name="Bangladesh", name_local="বাংলাদেশ")
    division = AreaFactory(
        code="BD-C", name="Dhaka", name_local="ঢাকা", level=Level.DIVISION, parent=country
    )
    district = AreaFactory(
        code="BD-13", name="Dhaka", name_local="ঢাকা", level=Level.DISTRICT, parent=division
    )
    for number in range(55):
        AreaFactory(code=f"BD-13-S{number:02}", level=Level.SUBDISTRICT, parent=district)
    ministry = OrganisationFactory(name="Ministry of Land", name_local="ভূমি মন্ত্রণালয়", area=country)
    OrganisationFactory(
        name="Dhaka District Land Office", kind="office", parent=ministry, area=district
    )
    person_in("civil_servant", username="nusrat")
    return {"district": district}


def test_browse_areas_filter_and_open_one(page: Page, live_server, places):
    sign_in(page, live_server.url, "nusrat")

    page.goto(f"{live_server.url}/areas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Areas")
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    page.get_by_label("Level").select_option("district")
    page.get_by_role("button", name="Show areas").click()
    expect(page.get_by_role("heading", name="1 area")).to_be_visible()
    page.get_by_role("link", name="Dhaka").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Dhaka")
    expect(page.get_by_role("link", name="Dhaka District Land Office")).to_be_visible()
    page.get_by_role("navigation", name="Pages of areas below").get_by_role(
        "link", name="Next"
    ).click()
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_an_unknown_area_on_the_organisations_page_is_explained(page: Page, live_server, places):
    sign_in(page, live_server.url, "nusrat")

    page.goto(f"{live_server.url}/organisations/")
    page.get_by_label("Area").fill("BD-99")
    page.get_by_role("button", name="Show organisations").click()

    expect(page.get_by_role("alert")).to_contain_text("No area has the id or code “BD-99”.")
    expect(page.get_by_label("Area")).to_have_value("BD-99")
    assert axe_violations(page) == []

    page.get_by_label("Area").fill("BD-13")
    page.get_by_role("button", name="Show organisations").click()
    expect(page.get_by_role("heading", name="1 organisation")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_long_names_never_push_the_lists_sideways_on_a_phone(page: Page, live_server, places):
    """The demo's real names (a ministry's full name, a position, an organisation in Bangla)
    made /organisations/ and /accounts/people/ 364 and 369 px wide on a 360 px screen."""
    from innohub.accounts.models import Profile, User

    long_name = "Ministry of Posts, Telecommunications and Information Technology (ICT Division)"
    office = OrganisationFactory(
        name=long_name,
        name_local="ডাক, টেলিযোগাযোগ ও তথ্যপ্রযুক্তি মন্ত্রণালয় (তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ)",
        area=places["district"],
    )
    OrganisationFactory(name="Directorate-General-of-Health-Services-Management", parent=office)
    nusrat = User.objects.get(username="nusrat")
    nusrat.first_name, nusrat.last_name = "Nusrat", "Jahan-Chowdhury-Rahman"
    nusrat.save()
    Profile.objects.update_or_create(
        user=nusrat,
        defaults={
            "position": "Assistant Commissioner (Land) and Executive Magistrate",
            "organisation": office,
            "area": places["district"],
        },
    )
    base = live_server.url
    sign_in(page, base, "nusrat")
    for path in ("/organisations/", "/accounts/people/", "/areas/"):
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert fits_the_phone(page), path
