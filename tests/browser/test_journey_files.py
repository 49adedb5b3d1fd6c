"""An officer imports journeys from a file on a phone: sees every bad row, fixes the file,
imports it, then exports what is there and gets the same rows back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from innohub.core import roles
from innohub.services.importer import ALL_COLUMNS
from innohub.services.models import Journey
from tests.browser.conftest import (
    axe_violations,
    fits_the_phone,
    sign_in,
)
from tests.factories import AreaFactory
from tests.geo.conftest import person_in
from tests.services.factories import ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def journey_file(service_id: int, *, visits: str = "1") -> bytes:
    rows = [
        ["K-1", service_id, "BD-13", "2025-02-03", "secret_shopper", "none", "", "Apply",
         "Union Digital Centre", "2", "1", "2.5", "50", "40", "0", "1", "citizen", "", ""],
        ["K-1", service_id, "BD-13", "2025-02-03", "secret_shopper", "none", "", "Collect",
         "AC Land office", "0", "7", "1", "0", "40", "0", visits, "citizen", "waiting",
         "Told to come back"],
        ["K-2", service_id, "BD-13", "2025-02-10", "citizen_interview", "none", "", "Apply",
         "AC Land office", "3", "2", "3", "1150.50", "80", "0", "2", "", "", ""],
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ALL_COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def service_id(db) -> int:
    area = AreaFactory(code="BD-13", name="Dhaka")
    person_in(roles.CIVIL_SERVANT, username="rahim")
    return ServiceFactory(name="Land mutation", organisation__area=area).pk


def test_import_a_file_fix_its_rows_and_export_it_again(page: Page, live_server, service_id):
    base = live_server.url
    sign_in(page, base, "rahim")
    page.goto(f"{base}/services/")
    page.get_by_role("link", name="Import journeys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import journeys")
    assert axe_violations(page) == []

    # A file with a bad row: every problem is listed with its line and column, nothing saved.
    page.get_by_label("Journey file").set_input_files(
        {"name": "k.csv", "mimeType": "text/csv", "buffer": journey_file(service_id, visits="-1")}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("the file has 1 problem")
    problem = page.locator("#import-errors tbody tr")
    expect(problem).to_have_count(1)
    expect(problem.locator("td").nth(0)).to_have_text("3")  # the header is line 1
    expect(problem.locator("td").nth(1)).to_have_text("visits")
    expect(problem.locator("td").nth(2)).to_have_text("Give 0 or more.")
    assert Journey.objects.count() == 0
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    # The fixed file is imported; importing it again adds nothing.
    for created, skipped in (
        ("2 journeys created", "0 already here"),
        ("0 journeys created", "2 already here"),
    ):
        page.get_by_label("Journey file").set_input_files(
            {"name": "k.csv", "mimeType": "text/csv", "buffer": journey_file(service_id)}
        )
        page.get_by_role("button", name="Import").click()
        confirmation = page.get_by_role("status")
        expect(confirmation).to_contain_text(created)
        expect(confirmation).to_contain_text(skipped)
    assert Journey.objects.count() == 2
    assert axe_violations(page) == []

    # The export gives back the same rows, in the import's columns.
    page.get_by_role("link", name="Export journeys").click()
    assert axe_violations(page) == []
    page.get_by_label("Service id").fill(str(service_id))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [(row["journey_ref"], row["title"], row["visits"]) for row in exported] == [
        ("K-1", "Apply", "1"), ("K-1", "Collect", "1"), ("K-2", "Apply", "2"),
    ]  # in the order they were recorded  # fmt: skip
    collect = next(row for row in exported if row["title"] == "Collect")
    assert (collect["pain_point_category"], collect["pain_point"]) == (
        "waiting",
        "Told to come back",
    )
    assert next(row for row in exported if row["journey_ref"] == "K-2")["fees"] == "1150.50"


def test_a_large_export_is_followed_on_its_page_then_downloaded_in_bangla(
    page: Page, live_server, service_id, monkeypatch, settings, tmp_path
):
    from innohub.services import exporter, tasks
    from innohub.services.models import JourneyExport

    monkeypatch.setattr(exporter, "MAX_ROWS_DIRECT", 2)  # so 3 rows go to the worker
    settings.JOB_FILE_DIR = tmp_path
    base = live_server.url
    sign_in(page, base, "rahim")
    page.goto(f"{base}/services/journeys/import/")
    page.get_by_label("Journey file").set_input_files(
        {"name": "k.csv", "mimeType": "text/csv", "buffer": journey_file(service_id)}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("2 journeys created")
    page.context.add_cookies([{"name": "django_language", "value": "bn", "url": base}])

    page.goto(f"{base}/services/journeys/export/?format=csv&service={service_id}&area=")
    expect(page.get_by_role("heading", level=1)).to_have_text("শুরুর অপেক্ষায়")
    expect(page.locator("main")).to_contain_text("3 সারির মধ্যে 0 সারি লেখা হয়েছে।")
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    tasks.run_journey_export.call(JourneyExport.objects.get().pk)  # what the worker does
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("আপনার এক্সপোর্ট প্রস্তুত")
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="ফাইলটি ডাউনলোড করুন").click()
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [row["journey_ref"] for row in exported] == ["K-1", "K-1", "K-2"]
