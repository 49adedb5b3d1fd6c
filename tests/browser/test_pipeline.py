"""From a pain point to a measured pilot, on a phone: an officer turns a pain point into an
idea, starts a pilot of it, names a mentor and submits it; a team member approves it; the
officer starts it, records a baseline and an after journey from the pilot's page, and reads
the impact in words."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innohub.accounts.models import TeamMembership
from innohub.core import roles
from innohub.geo.models import Level
from innohub.pipeline.models import Measurement, Pilot
from tests.browser.conftest import axe_violations, fits_the_phone, sign_in
from tests.factories import AreaFactory, InnovationTeamFactory, OrganisationFactory
from tests.geo.conftest import person_in
from tests.services.factories import JourneyPainPointFactory, JourneyStepFactory, ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(db):
    country = AreaFactory(code="BD", name="Bangladesh")
    district = AreaFactory(code="BD-13", name="Dhaka", level=Level.DISTRICT, parent=country)
    upazila = AreaFactory(code="BD-13-S", name="Savar", level=Level.SUBDISTRICT, parent=district)
    ministry = OrganisationFactory(name="Ministry of Land", area=country)
    office = OrganisationFactory(
        name="Land Office Savar", parent=ministry, kind="office", area=upazila
    )
    service = ServiceFactory(name="Land mutation", organisation=office)
    officer = person_in(roles.CIVIL_SERVANT, username="rahim")
    person_in(roles.MENTOR, username="anis")
    approver = person_in(roles.CIVIL_SERVANT, username="kamal")
    team = InnovationTeamFactory(name="Land innovation team", organisation=ministry, area=None)
    TeamMembership.objects.create(team=team, user=approver)
    seen = JourneyPainPointFactory(
        journey_step__journey__service=service,
        journey_step__journey__area=upazila,
        journey_step__journey__observer=officer,
        journey_step__journey__ref="SEEN-1",
        description="Paid a broker to find the file",
    )
    from tests.pipeline.factories import IdeaFactory

    IdeaFactory(title="Union centre counters", problem="Queues at the union centre")
    return {"service": service, "upazila": upazila, "journey": seen.journey_step.journey}


def record_journey(page: Page, *, day: datetime.date, visits: str, ref: str) -> None:
    """The start page came prefilled from the pilot's page: a date, a method, one step."""
    expect(page.get_by_label("Pilot number")).not_to_have_value("")
    page.get_by_label("Date the journey began").fill(day.isoformat())
    page.get_by_label("Secret shopper").check()
    page.get_by_label("Your reference").fill(ref)
    page.get_by_role("button", name="Start the journey").click()
    page.get_by_label("What happened at this step?").fill("Applied at the office")
    page.get_by_label("Documents asked for").fill("2")
    page.get_by_label("Elapsed days").fill("3")
    page.get_by_label("Citizen's hours").fill("2")
    page.get_by_label("Fees", exact=True).fill("100")
    page.get_by_label("Travel cost").fill("50")
    page.get_by_label("Other cost").fill("0")
    page.get_by_label("Visits to an office").fill(visits)
    page.get_by_role("button", name="Save this step").click()
    page.get_by_role("button", name="Finish the journey").click()


