"""A senior reviewer on a phone: the national dashboard, one ministry drilled into, its
monthly review asked for, made by the worker and downloaded as a PDF that `pdftotext` reads
back with the ministry's numbers and its Bangla name; then the action plans' ranking, and a
programme manager writing a plan and entering a figure with its evidence."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from innohub.core import roles
from innohub.insights import plans, reports
from innohub.insights.models import MonthlyReport
from tests.accounts.helpers import confirmed_device
from tests.browser.conftest import axe_violations, fits_the_phone, sign_in, sign_in_with_code
from tests.factories import OrganisationFactory
from tests.geo.conftest import person_in
from tests.pipeline.factories import PilotFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(db, settings, tmp_path):
    settings.REPORT_DIR = tmp_path / "reports"
    ministry = OrganisationFactory(
        name="Ministry of Public Administration", name_local="জনপ্রশাসন মন্ত্রণালয়"
    )
    office = OrganisationFactory(name="Savar upazila office", parent=ministry, kind="office")
    OrganisationFactory(name="Ministry of Health")
    # One transaction: the roll-ups count the pilots once it commits, statuses and all.
    with transaction.atomic():
        for number in range(3):
            PilotFactory(
                organisation=office, status="ongoing", budget=Decimal("12345.00"),
                title=f"One-stop service {number}",
            )  # fmt: skip
        PilotFactory(organisation=office, status="completed", budget=Decimal("5000.00"))
    reviewer = person_in(roles.SENIOR_REVIEWER, username="karim")
    manager = person_in(roles.PROGRAMME_MANAGER, username="salma")
    plans.create_plan(
        by=manager, organisation=ministry, title="Innovation action plan",
        starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2027, 6, 30),
        kpis=[{"name": "Services simplified", "measure": "manual", "target": Decimal(10),
               "weight": Decimal(100)}],
    )  # fmt: skip
    return {"ministry": ministry, "reviewer": reviewer, "device": confirmed_device(manager)}


def test_from_the_dashboard_to_a_ministrys_monthly_review_pdf(page: Page, live_server, setting):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) missing")
    base = live_server.url
    sign_in(page, base, "karim")
    page.goto(f"{base}/insights/")
    expect(page.get_by_role("heading", name="National dashboard")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    # Drill into the ministry: its office one level down.
    page.get_by_role("link", name="Ministry of Public Administration").click()
    expect(page.get_by_role("link", name="Savar upazila office")).to_be_visible()
    page.get_by_role("link", name="Monthly reviews of Ministry of Public Administration").click()
    expect(page.get_by_role("heading", name="Monthly reviews", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_text("Ask for a review now").click()
    page.get_by_role("button", name="Make the review").click()
    expect(page.get_by_role("status")).to_contain_text("The worker is making this review")
    # The worker makes it (here, in the test's own process).
    report = MonthlyReport.objects.get()
    assert report.organisation == setting["ministry"]
    assert reports.make_monthly_report.call(report.pk) == "done"
    page.reload()
    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    response = page.request.get(base + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    # pdftotext splits Bangla where a conjunct is drawn apart: compare without spaces.
    assert "জনপ্রশাসনমন্ত্রণালয়" in "".join(text.split())
    assert "Ministry of Public Administration" in text
    assert "42,035.00 BDT" in text  # allocated: 3 x 12,345 + 5,000


def test_the_ranking_of_the_action_plans(page: Page, live_server, setting):
    base = live_server.url
    sign_in(page, base, "karim")
    page.goto(f"{base}/insights/plans/")
    expect(
        page.get_by_role("heading", name="Ranking of the plans starting 1 July 2026")
    ).to_be_visible()
    page.get_by_role("link", name="Innovation action plan").click()
    expect(page.get_by_role("heading", name="0.00 out of 100")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_the_open_data_page_for_anyone(page: Page, live_server, setting):
    base = live_server.url
    page.goto(f"{base}/insights/open-data/")  # no one signed in
    expect(page.get_by_role("heading", name="Open data", exact=True)).to_be_visible()
    expect(page.get_by_role("rowheader", name="reduction_days")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the open data (ZIP)").click()
    assert waiting.value.suggested_filename == "innohub-open-data.zip"


def test_a_programme_manager_writes_a_plan_and_enters_a_figure(page: Page, live_server, setting):
    base = live_server.url
    sign_in_with_code(page, base, "salma", setting["device"])
    page.goto(f"{base}/insights/plans/")
    page.get_by_role("link", name="Write a plan").click()
    expect(page.locator("input#id_organisation")).to_be_visible()  # the picker is ready
    page.get_by_label("Organisation").fill("Health")
    page.get_by_role("option", name="Ministry of Health").click()
    page.get_by_label("Title").fill("Health innovation plan 2026-27")
    page.get_by_label("Starts on").fill("2026-07-01")
    page.get_by_label("Ends on").fill("2027-06-30")
    rows = [
        ("Pilots completed", "pilots_completed", "4", "60"),
        ("Hospitals with e-tickets", "manual", "10", "30"),
    ]
    for index, (name, measure, target, weight) in enumerate(rows):
        page.locator(f"#id_kpi_{index}_name").fill(name)
        page.locator(f"#id_kpi_{index}_measure").select_option(measure)
        page.locator(f"#id_kpi_{index}_target").fill(target)
        page.locator(f"#id_kpi_{index}_weight").fill(weight)
    page.get_by_role("button", name="Write the plan").click()
    # 60 + 30: refused, nothing lost, the reason on top.
    expect(page.get_by_role("alert")).to_contain_text("they must sum to exactly 100")
    expect(page.locator("#id_kpi_1_name")).to_have_value("Hospitals with e-tickets")
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    page.locator("#id_kpi_1_weight").fill("40")
    page.get_by_role("button", name="Write the plan").click()
    expect(page.get_by_role("heading", name="Health innovation plan 2026-27")).to_be_visible()
    expect(page.get_by_role("heading", name="0.00 out of 100")).to_be_visible()
    # The manual KPI: 5 of 10 with its evidence is half its 40 points.
    manual = page.get_by_role("region", name="Hospitals with e-tickets")
    manual.get_by_label("Actual figure").fill("5")
    manual.get_by_label("Evidence").fill("Letter 12/2026 from the Directorate of Health")
    manual.get_by_role("button", name="Save the figure").click()
    expect(page.get_by_role("heading", name="20.00 out of 100")).to_be_visible()
    expect(manual.locator("p", has_text="Letter 12/2026 from the Directorate")).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_phone(page)
