"""The background import task: progress while checking, then the result or every bad row."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from innohub.services import tasks
from innohub.services.importer import rows as importer_rows
from innohub.services.models import ImportStatus, Journey, JourneyImport
from tests.factories import AreaFactory, UserFactory
from tests.services.factories import ServiceFactory
from tests.services.test_import import csv_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path) -> Path:
    settings.IMPORT_DIR = tmp_path / "shared-imports"
    return settings.IMPORT_DIR


@pytest.fixture
def rows():
    service, area = ServiceFactory(), AreaFactory(code="BD-13")
    return [row(service, area, f"J{n // 2}", title=f"Step {n}") for n in range(10)]


def queue(data: io.BytesIO, name: str = "journeys.csv") -> JourneyImport:
    return tasks.queue_journey_import(by=UserFactory(), source=data, file_name=name)


def test_queueing_keeps_the_file_and_enqueues_the_task_on_commit(
    rows, import_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = queue(csv_file(rows))
    assert job.status == ImportStatus.QUEUED and len(job.digest) == 64
    assert Path(job.stored_path).parent == import_dir  # INNOHUB_IMPORT_DIR
    assert Path(job.stored_path).read_bytes() == csv_file(rows).getvalue()
    assert len(callbacks) == 1


def test_the_task_reports_progress_while_checking_then_the_result(rows, monkeypatch):
    monkeypatch.setattr(importer_rows, "PROGRESS_EVERY", 3)
    seen: list[tuple[str, int, int]] = []
    update = JourneyImport.objects.filter

    def spy(*args, **kwargs):
        queryset = update(*args, **kwargs)
        original = queryset.update

        def recording_update(**values):
            updated = original(**values)
            if "rows_done" in values and "status" not in values:
                job = queryset.get()
                seen.append((job.status, job.rows_done, job.rows_total))
            return updated

        queryset.update = recording_update
        return queryset

    job = queue(csv_file(rows))
    monkeypatch.setattr(JourneyImport.objects, "filter", spy)

    assert tasks.run_journey_import.call(job.pk) == "done"

    assert seen == [
        ("running", 0, 10),
        ("running", 3, 10),
        ("running", 6, 10),
        ("running", 9, 10),
        ("running", 10, 10),
    ]
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == (ImportStatus.DONE, 10, 10)
    assert job.attempts == 1 and job.lease_until is None and job.error == ""
    assert job.result == {"created": 5, "skipped_duplicates": 0} and job.errors == []
    assert job.finished is not None and not Path(job.stored_path).exists()
    assert Journey.objects.count() == 5


def test_a_bad_file_fails_with_every_bad_row_and_writes_nothing(rows):
    rows[3]["visits"] = -2
    rows[7]["area"] = "XX"
    job = queue(csv_file(rows))

    assert tasks.run_journey_import.call(job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.result == {}
    assert [(e["line"], e["field"]) for e in job.errors] == [(5, "visits"), (9, "area")]
    assert job.errors_total == 2 and job.error == tasks.NOT_IMPORTED
    assert Journey.objects.count() == 0
    assert not Path(job.stored_path).exists()


def test_a_file_of_bad_rows_stores_the_first_thousand_errors_and_counts_them_all(rows):
    # 630k rows with 8 bad fields each kept every error: 7.5 GB, then a jsonb overflow.
    service, area = ServiceFactory(), AreaFactory(code="BD-14")
    bad = [
        row(service, area, f"B{n}", visits=-1, fees="x", elapsed_days="-", citizen_hours="?")
        for n in range(400)
    ]
    job = queue(csv_file(bad))

    assert tasks.run_journey_import.call(job.pk) == "failed"

    job.refresh_from_db()
    assert job.errors_total == 1_600 and len(job.errors) == 1_000
    lines = [error["line"] for error in job.errors]
    assert lines == sorted(lines) and lines[0] == 2 and lines[-1] == 251  # the file's first
    assert job.more_errors == 600


def test_a_finished_import_is_not_run_again(rows):
    job = queue(csv_file(rows))
    tasks.run_journey_import.call(job.pk)
    assert tasks.run_journey_import.call(job.pk) == "skipped"
    assert Journey.objects.count() == 5


def test_an_xlsx_file_is_imported_in_the_background_too(rows):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0]))
    for values in rows:
        sheet.append(list(values.values()))
    data = io.BytesIO()
    workbook.save(data)
    job = queue(io.BytesIO(data.getvalue()), name="journeys.xlsx")

    assert tasks.run_journey_import.call(job.pk) == "done"
    assert Journey.objects.count() == 5


@pytest.mark.parametrize("stop", [SystemExit, KeyboardInterrupt])
def test_an_import_whose_worker_is_told_to_stop_is_queued_again_with_its_file(
    rows, monkeypatch, stop, django_capture_on_commit_callbacks
):
    # Two SIGTERMs make the worker raise SystemExit, which `except Exception` let through and
    # left the import `running` for ever.
    def interrupted(**kwargs):
        raise stop()

    job = queue(csv_file(rows))
    monkeypatch.setattr(tasks, "import_journeys", interrupted)

    with pytest.raises(stop):
        tasks.run_journey_import.call(job.pk)

    job.refresh_from_db()
    assert (job.status, job.holder, job.attempts) == (ImportStatus.QUEUED, "", 1)
    assert Path(job.stored_path).exists() and job.task_id  # sent to the queue again
    monkeypatch.undo()
    assert tasks.run_journey_import.call(job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.DONE, 2)
    assert Journey.objects.count() == 5 and not Path(job.stored_path).exists()


def test_an_import_that_fails_in_innohub_ends_failed_with_a_reason_and_its_file_removed(
    rows, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(tasks, "import_journeys", broken)
    job = queue(csv_file(rows))

    with pytest.raises(RuntimeError):
        tasks.run_journey_import.call(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished is not None
    assert "nothing was written" in job.error_display and job.errors == []
    assert not Path(job.stored_path).exists()
    assert Journey.objects.count() == 0


def test_an_import_whose_final_update_fails_ends_failed_not_running(rows, monkeypatch):
    class Unstorable:
        def as_dict(self):
            raise ValueError("jsonb array exceeds the maximum size")

    real = tasks.import_journeys

    def with_unstorable_errors(**kwargs):
        result = real(**kwargs)
        result.errors = [Unstorable()]
        return result

    monkeypatch.setattr(tasks, "import_journeys", with_unstorable_errors)
    rows[3]["visits"] = -2
    job = queue(csv_file(rows))

    with pytest.raises(ValueError):
        tasks.run_journey_import.call(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Path(job.stored_path).exists()


def test_an_import_whose_file_is_gone_fails_saying_so(rows):
    job = queue(csv_file(rows))
    Path(job.stored_path).unlink()  # a worker on a host that does not share the folder

    assert tasks.run_journey_import.call(job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "INNOHUB_IMPORT_DIR" in job.error_display