def test_a_pain_point_becomes_a_measured_pilot(page: Page, live_server, setting):
    base = live_server.url
    sign_in(page, base, "rahim")

    # The pain point, on the journey's page, becomes an idea.
    page.goto(f"{base}/services/journeys/{setting['journey'].pk}/")
    page.get_by_role("link", name="Turn it into an idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose an idea")
    expect(page.get_by_text("Paid a broker to find the file").first).to_be_visible()
    panel = page.locator("#similar-ideas")
    expect(panel).not_to_contain_text("Union centre counters")
    page.get_by_label("Title").fill("Land records found at the union centre")
    # The panel follows what is typed: an idea from elsewhere on the same union centres.
    expect(panel).to_contain_text("Union centre counters")
    page.get_by_label("The change you propose").fill("Scan the records; print them at the union.")
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_role("button", name="Publish the idea").click()
    expect(page.get_by_text("Your idea is published for everyone to see.")).to_be_visible()
    idea_url = page.url

    # The design workshop writes it down.
    page.get_by_role("link", name="The project design").click()
    page.get_by_role("link", name="Write the design").click()
    page.get_by_label("Title of the project").fill("ইউনিয়নে ভূমি রেকর্ড")
    page.get_by_label("Objectives").fill("From four visits to one.")
    page.get_by_label("Baseline journeys").fill("2")
    page.get_by_label("After journeys").fill("2")
    activity = page.get_by_role("group", name="Activity 1")
    activity.get_by_label("Activity").fill("Scan the records")
    activity.get_by_label("Starts on").fill("2026-03-01")
    activity.get_by_label("Ends on").fill("2026-03-20")
    line = page.get_by_role("group", name="Budget line 1")
    line.get_by_label("Item").fill("Scanner")
    line.get_by_label("Amount").fill("35000")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save the design").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ইউনিয়নে ভূমি রেকর্ড")
    expect(page.get_by_role("strong")).to_contain_text("35,000.00")  # the total
    assert fits_the_phone(page)
    page.goto(idea_url)

    # A pilot of it, in the subdistrict, with a budget.
    page.get_by_role("link", name="Start a pilot of it").click()
    page.get_by_label("Area", exact=True).fill("bd-13-s")
    page.get_by_label("Organisation").fill("Land Office")
    page.get_by_role("option", name="Land Office Savar").click()
    page.get_by_label("Budget", exact=True).fill("50000")
    page.get_by_label("Citizens served a year in the pilot area").fill("12000")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Create the draft pilot").click()
    expect(page.get_by_text("Name a mentor before you submit the pilot.")).to_be_visible()

    # A mentor, then submitted.
    page.get_by_role("link", name="Change the pilot").click()
    page.get_by_label("Mentor's username").fill("rahim")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The mentor cannot be the pilot's lead.")
    page.get_by_label("Mentor's username").fill("anis")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("The pilot is now “Submitted”.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # not for its lead
    pilot = Pilot.objects.get()

    # The innovation team approves it.
    page.context.clear_cookies()
    sign_in(page, base, "kamal")
    page.goto(f"{base}/pilots/{pilot.pk}/")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("The pilot is now “Approved”.")).to_be_visible()

    # Its lead starts it and measures it from its page; two more journeys were measured before.
    page.context.clear_cookies()
    sign_in(page, base, "rahim")
    page.goto(f"{base}/pilots/{pilot.pk}/")
    page.get_by_role("button", name="Start the pilot").click()
    today = timezone.localdate()
    for phase, visits in (("baseline", 4), ("after", 1)):
        earlier = Measurement.objects.create(
            pilot=pilot,
            phase=phase,
            journey=JourneyStepFactory(
                journey__service=setting["service"],
                journey__area=setting["upazila"],
                journey__observed_on=today
                - datetime.timedelta(days=30 if phase == "baseline" else 0),
                elapsed_days=Decimal("3"),
                visits=visits,
            ).journey,
        )
        assert earlier.pk
    page.get_by_role("link", name="Record a baseline journey").click()
    record_journey(page, day=today - datetime.timedelta(days=20), visits="4", ref="B-1")
    page.goto(f"{base}/pilots/{pilot.pk}/")
    page.get_by_role("link", name="Record an after journey").click()
    record_journey(page, day=today, visits="1", ref="A-1")
    assert Measurement.objects.filter(pilot=pilot).count() == 4

    page.goto(f"{base}/pilots/{pilot.pk}/")
    impact = page.locator("#impact + ul")
    expect(impact).to_contain_text("Citizens now make 3.00 fewer visits (95% CI 3.00 to 3.00)")
    expect(impact).to_contain_text("trips saved a year")
    expect(page.get_by_text("Means of 2 baseline and 2 after journeys")).to_be_visible()
    timeline = page.locator("#timeline + ol")
    expect(timeline).to_contain_text("Approved")
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_the_design_prints_as_a_pdf_with_its_bangla_title(page: Page, live_server, setting):
    import shutil
    import subprocess

    from innohub.pipeline import designs
    from tests.pipeline.factories import IdeaFactory

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) missing")
    idea = IdeaFactory(service=setting["service"], title="Land records at the union")
    designs.save_design(
        by=idea.proposer,
        idea=idea,
        title="ভূমি সেবা এক দিনে",
        objectives="From four visits to one.",
    )
    base = live_server.url
    sign_in(page, base, "rahim")
    page.goto(f"{base}/ideas/{idea.pk}/design/")
    assert axe_violations(page) == []
    link = page.get_by_role("link", name="Download as PDF")
    response = page.request.get(base + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "সেবা" in text and "এক" in text  # words without a vowel sign drawn before
    assert "From four visits to one." in text
