"""Large exports, built by the worker into a file (API.md, "GET /journeys/export"): the file has
every row the database has, is offered only once whole, to the person who asked, for
JOB_FILE_DAYS. Before, a 994k-step CSV was cut off by the web worker's timeout after 748,500
lines while the status line said 200."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from innohub.accounts.models import ApiToken
from innohub.core import jobs, roles
from innohub.core.jobs import JobStatus
from innohub.services import exporter, tasks
from innohub.services.importer import ALL_COLUMNS
from innohub.services.models import JourneyExport, JourneyStep
from tests.factories import AreaFactory, UserFactory
from tests.services.factories import JourneyFactory, JourneyStepFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch, settings, tmp_path):
    """Exports of more than 5 rows go to the worker; files go to a folder of the test's."""
    monkeypatch.setattr(exporter, "MAX_ROWS_DIRECT", 5)
    monkeypatch.setattr(exporter, "PROGRESS_EVERY", 4)
    settings.JOB_FILE_DIR = tmp_path / "job-files"


@pytest.fixture
def steps():
    """Three services' journeys: 12 step rows in all, 9 of the land service."""
    land, other = ServiceFactory(), ServiceFactory()
    area = AreaFactory(code="BD-13")
    for n in range(3):
        journey = JourneyFactory(service=land, area=area, ref=f"L{n}")
        for position in range(3):
            JourneyStepFactory(journey=journey, position=position, title=f"আবেদন {position}")
    journey = JourneyFactory(service=other, area=area, ref="O1")
    for position in range(3):
        JourneyStepFactory(journey=journey, position=position)
    return {"land": land, "other": other}


@pytest.fixture
def person():
    return UserFactory()


def bearer(user) -> dict[str, str]:
    _, secret = ApiToken.issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_small_export_is_sent_whole_with_its_length(client, steps, person):
    response = client.get(f"/api/v1/journeys/export?service={steps['other'].pk}", **bearer(person))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)  # a cut-off file is detectable
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) == 1 + 3


def test_a_large_export_is_built_by_the_worker_with_every_row_of_the_database(
    client, steps, person
):
    auth = bearer(person)
    answer = client.get("/api/v1/journeys/export?format=csv", **auth)
    assert answer.status_code == 202
    export_id = answer.json()["export"]
    queued = client.get(f"/api/v1/journeys/exports/{export_id}", **auth).json()
    assert (queued["status"], queued["rows"], queued["rows_total"], queued["download"]) == (
        "queued", 0, 12, None,
    )  # fmt: skip

    assert tasks.run_journey_export.call(export_id) == "done"

    done = client.get(f"/api/v1/journeys/exports/{export_id}", **auth).json()
    assert done["status"] == "done" and done["error"] is None
    assert done["rows"] == done["rows_done"] == JourneyStep.objects.count() == 12
    assert done["download"] == f"/api/v1/journeys/exports/{export_id}/download"
    file = client.get(done["download"], **auth)
    assert file.status_code == 200 and "attachment" in file["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(file.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == list(ALL_COLUMNS) and len(rows) - 1 == 12
    assert "আবেদন 0" in rows[1]


def test_a_large_xlsx_export_opens_as_a_workbook_with_every_row(client, steps, person):
    auth = bearer(person)
    export_id = client.get("/api/v1/journeys/export?format=xlsx", **auth).json()["export"]
    tasks.run_journey_export.call(export_id)

    file = client.get(f"/api/v1/journeys/exports/{export_id}/download", **auth)

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content))).active
    assert sheet.max_row == 1 + 12


def test_the_export_reports_its_progress_while_writing(steps, person, monkeypatch):
    seen: list[int] = []
    real = jobs.report_progress

    def spy(job, rows_done, **fields):
        seen.append(rows_done)
        real(job, rows_done, **fields)

    monkeypatch.setattr(jobs, "report_progress", spy)
    job = tasks.queue_journey_export(by=person, fmt="csv", service=None, area=None, rows=12)

    tasks.run_journey_export.call(job.pk)

    assert seen == [0, 4, 8, 12]


def test_only_the_person_who_asked_and_administrators_follow_and_download_it(client, steps, person):
    job = tasks.queue_journey_export(by=person, fmt="csv", service=None, area=None, rows=12)
    tasks.run_journey_export.call(job.pk)

    stranger = bearer(UserFactory())
    assert client.get(f"/api/v1/journeys/exports/{job.pk}", **stranger).status_code == 404
    assert client.get(f"/api/v1/journeys/exports/{job.pk}/download", **stranger).status_code == 404
    admin = bearer(UserFactory(roles=[roles.ADMINISTRATOR]))
    assert client.get(f"/api/v1/journeys/exports/{job.pk}/download", **admin).status_code == 200


