"""Pipeline II on a phone: a round of the innovation fund from a proposal to an award that
adds to the pilot's budget; and a showcase whose scores lead to a replication in an area
where citizens still carry the burden."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innohub.core import roles
from innohub.geo.models import Level
from innohub.pipeline.models import Pilot, Proposal
from tests.accounts.helpers import confirmed_device
from tests.browser.conftest import (
    PHONE,
    axe_violations,
    fits_the_phone,
    sign_in,
    sign_in_with_code,
)
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory
from tests.geo.conftest import person_in
from tests.pipeline.factories import FundingCallFactory, IdeaFactory, PilotFactory
from tests.services.factories import JourneyStepFactory, ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(db):
    country = AreaFactory(code="BD", name="Bangladesh")
    district = AreaFactory(code="BD-13", name="Dhaka", level=Level.DISTRICT, parent=country)
    savar = AreaFactory(code="BD-13-S", name="Savar", level=Level.SUBDISTRICT, parent=district)
    dhamrai = AreaFactory(code="BD-13-D", name="Dhamrai", level=Level.SUBDISTRICT, parent=district)
    ministry = OrganisationFactory(name="Cabinet Division", area=country)
    office = OrganisationFactory(
        name="Land Office Savar", parent=ministry, kind="office", area=savar
    )
    service = ServiceFactory(name="Land mutation", organisation=office)
    officer = person_in(roles.CIVIL_SERVANT, username="rahim")
    person_in(roles.CIVIL_SERVANT, username="karim")
    mentor = person_in(roles.MENTOR, username="anis")
    manager = person_in(roles.PROGRAMME_MANAGER, username="salma")
    ProfileFactory(user=manager, area=country)
    person_in(roles.SENIOR_REVIEWER, username="nasrin")
    return {
        "ministry": ministry,
        "office": office,
        "service": service,
        "savar": savar,
        "dhamrai": dhamrai,
        "officer": officer,
        "mentor": mentor,
        "device": confirmed_device(manager),
    }


def switch(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)


def own_page(browser) -> Page:
    """A second phone, so that a programme manager passes two-factor once (a code is good
    for one sign-in)."""
    return browser.new_context(viewport=PHONE, locale="en-GB").new_page()


def test_a_funding_round_from_proposal_to_award(page: Page, browser, live_server, setting):
    base = live_server.url
    idea = IdeaFactory(service=setting["service"], proposer=setting["officer"],
                       title="Land records at the union centre")  # fmt: skip
    pilot = PilotFactory(
        status="approved", idea=idea, area=setting["savar"], organisation=setting["office"],
        lead=setting["officer"], mentor=setting["mentor"], budget=Decimal("50000"),
        title="Land records at the union centre",
    )  # fmt: skip
    call = FundingCallFactory(organisation=setting["ministry"], title="Innovation fund, round 8")

    # The pilot's lead proposes it to the open call.
    sign_in(page, base, "rahim")
    page.goto(f"{base}/fund/")
    page.get_by_role("link", name="Innovation fund, round 8").click()
    page.get_by_role("link", name="Propose an idea").click()
    page.get_by_label("Idea", exact=True).select_option(label=idea.title)
    page.get_by_label("Pilot (optional)").select_option(str(pilot.pk))
    page.get_by_label("Amount requested").fill("40000")
    page.get_by_label("Summary").fill("Scanners for two more union centres.")
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_text("waiting for assessors")).to_be_visible()
    proposal = Proposal.objects.get()

    # The programme manager asks the mentor to review it.
    manager = own_page(browser)
    sign_in_with_code(manager, base, "salma", setting["device"])
    manager.goto(f"{base}/proposals/{proposal.pk}/")
    manager.get_by_label("Assessor's username").fill("rahim")
    manager.get_by_role("button", name="Ask to review").click()
    expect(manager.get_by_role("alert")).to_contain_text("The idea's proposer cannot assess it.")
    manager.get_by_label("Assessor's username").fill("anis")
    manager.get_by_role("button", name="Ask to review").click()
    expect(manager.get_by_text("The assessor is asked to review the proposal.")).to_be_visible()

    # The assessor finds it waiting and scores it.
    switch(page, base, "anis")
    page.goto(f"{base}/fund/")
    page.locator("#to-assess + ul").get_by_role("link", name=idea.title).click()
    for criterion, mark in (("Impact", "5"), ("Feasibility", "4"), ("Replicability", "4"),
                            ("Value for money", "3")):  # fmt: skip
        page.get_by_role("group", name=criterion).get_by_label(mark, exact=True).check()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_text("Your review is recorded. Thank you.")).to_be_visible()

    # The programme manager awards it; the pilot's budget grows by the award.
    manager.goto(f"{base}/fund/{call.pk}/")
    expect(manager.locator("#ranked ~ .innohub-scroll")).to_contain_text("4.00")
    manager.get_by_role("link", name=idea.title).click()
    manager.get_by_label("Amount to award").fill("40000")
    manager.get_by_role("button", name="Award").click()
    expect(manager.get_by_text("The proposal is funded.")).to_be_visible()
    manager.get_by_role("link", name=pilot.title).last.click()
    expect(manager.get_by_text("90,000.00")).to_be_visible()
    manager.context.close()

    # Its proposer reads the stage.
    switch(page, base, "rahim")
    page.goto(f"{base}/proposals/{proposal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Awarded")
    assert axe_violations(page) == []
    assert Pilot.objects.get(pk=pilot.pk).budget == Decimal("90000.00")


def test_a_showcase_leads_to_a_replication(page: Page, live_server, setting):
    base = live_server.url
    pilot = PilotFactory(
        status="completed", area=setting["savar"], organisation=setting["office"],
        lead=setting["officer"], mentor=setting["mentor"], title="Mutation at the union centre",
        idea=IdeaFactory(service=setting["service"]),
    )  # fmt: skip
    # Citizens of Dhamrai still make four trips for a mutation.
    for n in range(3):
        JourneyStepFactory(
            journey__service=setting["service"], journey__area=setting["dhamrai"],
            journey__observed_on=timezone.localdate() - datetime.timedelta(days=n),
            visits=4, elapsed_days=Decimal("30"),
        )  # fmt: skip

    # The programme manager plans the showcase and puts the pilot on it.
    sign_in_with_code(page, base, "salma", setting["device"])
    page.goto(f"{base}/showcases/")
    page.get_by_role("link", name="Plan a showcase").click()
    page.get_by_label("Title").fill("Innovation showcase 2026")
    expect(page.locator("input#id_organisation")).to_be_visible()  # the picker is ready
    page.get_by_label("Organisation").fill("Cabinet")
    page.get_by_role("option", name="Cabinet Division").click()
    page.get_by_label("Held on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Plan the showcase").click()
    expect(page.locator("input#id_pilot")).to_be_visible()
    page.get_by_label("Completed pilot").fill("Mutation")
    page.get_by_role("option", name=pilot.title).click()
    page.get_by_role("button", name="Add the pilot").click()
    expect(page.get_by_text("The pilot is on the showcase's list.")).to_be_visible()
    showcase_url = page.url

    # The senior reviewer scores it and recommends replicating it.
    switch(page, base, "nasrin")
    page.goto(showcase_url)
    page.get_by_role("link", name=f"Score {pilot.title}").click()
    for criterion, mark in (("Impact", "5"), ("Cost", "4"), ("Replicability", "5"),
                            ("Readiness", "4")):  # fmt: skip
        page.get_by_role("group", name=criterion).get_by_label(mark, exact=True).check()
    page.get_by_label("Replicate", exact=True).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record my score").click()
    results = page.locator("#results ~ .innohub-scroll")
    expect(results).to_contain_text("18.00")
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    # Its lead sees where the burden remains, and replicates it there.
    switch(page, base, "rahim")
    page.goto(f"{base}/pilots/{pilot.pk}/")
    candidates = page.locator("#candidates ~ .innohub-scroll").first
    expect(candidates).to_contain_text("Dhamrai")
    expect(candidates).to_contain_text("4.00")
    page.locator("[data-chart='candidates-chart']").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => Boolean(window.Chart && Chart.getChart("
        "document.querySelector('[data-chart=\"candidates-chart\"] canvas')))"
    )
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    candidates.get_by_role("link", name="Replicate here").click()
    expect(page.get_by_label("Area", exact=True)).to_have_value("BD-13-D")
    page.get_by_label("Lead's username").fill("karim")
    page.get_by_role("button", name="Start the replication").click()
    expect(page.get_by_text("The replication is a draft pilot")).to_be_visible()
    family = page.locator("#family-list-caption").locator("xpath=..")
    expect(family).to_contain_text("Savar")
    expect(family).to_contain_text("Dhamrai")
    copy = Pilot.objects.get(replicates=pilot)
    assert (copy.area, copy.lead.username, copy.status) == (setting["dhamrai"], "karim", "draft")
    assert axe_violations(page) == []
    assert fits_the_phone(page)
