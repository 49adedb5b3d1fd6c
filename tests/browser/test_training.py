"""A tiny cohort on a phone: an officer applies, the programme manager selects them, the
trainer takes attendance in one tap, hopes and fears are grouped into a theme, the officer
records a secret-shopper journey and turns the team's concept into an idea."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innohub.core import roles
from innohub.pipeline.models import Idea
from innohub.services.models import Journey
from innohub.training.models import Cohort, Participant
from tests.accounts.helpers import confirmed_device
from tests.browser.conftest import axe_violations, fits_the_phone, sign_in
from tests.browser.test_fund import own_page, sign_in_with_code
from tests.factories import AreaFactory, OrganisationFactory, ProfileFactory
from tests.geo.conftest import person_in
from tests.services.factories import ServiceFactory
from tests.training.factories import CohortFactory, ProgrammeFactory, SessionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(db):
    area = AreaFactory(code="BD-13", name="Dhaka", hourly_wage=Decimal("40.00"))
    ministry = OrganisationFactory(name="Ministry of Land", area=area)
    service = ServiceFactory(name="Land mutation", organisation=ministry)
    officer = person_in(
        roles.CIVIL_SERVANT, username="rahim", first_name="Rahim", last_name="Uddin"
    )
    ProfileFactory(user=officer, organisation=ministry, area=area, gender="male", grade="Grade 9")
    trainer = person_in(roles.TRAINER, username="farzana")
    manager = person_in(roles.PROGRAMME_MANAGER, username="salma")
    ProfileFactory(user=manager, area=area)
    start = timezone.localdate() + datetime.timedelta(days=7)
    cohort = CohortFactory(
        programme=ProgrammeFactory(name="Empathy training (test)"),
        title="Empathy training, Savar",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=4),
        capacity=2,
        by=manager,
        trainers=[trainer],
    )
    session = SessionFactory(cohort=cohort, title="Day 1, morning")
    return {
        "cohort": cohort,
        "session": session,
        "service": service,
        "device": confirmed_device(manager),
    }


def check(page: Page) -> None:
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_a_tiny_cohort_from_application_to_an_idea(page: Page, browser, live_server, setting):
    base = live_server.url
    cohort = setting["cohort"]

    # The officer applies.
    sign_in(page, base, "rahim")
    page.goto(f"{base}/training/")
    check(page)
    page.get_by_role("link", name="Empathy training, Savar").click()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("alert")).to_contain_text("Why do you want to take part?")
    page.get_by_label("Why do you want to take part?").fill(
        "Citizens visit our land office three times."
    )
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Your application:")).to_be_visible()
    check(page)

    # The programme manager selects them, the balance in view.
    manager = own_page(browser)
    sign_in_with_code(manager, base, "salma", setting["device"])
    manager.goto(f"{base}/training/cohorts/{cohort.pk}/applications/")
    check(manager)
    manager.get_by_label("Select Rahim Uddin").check()
    manager.get_by_role("button", name="Save the selection and tell the people").click()
    expect(manager.get_by_text("The selection is saved")).to_be_visible()
    expect(manager.get_by_role("heading", name="Balance of the selection")).to_be_visible()
    expect(manager.locator("#balance ~ dl").first).to_contain_text("Male")
    assert Participant.objects.filter(cohort=cohort, user__username="rahim").exists()

    # The course begins; the trainer takes attendance, one tap.
    Cohort.objects.filter(pk=cohort.pk).update(
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + datetime.timedelta(days=4)
    )
    trainer = own_page(browser)
    sign_in(trainer, base, "farzana")
    trainer.goto(
        f"{base}/training/cohorts/{cohort.pk}/sessions/{setting['session'].pk}/attendance/"
    )
    check(trainer)
    person = trainer.get_by_role("button", name="Rahim Uddin")
    expect(person).to_have_attribute("aria-pressed", "false")
    person.click()
    expect(trainer.get_by_role("button", name="Rahim Uddin")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert setting["session"].attendance.count() == 1

    # Hopes and fears: the officer posts two notes, the trainer groups them into a theme.
    page.goto(f"{base}/training/cohorts/{cohort.pk}/hopes-and-fears/")
    for kind, text in (
        ("Hope", "Fewer visits to the land office"),
        ("Fear", "Brokers at the land office stay"),
    ):
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Your note").fill(text)
        page.get_by_role("button", name="Post the note").click()
        expect(page.get_by_text(text, exact=True)).to_be_visible()
    check(page)
    trainer.goto(f"{base}/training/cohorts/{cohort.pk}/hopes-and-fears/")
    check(trainer)
    expect(trainer.get_by_role("heading", name="Suggested groups")).to_be_visible()
    trainer.get_by_role("button", name="Make it a theme").first.click()
    expect(trainer.get_by_text("The theme is on the board.")).to_be_visible()
    assert cohort.themes.get().notes.count() == 2

    # Secret shopper: the trainer assigns the service; the officer records a journey of it.
    trainer.goto(f"{base}/training/cohorts/{cohort.pk}/secret-shopper/")
    trainer.get_by_label("Participant").select_option(label="Rahim Uddin")
    expect(trainer.locator("input#id_service")).to_be_visible()  # the picker has loaded
    trainer.locator("input#id_service").fill("land")
    trainer.get_by_role("option", name="Land mutation").click()
    trainer.get_by_role("button", name="Assign the service").click()
    expect(trainer.get_by_text("The service is assigned")).to_be_visible()
    page.goto(f"{base}/training/cohorts/{cohort.pk}/secret-shopper/")
    check(page)
    page.get_by_role("link", name="Record a journey").click()
    page.get_by_label("Area").fill("BD-13")
    page.get_by_label("Date the journey began").fill(timezone.localdate().isoformat())
    page.get_by_label("Secret shopper").check()
    page.get_by_role("button", name="Start the journey").click()
    page.get_by_label("What happened at this step?").fill("Asked for the form at the land office")
    for label, value in (
        ("Elapsed days", "2"),
        ("Citizen's hours", "3"),
        ("Travel cost", "60"),
        ("Visits to an office", "1"),
    ):
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Save this step").click()
    page.get_by_role("button", name="Finish the journey").click()
    journey = Journey.objects.get(observer__username="rahim")
    assert journey.service == setting["service"]
    trainer.goto(f"{base}/training/cohorts/{cohort.pk}/secret-shopper/")
    expect(trainer.locator("#debrief ~ *").first).to_contain_text("Rahim Uddin")

    # Policy Lab: the officer writes the concept and turns it into an idea.
    page.goto(f"{base}/training/cohorts/{cohort.pk}/policy-lab/")
    page.get_by_label("Title").fill("Mutation in one visit")
    page.get_by_label("The problem").fill("Three visits to the land office for one mutation.")
    page.get_by_role("button", name="Add the concept").click()
    expect(page.get_by_text("The concept is in the Policy Lab.")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Turn it into an idea").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mutation in one visit")
    assert Idea.objects.get().concept.cohort_id == cohort.pk
