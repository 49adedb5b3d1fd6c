"""A secret shopper records a 3-step journey on a phone and sees the right totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from innohub.core import roles
from tests.browser.conftest import (
    axe_violations,
    fill_step,
    fits_the_phone,
    sign_in,
    wait_for_charts,
)
from tests.factories import AreaFactory
from tests.geo.conftest import person_in
from tests.services.factories import ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STEPS = [
    # title, documents, days, hours, fees, travel, other, visits, pain point
    ("Bought the application form", "1", "0.5", "2", "50", "40", "0", "1", ""),
    (
        "Submitted at the land office",
        "6",
        "10",
        "3.5",
        "1150",
        "80",
        "200",
        "2",
        "informal_payment",
    ),
    ("Collected the record", "0", "3", "1", "0", "40", "0", "1", ""),
]


@pytest.fixture
def setting(db):
    area = AreaFactory(code="BD-13", name="Dhaka", hourly_wage=Decimal("40.00"))
    ServiceFactory(name="Land mutation", organisation__area=area)
    person_in(roles.CIVIL_SERVANT, username="rahim")


def test_record_a_three_step_journey_on_a_phone(page: Page, live_server, setting):
    base = live_server.url
    sign_in(page, base, "rahim")

    page.goto(f"{base}/services/journeys/new/")
    assert axe_violations(page) == []
    # Both pickers search as the officer types: the service from the list, the area by code.
    page.get_by_label("Service").fill("land")
    page.get_by_role("option", name="Land mutation").click()
    page.get_by_label("Area").press_sequentially("bd-1")
    expect(page.locator("#id_area-suggestions option[value='BD-13']")).to_have_count(1)
    page.get_by_label("Area").fill("BD-13")
    assert axe_violations(page) == []
    page.get_by_label("Date the journey began").fill("2025-05-04")
    page.get_by_label("Secret shopper").check()
    page.get_by_label("Your reference").fill("DHK-7")
    page.get_by_role("button", name="Start the journey").click()

    for number, (title, documents, days, hours, fees, travel, other, visits, pain) in enumerate(
        STEPS, start=1
    ):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Step {number}")
        fill_step(page, title, (documents, days, hours, fees, travel, other, visits))
        if pain:
            page.get_by_label("Pain point (optional)", exact=True).select_option(pain)
            page.get_by_label("Describe the pain point").fill("Asked for tea money")
        if number == 1:
            # A typo is refused with what was typed kept, and nothing saved.
            page.get_by_label("Visits to an office").fill("-1")
            page.get_by_role("button", name="Save this step").click()
            expect(page.get_by_role("alert")).to_contain_text("Enter 0 or more.")
            expect(page.get_by_label("What happened at this step?")).to_have_value(title)
            assert axe_violations(page) == []
            page.get_by_label("Visits to an office").fill(visits)
        page.get_by_role("button", name="Save this step").click()
        expect(page.get_by_text(f"Step {number} saved.")).to_be_visible()
        if number == 1:
            assert axe_violations(page) == []
            assert fits_the_phone(page)

    page.get_by_role("button", name="Finish the journey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Journey DHK-7")
    card = page.locator(".govuk-summary-card").first
    # 13.5 days (6.5 hours); 50+40 + 1150+80+200 + 40 = 1560; 4 visits; 7 documents.
    expect(card).to_contain_text("13.50 days, of which 6.50 hours")
    expect(card).to_contain_text("1,560.00\u00a0BDT")
    expect(card.locator("dd").nth(2)).to_have_text("4")
    expect(card.locator("dd").nth(3)).to_have_text("7")
    expect(card).to_contain_text("260.00\u00a0BDT")  # opportunity cost: 6.5 hours at 40
    expect(page.get_by_text("Informal payment: Asked for tea money")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_the_service_page_draws_the_distribution_chart(page: Page, live_server, setting):
    from innohub.services.models import Service, Variant
    from tests.services.factories import (
        JourneyFactory,
        JourneyStepFactory,
        MapStepFactory,
        ProcessMapFactory,
    )

    service = Service.objects.get(name="Land mutation")
    # Wide figures in every variant: the tables must scroll inside themselves on a phone.
    for variant in (Variant.EXISTING, Variant.SIMPLIFIED, Variant.DIGITAL):
        MapStepFactory(
            process_map=ProcessMapFactory(service=service, variant=variant),
            fees=Decimal("9300.00"),
            other_cost=Decimal("12557.60"),
        )
    for days in ("4", "6", "20"):
        JourneyStepFactory(
            journey=JourneyFactory(service=service, area=service.organisation.area),
            elapsed_days=Decimal(days),
            other_cost=Decimal("10619.13"),
        )
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    sign_in(page, live_server.url, "rahim")
    page.goto(f"{live_server.url}/services/")
    page.get_by_role("link", name="Land mutation").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Land mutation")
    # Chart.js is fetched only as a chart nears the screen.
    assert page.evaluate("window.Chart") is None
    wait_for_charts(page)
    assert errors == []
    assert fits_the_phone(page)
    assert axe_violations(page) == []


def test_a_bangla_chart_draws_its_labels_in_the_self_hosted_bengali_font(
    page: Page, live_server, setting
):
    from innohub.services.models import Service
    from tests.services.factories import JourneyFactory, JourneyStepFactory

    service = Service.objects.get(name="Land mutation")
    for days in ("4", "6"):
        JourneyStepFactory(
            journey=JourneyFactory(service=service, area=service.organisation.area),
            elapsed_days=Decimal(days),
        )
    base = live_server.url
    sign_in(page, base, "rahim")
    page.context.add_cookies([{"name": "django_language", "value": "bn", "url": base}])
    page.goto(f"{base}/services/{service.pk}/")
    wait_for_charts(page)
    drawn = page.evaluate(
        """() => {
          const chart = Chart.getChart(document.querySelector("canvas"));
          const title = chart.options.plugins.title;
          return {
            family: Chart.defaults.font.family,
            title: title.text,
            // The page's own face, fetched for the chart's text: not a system fallback.
            loaded: [...document.fonts].some(
              (face) => face.family.includes("Noto Sans Bengali") && face.status === "loaded"
            ),
            fits: document.fonts.check(`bold 16px ${Chart.defaults.font.family}`, title.text),
          };
        }"""
    )
    assert "Noto Sans Bengali" in drawn["family"]
    assert drawn["title"] == "দিন"  # the chart of days, labelled in Bangla
    assert drawn["loaded"] and drawn["fits"]
    assert fits_the_phone(page)


def test_find_a_finished_journey_again_on_a_phone(page: Page, live_server, setting):
    from innohub.accounts.models import User
    from innohub.services.models import Service
    from tests.services.factories import JourneyFactory, JourneyStepFactory

    service = Service.objects.get(name="Land mutation")
    rahim = User.objects.get(username="rahim")
    for day, ref in ((3, "DHK-3"), (9, "DHK-9")):
        JourneyStepFactory(
            journey=JourneyFactory(
                service=service,
                area=service.organisation.area,
                observer=rahim,
                ref=ref,
                observed_on=f"2025-04-{day:02d}",
            ),
            fees=Decimal("1150"),
        )
    base = live_server.url
    sign_in(page, base, "rahim")

    page.goto(f"{base}/services/")
    page.get_by_role("link", name="My journeys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My journeys")
    expect(page.get_by_role("heading", name="2 journeys")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    # Narrowed to the first week of April, then opened.
    page.get_by_text("Filter the journeys").click()
    page.get_by_label("Observed until").fill("2025-04-07")
    page.get_by_role("button", name="Show journeys").click()
    expect(page.get_by_role("heading", name="1 journey")).to_be_visible()
    page.get_by_role("link", name="3 Apr 2025").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Journey DHK-3")
    expect(page.locator(".govuk-summary-card").first).to_contain_text("1,200.00\u00a0BDT")
    assert fits_the_phone(page)


def test_the_service_page_filtered_by_area_and_dates(page: Page, live_server, setting):
    from innohub.geo.models import Area, Level
    from innohub.services.models import Service
    from tests.services.factories import JourneyFactory, JourneyStepFactory

    service = Service.objects.get(name="Land mutation")
    dhaka = Area.objects.get(code="BD-13")
    savar = AreaFactory(code="BD-13-SV", name="Savar", level=Level.SUBDISTRICT, parent=dhaka)
    for area, day, days in ((dhaka, 2, "4"), (savar, 10, "6"), (savar, 20, "30")):
        JourneyStepFactory(
            journey=JourneyFactory(service=service, area=area, observed_on=f"2025-06-{day:02d}"),
            elapsed_days=Decimal(days),
        )
    base = live_server.url
    sign_in(page, base, "rahim")
    page.goto(f"{base}/services/{service.pk}/")
    expect(page.get_by_text("From 3 final journeys.")).to_be_visible()

    page.get_by_text("Figures for an area or a period").click()
    page.get_by_label("Area").fill("bd-13-sv")
    page.get_by_label("Observed from").fill("2025-06-05")
    page.get_by_label("Observed until").fill("2025-06-15")
    page.get_by_role("button", name="Show the figures").click()

    expect(page.get_by_text("From 1 final journey (filtered).")).to_be_visible()
    expect(page.locator("#tcv-distribution-table")).to_contain_text("6.00")
    wait_for_charts(page)
    assert page.evaluate(
        "Chart.getChart(document.querySelector('canvas')).data.datasets[0].data"
    ) == [1]
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_edit_a_saved_step_on_a_phone(page: Page, live_server, setting):
    from innohub.accounts.models import User
    from innohub.services.models import Journey, Service
    from tests.services.factories import JourneyFactory, JourneyStepFactory

    journey = JourneyFactory(
        service=Service.objects.get(name="Land mutation"),
        observer=User.objects.get(username="rahim"),
        status="draft",
    )
    JourneyStepFactory(journey=journey, title="Bought the form", position=0, visits=1)
    JourneyStepFactory(journey=journey, title="Hearing", position=1, visits=1, fees=Decimal("0"))
    base = live_server.url
    sign_in(page, base, "rahim")
    page.goto(f"{base}/services/journeys/{journey.pk}/steps/")
    # The next step starts with the office of the one before.
    expect(page.get_by_label("Office (optional)")).to_have_value("Upazila Land Office")

    page.get_by_role("link", name="Change: step 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change step 2")
    expect(page.get_by_label("What happened at this step?")).to_have_value("Hearing")
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_label("Visits to an office").fill("3")
    page.get_by_role("button", name="Save the change").click()

    expect(page.get_by_text("Step 2 changed.")).to_be_visible()
    expect(page.get_by_text("4 visits.")).to_be_visible()
    assert Journey.objects.get(pk=journey.pk).tcv_visits == 4


def test_the_pickers_are_a_plain_select_and_text_box_without_javascript(
    browser, live_server, setting
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url, "rahim")
    page.goto(f"{live_server.url}/services/journeys/new/")
    page.get_by_label("Service").select_option(label="Land mutation")
    page.get_by_label("Area").fill("bd-13")  # any case
    page.get_by_label("Date the journey began").fill("2025-05-04")
    page.get_by_role("button", name="Start the journey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1")
    context.close()


def test_the_error_summary_names_every_field_in_error_at_once(page: Page, live_server, setting):
    base = live_server.url
    sign_in(page, base, "rahim")
    page.goto(f"{base}/services/journeys/new/")
    page.get_by_label("Area").fill("BD-99")
    page.get_by_label("Date the journey began").fill("2099-01-01")
    page.get_by_role("button", name="Start the journey").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    expect(links.nth(0)).to_contain_text("Service:")
    expect(links.nth(1)).to_contain_text("Area: No area has the id or code")
    expect(links.nth(2)).to_contain_text("Date the journey began:")
    expect(page.get_by_label("Area")).to_have_value("BD-99")  # nothing typed is lost
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    # Each names its field and leads to it.
    links.nth(1).click()
    expect(page.get_by_label("Area")).to_be_focused()

    # A year that is allowed but unusual asks for a second look, then saves.
    page.get_by_label("Service").fill("land")
    page.get_by_role("option", name="Land mutation").click()
    page.get_by_label("Area").fill("BD-13")
    page.get_by_label("Date the journey began").fill("1985-03-12")
    page.get_by_role("button", name="Start the journey").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("is before 1990")
    page.get_by_label("I have checked: these values are right").check()
    page.get_by_role("button", name="Start the journey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1")
