"""A consultation on a phone: a citizen without an account and without JavaScript answers
it, and an officer of the office turns the answer into a finding and records what was done,
which the citizen then reads on the public page ("you said, we did")."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innohub.engagement import services
from innohub.engagement.models import Contribution, Finding
from tests.browser.conftest import PHONE, axe_violations, fits_the_phone, sign_in
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(db):
    country = AreaFactory(code="BD", name="Bangladesh")
    dhaka = AreaFactory(code="BD-13", name="Dhaka", level="district", parent=country)
    office = OrganisationFactory(name="AC Land office, Savar", area=dhaka)
    officer = UserFactory(username="nusrat", first_name="Nusrat", last_name="Jahan")
    ProfileFactory(user=officer, organisation=office, area=dhaka)
    today = timezone.localdate()
    consultation = services.create_consultation(
        by=officer, title="Land mutation in Savar",
        question="What slows you down when you record a new owner of land?",
        organisation=office, opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=20),
        channels=["online", "face_to_face", "digital_centre"], retention_days=90,
    )  # fmt: skip
    return {"consultation": consultation, "officer": officer}


def test_a_citizen_answers_without_javascript_and_an_officer_answers_back(
    browser, page: Page, live_server, setting
):
    base, consultation = live_server.url, setting["consultation"]
    public = f"{base}/consultations/{consultation.pk}/"
    citizen = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    phone = citizen.new_page()
    # axe needs JavaScript (its run never ends without): it checks the same pages, which load
    # no script of their own, in a second phone with JavaScript on.
    checker = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    phone.goto(f"{base}/consultations/")
    phone.get_by_role("link", name="Land mutation in Savar").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Land mutation in Savar")
    assert fits_the_phone(phone)
    checker.goto(public)
    assert axe_violations(checker) == []

    # A name without agreeing to keep it comes back beside the box, with the words kept.
    phone.get_by_label("Your answer").fill("I went to the land office four times.")
    phone.get_by_label("Your district").select_option(label="Dhaka")
    phone.get_by_label("2: unhappy").check()
    phone.get_by_label("Your name").fill("Rahima")
    phone.get_by_role("button", name="Send your answer").click()
    expect(phone.locator(".govuk-error-summary")).to_contain_text("Tick that you agree")
    expect(phone.get_by_label("Your answer")).to_have_value("I went to the land office four times.")
    assert fits_the_phone(phone)
    checker.get_by_label("Your answer").fill("Slow.")
    checker.get_by_label("Your name").fill("Rahima")
    checker.get_by_role("button", name="Send your answer").click()
    expect(checker.locator(".govuk-error-summary")).to_be_visible()
    assert axe_violations(checker) == []
    phone.get_by_label("Your name").fill("")
    phone.get_by_role("button", name="Send your answer").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
    checker.goto(phone.url)
    assert axe_violations(checker) == []
    said = Contribution.objects.get()
    assert (said.channel, said.satisfaction, said.area.code, said.name) == (
        "online",
        2,
        "BD-13",
        "",
    )

    # The officer, on their phone with JavaScript, makes a finding of it and responds.
    sign_in(page, base, "nusrat")
    page.goto(f"{base}/engagement/{consultation.pk}/")
    assert axe_violations(page) == []
    page.get_by_label("I went to the land office four times.").check()
    page.get_by_label("What we heard", exact=True).fill("Too many visits to the land office")
    page.get_by_role("button", name="Write a finding from the ticked contributions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many visits to the land office")
    assert axe_violations(page) == []
    page.get_by_label("What we did").fill("A one-stop counter at the union digital centre.")
    page.get_by_label("A change to the service").check()
    page.get_by_label("Done on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record what we did").click()
    expect(page.get_by_text("What was done is recorded")).to_be_visible()
    assert fits_the_phone(page)
    assert Finding.objects.get().responses.count() == 1

    # Back on the citizen's phone: you said, we did.
    phone.goto(f"{base}/consultations/{consultation.pk}/")
    expect(phone.get_by_text("You said: Too many visits to the land office")).to_be_visible()
    expect(phone.get_by_text("A one-stop counter at the union digital centre.")).to_be_visible()
    checker.goto(public)
    assert axe_violations(checker) == []
    citizen.close()
    checker.context.close()
