"""Monthly reviews: the figures of one ministry's month (stages and moves, stalled pilots,
TCV saved, budget, the action-plan score), the job that makes the PDF and the spreadsheet,
who may ask and read, and the schedule that makes them on the 1st — once, with several
workers."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from innohub.core import roles, schedule
from innohub.core.jobs import JobStatus
from innohub.core.models import ScheduledRun
from innohub.insights import plans, reports, review
from innohub.insights.models import MonthlyReport
from innohub.orgs.models import Organisation
from innohub.pipeline.models import Pilot, PilotEvent
from tests.factories import InnovationTeamFactory, OrganisationFactory, UserFactory
from tests.pipeline.factories import MeasurementFactory, PilotFactory
from tests.services.factories import JourneyFactory, JsonApi

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _report_dir(settings, tmp_path):
    settings.REPORT_DIR = tmp_path / "reports"


@pytest.fixture
def ministry(django_capture_on_commit_callbacks):
    ministry = OrganisationFactory(
        name="Ministry of Public Administration", name_local="জনপ্রশাসন মন্ত্রণালয়", kind="ministry"
    )
    office = OrganisationFactory(parent=ministry, kind="office")
    lead = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        done = PilotFactory(
            organisation=office, status="completed", budget=Decimal("1000.00"),
            spent=Decimal("600.00"), annual_volume=100, started_on=datetime.date(2026, 5, 1),
            ended_on=datetime.date(2026, 10, 12), lead=lead,
        )  # fmt: skip
        ongoing = PilotFactory(
            organisation=office, status="ongoing", budget=Decimal("500.00"),
            started_on=datetime.date(2026, 10, 3), lead=lead,
        )  # fmt: skip
        old = PilotFactory(organisation=office, status="approved", title="Forgotten e-mutation")
        PilotFactory(organisation=office, status="draft")
        PilotFactory(organisation=OrganisationFactory(kind="ministry"), status="ongoing")
    for phase, days in (("baseline", "20"), ("after", "5")):
        MeasurementFactory(
            pilot=done, phase=phase,
            journey=JourneyFactory(service=done.service, area=done.area, tcv_days=Decimal(days)),
        )  # fmt: skip
    at = datetime.datetime(2026, 10, 12, 9, tzinfo=datetime.UTC)
    for pilot, to in ((done, "completed"), (ongoing, "ongoing")):
        event = PilotEvent.objects.create(
            pilot=pilot, from_status="approved", to_status=to, by=lead
        )
        PilotEvent.objects.filter(pk=event.pk).update(at=at)
    # The approved pilot last changed in June: stalled by the end of October.
    Pilot.objects.filter(pk=old.pk).update(
        modified=datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
    )
    return {"ministry": ministry, "office": office, "done": done, "old": old}


def test_the_figures_of_one_ministrys_month(ministry, monkeypatch):
    monkeypatch.setattr(plans, "today", lambda: datetime.date(2026, 11, 30))
    manager = UserFactory(roles=[roles.PROGRAMME_MANAGER])
    plans.create_plan(
        by=manager, organisation=ministry["ministry"], title="Plan 2026-27",
        starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2027, 6, 30),
        kpis=[{"name": "Completed", "measure": "pilots_completed", "target": Decimal(4),
               "weight": Decimal(100)}],
    )  # fmt: skip
    figures = review.figures(ministry["ministry"], MONTH)
    assert figures["organisation"]["name_local"] == "জনপ্রশাসন মন্ত্রণালয়"
    assert figures["stages"] == {
        "draft": 1, "submitted": 0, "approved": 1, "ongoing": 1, "completed": 1,
        "discontinued": 0,
    }  # fmt: skip
    assert (figures["moves"]["completed"], figures["moves"]["ongoing"]) == (1, 1)
    assert figures["moves_before"]["completed"] == 0
    assert (figures["flows"]["pilots_started"], figures["flows"]["completed"]) == (1, 1)
    assert figures["stalled"]["count"] == 1
    assert figures["stalled"]["pilots"][0]["title"] == "Forgotten e-mutation"
    # (20 - 5) days x 100 citizens a year.
    assert figures["tcv_saved"]["total"]["days"] == "1500.00"
    assert figures["tcv_saved"]["month"]["days"] == "1500.00"
    assert figures["money"] == {
        "currency": "BDT", "budget": "1500.00", "spent": "600.00", "other_currency_pilots": 0,
    }  # fmt: skip
    assert figures["plans"] == [
        {"id": figures["plans"][0]["id"], "title": "Plan 2026-27",
         "organisation": "Ministry of Public Administration", "score": "25.00"},
    ]  # fmt: skip
    national = review.figures(None, MONTH)
    assert national["stages"]["ongoing"] == 2
    assert (
        next(row["name"] for row in national["ministries"]) == "Ministry of Public Administration"
    )


def test_the_worker_makes_the_pdf_and_the_spreadsheet(ministry):
    report = reports.queue_report(by=None, organisation=ministry["ministry"], month=MONTH)
    assert reports.make_monthly_report.call(report.pk) == "done"
    report.refresh_from_db()
    assert report.status == JobStatus.DONE and report.figures["stalled"]["count"] == 1
    with open(report.pdf_path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    book = load_workbook(report.xlsx_path, read_only=True)
    stages = {row[0]: row[1:] for row in book["Stages"].iter_rows(values_only=True)}
    assert stages["Completed"] == (1, 1, 0)
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert ("Local name", "জনপ্রশাসন মন্ত্রণালয়") in [tuple(row[:2]) for row in summary]
    # Run again (a worker died after writing): nothing is claimable, nothing changes.
    assert reports.make_monthly_report.call(report.pk) == "skipped"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils)")
def pdf_text(ministry, language: str) -> str:
    report = reports.queue_report(
        by=None, organisation=ministry["ministry"], month=MONTH, language=language
    )
    reports.make_monthly_report.call(report.pk)
    report.refresh_from_db()
    return subprocess.run(
        ["pdftotext", report.pdf_path, "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_pdf_reads_back_with_the_ministrys_numbers_and_bangla_name(ministry):
    text = pdf_text(ministry, "en")
    # pdftotext splits Bangla words where a conjunct or a vowel sign is drawn apart, and may
    # move a vowel sign drawn before its letter (even into a word nearby): compare without
    # the spaces, on a name without such a sign, in a report whose other text is English.
    assert "জনপ্রশাসনমন্ত্রণালয়" in "".join(text.split())
    assert "Ministry of Public Administration" in text
    assert "Forgotten e-mutation" in text
    assert "1,500.00" in text and "1,500.00 BDT" in text  # citizen-days saved; budget


def test_the_pdf_in_bangla_writes_bangla_digits(ministry):
    text = pdf_text(ministry, "bn")
    assert "১,৫০০" in text  # the citizen-days saved
    assert "Monthly review" not in text  # written in Bangla


def test_asking_reading_and_downloading_through_the_api(client, ministry):
    reviewer = UserFactory(roles=[roles.SENIOR_REVIEWER])
    api = JsonApi(client, reviewer)
    answer = api.post(
        "/reports/monthly", {"organisation": ministry["ministry"].pk, "month": "2026-10"}
    )
    assert answer.status_code == 202
    report_id = answer.json()["report"]
    queued = api.get(f"/reports/{report_id}").json()
    assert (queued["status"], queued["pdf"], queued["month"]) == ("queued", None, "2026-10")
    reports.make_monthly_report.call(report_id)
    done = api.get(f"/reports/{report_id}").json()
    assert done["status"] == "done" and done["download"] == done["pdf"]
    pdf = client.get(done["pdf"], headers=api.headers)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    xlsx = client.get(done["xlsx"], headers=api.headers)
    assert load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)["Stages"]
    listed = api.get("/reports", organisation=ministry["ministry"].pk, month="2026-10").json()
    assert [row["id"] for row in listed["results"]] == [report_id]
    assert api.get("/reports", month="2026-09").json()["count"] == 0
    assert api.post("/reports/monthly", {"month": "2026-13"}).status_code == 422
    assert (
        api.post("/reports/monthly", {"organisation": 999999, "month": "2026-10"}).status_code
        == 422
    )


def test_a_team_asks_for_its_own_ministry_and_others_see_nothing(client, ministry):
    member, stranger = UserFactory(), UserFactory()
    InnovationTeamFactory(organisation=ministry["ministry"]).members.add(member)
    team = JsonApi(client, member)
    assert team.post("/reports/monthly", {"month": "2026-10"}).status_code == 403  # national
    mine = team.post(
        "/reports/monthly", {"organisation": ministry["ministry"].pk, "month": "2026-10"}
    )
    assert mine.status_code == 202
    other = JsonApi(client, stranger)
    assert other.get(f"/reports/{mine.json()['report']}").status_code == 404
    assert other.get("/reports").json()["count"] == 0
    assert team.get("/reports").json()["count"] == 1


def test_the_schedule_queues_every_ministrys_review_once_on_the_first(ministry):
    first = datetime.datetime(2026, 11, 1, 0, 30, tzinfo=timezone.get_current_timezone())
    # Other apps' duties (engagement's daily erasure) may be due too: only this one counts.
    done = [entry for entry in schedule.tick(first) if entry.startswith(reports.DUTY)]
    assert done == [f"{reports.DUTY} 2026-10"]
    made = MonthlyReport.objects.filter(month=MONTH)
    ministries = Organisation.objects.filter(kind="ministry").count()
    assert (
        made.count() == ministries + 1
        and made.filter(organisation__isnull=True, by__isnull=True).count() == 1
    )
    # A second worker, or the same one restarted, later that month: nothing more.
    later = schedule.tick(first + datetime.timedelta(days=3))
    assert [entry for entry in later if entry.startswith(reports.DUTY)] == []
    assert made.count() == ministries + 1
    assert ScheduledRun.objects.filter(name=reports.DUTY).count() == 1


def test_a_duty_that_fails_is_tried_again_at_the_next_tick(ministry, monkeypatch):
    calls = []

    def broken(period: str) -> None:
        calls.append(period)
        MonthlyReport.objects.create(month=MONTH)  # rolled back with the failure
        raise RuntimeError("the database went away")

    monkeypatch.setattr(schedule, "_duties", {})
    schedule.register("broken", due=schedule.previous_month, do=broken)
    now = datetime.datetime(2026, 11, 2, tzinfo=timezone.get_current_timezone())
    assert schedule.tick(now) == []
    assert not ScheduledRun.objects.exists() and not MonthlyReport.objects.exists()
    schedule.tick(now)
    assert calls == ["2026-10", "2026-10"]