def test_a_download_before_the_file_is_ready_is_409_and_after_it_expired_410(client, steps, person):
    auth = bearer(person)
    job = tasks.queue_journey_export(by=person, fmt="csv", service=None, area=None, rows=12)
    early = client.get(f"/api/v1/journeys/exports/{job.pk}/download", **auth)
    assert early.status_code == 409 and "not ready" in early.json()["detail"]

    tasks.run_journey_export.call(job.pk)
    job.refresh_from_db()
    path = Path(job.file_path)
    JourneyExport.objects.filter(pk=job.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert jobs.sweep().expired == 1

    assert not path.exists()
    gone = client.get(f"/api/v1/journeys/exports/{job.pk}/download", **auth)
    assert gone.status_code == 410 and gone.json()["errors"] == []
    assert client.get(f"/api/v1/journeys/exports/{job.pk}", **auth).json()["download"] is None


def test_a_file_is_kept_job_file_days(steps, person, settings):
    settings.JOB_FILE_DAYS = 7
    job = tasks.queue_journey_export(by=person, fmt="csv", service=None, area=None, rows=12)
    tasks.run_journey_export.call(job.pk)
    job.refresh_from_db()
    kept = job.expires - job.finished
    assert timedelta(days=7) - timedelta(seconds=1) < kept <= timedelta(days=7)


def test_an_export_that_fails_leaves_no_file(steps, person, monkeypatch, settings):
    def broken(journeys, fmt, target, progress=None):
        target.write(b"journey_ref,serv")  # cut short
        raise RuntimeError("a bug")

    monkeypatch.setattr(exporter, "write_file", broken)
    job = tasks.queue_journey_export(by=person, fmt="csv", service=None, area=None, rows=12)

    with pytest.raises(RuntimeError):
        tasks.run_journey_export.call(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "error in innohub" in job.error_display
    assert list(Path(settings.JOB_FILE_DIR).iterdir()) == []


def test_an_export_of_a_service_deleted_meanwhile_fails_saying_why(steps, person):
    job = tasks.queue_journey_export(by=person, fmt="csv", service=999_999, area=None, rows=12)

    assert tasks.run_journey_export.call(job.pk) == "failed"

    job.refresh_from_db()
    assert "999999" in job.error_display


def test_more_rows_than_a_workbook_holds_are_refused_as_xlsx(client, steps, person, monkeypatch):
    monkeypatch.setattr(exporter, "XLSX_MAX_ROWS", 10)

    response = client.get("/api/v1/journeys/export?format=xlsx", **bearer(person))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"
    assert "as CSV" in response.json()["errors"][0]["message"]


def test_the_export_page_sends_a_large_export_to_its_progress_page_then_the_file(
    client, steps, person
):
    client.force_login(person)
    response = client.get("/services/journeys/export/?format=csv&service=&area=")
    job = JourneyExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/services/journeys/exports/{job.pk}/"
    waiting = client.get(response["Location"])
    assert "0 of 12 rows written" in waiting.content.decode()
    assert client.get(f"/services/journeys/exports/{job.pk}/download/").status_code == 302

    tasks.run_journey_export.call(job.pk)

    ready = client.get(f"/services/journeys/exports/{job.pk}/").content.decode()
    assert "Your export is ready" in ready and "12 rows" in ready
    file = client.get(f"/services/journeys/exports/{job.pk}/download/")
    assert file.status_code == 200 and len(b"".join(file.streaming_content).splitlines()) == 13
    client.force_login(UserFactory())
    assert client.get(f"/services/journeys/exports/{job.pk}/").status_code == 404


def test_an_expired_export_page_says_so(client, steps, person):
    job = tasks.queue_journey_export(by=person, fmt="csv", service=None, area=None, rows=12)
    tasks.run_journey_export.call(job.pk)
    JourneyExport.objects.filter(pk=job.pk).update(expires=timezone.now() - timedelta(seconds=1))
    jobs.sweep()
    client.force_login(person)

    response = client.get(f"/services/journeys/exports/{job.pk}/")

    assert response.status_code == 410 and "has expired" in response.content.decode()
