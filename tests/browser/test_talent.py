"""Free Agents on a phone: a manager of the Ministry of Land posts a challenge through the form
(a refused first try keeps what was typed), reads on its page why each free agent fits it —
"3 of 4 skills at the level asked; missing: Procurement" — and offers a seat; the agent
accepts it from their page. A programme manager makes the plan and reads the workforce
figures. Axe finds nothing serious on the pages, which fit a 360 px screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from innohub.core import roles
from innohub.talent.models import Assignment, AssignmentStatus, Challenge
from tests.accounts.helpers import confirmed_device
from tests.browser.conftest import axe_violations, fits_the_phone, sign_in, sign_in_with_code
from tests.factories import OrganisationFactory, SkillFactory, SkillFamilyFactory
from tests.geo.conftest import person_in
from tests.talent.factories import agent, challenge, days
from tests.talent.page_helpers import team_manager

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def programme(db):
    land = OrganisationFactory(name="Ministry of Land")
    family = SkillFamilyFactory(name="Service design")
    skills = {
        name: SkillFactory(name=name, family=family)
        for name in ("Data analysis", "Process mapping", "Procurement", "User research")
    }
    manager = team_manager(land, username="rahim", first_name="Rahim", last_name="Uddin")
    nasrin = agent(
        {skills["Data analysis"]: 4, skills["Process mapping"]: 3, skills["User research"]: 2},
        user__username="nasrin", user__first_name="Nasrin", user__last_name="Akter",
    )  # fmt: skip
    agent(
        {skills["Procurement"]: 4},
        user__username="karim", user__first_name="Karim", user__last_name="Hossain",
    )  # fmt: skip
    return {"land": land, "skills": skills, "manager": manager, "nasrin": nasrin}


def test_a_manager_posts_a_challenge_and_offers_a_seat_to_an_explained_candidate(
    page: Page, live_server, programme
):
    base = live_server.url
    sign_in(page, base, "rahim")
    page.goto(f"{base}/talent/")
    expect(page.get_by_role("heading", name="No open challenges yet")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Post a challenge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a challenge")
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    page.get_by_label("Title").fill("জমির রেকর্ড এক দিনে")
    expect(page.locator("input#id_organisation")).to_be_visible()  # the picker is ready
    page.get_by_label("Host organisation").fill("Land")
    page.get_by_role("option", name="Ministry of Land").click()
    rows = [
        ("Data analysis", "Experienced"),
        ("Process mapping", "Practising"),
        ("Procurement", "Experienced"),
        ("User research", "Practising"),
    ]
    for n, (skill, level) in enumerate(rows, start=1):
        page.get_by_label(re.compile(rf"^Skill {n}\b")).select_option(
            label=f"Service design: {skill}"
        )
        page.get_by_label(re.compile(rf"^Level asked for skill {n}\b")).select_option(label=level)
    page.get_by_label("Seats").fill("2")
    page.get_by_label("Starts on").fill(days(30).isoformat())
    page.get_by_label("Length in weeks").fill("12")
    page.get_by_label("It can be done remotely").check()
    page.get_by_role("button", name="Post the challenge").click()
    # Refused without the problem: the error names the field, and what was typed is kept.
    expect(page.locator(".govuk-error-summary")).to_contain_text("The problem")
    expect(page.get_by_label("Title")).to_have_value("জমির রেকর্ড এক দিনে")
    expect(page.get_by_label(re.compile(r"^Skill 3\b"))).to_have_value(
        str(programme["skills"]["Procurement"].pk)
    )
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    page.get_by_label("The problem").fill(
        "Citizens come back four times for one land record; we want it in a day."
    )
    page.get_by_role("button", name="Post the challenge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("জমির রেকর্ড এক দিনে")
    candidates = page.locator("main")
    expect(candidates).to_contain_text("3 of 4 skills at the level asked; missing: Procurement")
    expect(candidates).to_contain_text(
        "1 of 4 skills at the level asked; missing: Data analysis, Process mapping, User research"
    )
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    page.get_by_role("button", name="Offer a seat to Nasrin Akter").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "A seat is offered to Nasrin Akter"
    )
    offer = Assignment.objects.get()
    assert offer.challenge == Challenge.objects.get() and offer.match == 3
    expect(page.locator("#offers + ul")).to_contain_text("Nasrin Akter Offered")
    assert axe_violations(page) == []

    # The agent answers on their own page.
    page.context.clear_cookies()
    sign_in(page, base, "nasrin")
    page.goto(f"{base}/talent/me/")
    expect(page.get_by_role("heading", name="Offers waiting for your answer")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_role("button", name="Accept জমির রেকর্ড এক দিনে").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You accepted")
    offer.refresh_from_db()
    assert offer.status == AssignmentStatus.ACCEPTED

    # In Bangla too.
    page.get_by_role("button", name="বাংলা").click()
    expect(page.locator("html")).to_have_attribute("lang", "bn")
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_a_programme_manager_makes_the_plan_and_reads_the_workforce(
    page: Page, live_server, programme
):
    skills = programme["skills"]
    challenge(
        {skills["Data analysis"]: 3, skills["Procurement"]: 3},
        title="Tenders in a week",
        organisation=programme["land"],
    )
    pm = person_in(roles.PROGRAMME_MANAGER, username="salma")
    sign_in_with_code(page, live_server.url, "salma", confirmed_device(pm))
    page.goto(f"{live_server.url}/talent/plan/")
    page.get_by_role("button", name="Make the best plan").click()
    table = page.get_by_role("region", name="The plan")
    expect(table).to_contain_text("Tenders in a week")
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    page.goto(f"{live_server.url}/talent/workforce/")
    expect(page.get_by_role("heading", name="Not counted yet")).to_be_visible()
    page.get_by_role("button", name="Count now").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Counting.")
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    # The list of free agents, and one agent's page with what fits them.
    page.goto(f"{live_server.url}/talent/agents/")
    page.get_by_role("button", name="Show free agents").click()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_role("region", name="Free agents").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Challenges that fit")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
