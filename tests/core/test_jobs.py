"""Jobs that always end: claims, leases, the sweep, and what an operator does.

The journey import is the registered kind these tests use (innohub/services/apps.py)."""

from __future__ import annotations

import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from innohub.core import jobs, schedule
from innohub.core.jobs import JobStatus
from innohub.services.models import JourneyImport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(tmp_path) -> JourneyImport:
    upload = tmp_path / "upload.csv"
    upload.write_text("journey_ref\n")
    return JourneyImport.objects.create(by=UserFactory(), stored_path=str(upload))


def task_rows() -> list[tuple[str, str]]:
    return list(DBTaskResult.objects.order_by("enqueued_at").values_list("id", "status"))


def stale(job: JourneyImport, *, attempts: int = 1) -> JourneyImport:
    """The job as a worker that died mid-run left it: running, on a lease that ran out."""
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path="innohub.services.tasks.run_journey_import",
        backend_name="default",
        run_after=timezone.now(),
        status=TaskResultStatus.RUNNING,
    )
    JourneyImport.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        holder="dead",
        attempts=attempts,
        lease_until=timezone.now() - timedelta(seconds=1),
        task_id=str(task.id),
    )
    job.refresh_from_db()
    return job


def test_only_one_worker_claims_a_job(job):
    first = jobs.claim(JourneyImport, job.pk)
    second = jobs.claim(JourneyImport, job.pk)

    assert first is not None and second is None
    assert (first.status, first.attempts, len(first.holder)) == (JobStatus.RUNNING, 1, 32)
    assert first.lease_until > timezone.now() + timedelta(seconds=100)  # JOB_LEASE_SECONDS


def test_a_worker_that_lost_its_job_changes_nothing(job):
    mine = jobs.claim(JourneyImport, job.pk)
    assert mine is not None
    assert jobs.cancel(job)

    with pytest.raises(jobs.LeaseLost):
        jobs.report_progress(mine, 10)
    with pytest.raises(jobs.LeaseLost):
        jobs.finish(mine, ok=True, result={"created": 1, "skipped_duplicates": 0})
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.result) == (JobStatus.FAILED, 0, {})
    assert "cancelled" in job.error_display


def test_the_sweep_queues_again_a_job_whose_worker_died(job):
    dead_task = stale(job).task_id

    swept = jobs.sweep()

    assert (swept.requeued, swept.failed) == (1, 0)
    job.refresh_from_db()
    assert (job.status, job.holder) == (JobStatus.QUEUED, "")
    assert job.task_id != dead_task  # a new task, and the dead one ended
    assert {str(task): status for task, status in task_rows()} == {
        dead_task: TaskResultStatus.FAILED,
        job.task_id: TaskResultStatus.READY,
    }
    assert jobs.sweep().requeued == 0  # nothing more to do


def test_the_sweep_fails_a_job_that_killed_its_worker_too_often(job, settings):
    stale(job, attempts=settings.JOB_MAX_ATTEMPTS)

    swept = jobs.sweep()

    assert (swept.requeued, swept.failed) == (0, 1)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished is not None
    assert "stopped 3 times" in job.error_display
    assert not Path(job.stored_path).exists()  # ended: its upload is removed


def test_the_sweep_leaves_a_job_whose_worker_is_alive(job):
    jobs.claim(JourneyImport, job.pk)

    assert jobs.sweep() == jobs.Swept()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_a_queued_job_whose_task_was_lost_is_sent_again_but_one_in_line_waits(
    job, django_capture_on_commit_callbacks
):
    lost = job  # queued, but its task never reached the queue
    waiting = JourneyImport.objects.create(by=job.by)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(waiting)  # its task waits in line behind long jobs
    JourneyImport.objects.update(lease_until=timezone.now() - timedelta(seconds=1))

    swept = jobs.sweep()

    assert swept.resent == 1
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.task_id and lost.lease_until > timezone.now()
    assert waiting.lease_until > timezone.now()  # looked at again later
    assert len(task_rows()) == 2  # one task each: none more for the one in line


def test_retry_and_cancel_from_the_command_line(job):
    dead_task = stale(job).task_id
    out = StringIO()

    call_command("jobs", "list", stdout=out)
    assert f"import   {job.pk:>8}  running" in out.getvalue()

    call_command("jobs", "retry", "import", str(job.pk), stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id != dead_task

    call_command("jobs", "cancel", "import", str(job.pk), stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "cancelled" in out.getvalue()
    assert not Path(job.stored_path).exists()

    with pytest.raises(CommandError, match="has ended"):
        call_command("jobs", "retry", "import", str(job.pk))
    with pytest.raises(CommandError, match="No kind of job"):
        call_command("jobs", "cancel", "report", str(job.pk))
    with pytest.raises(CommandError, match="No import"):
        call_command("jobs", "cancel", "import", "999999")


@pytest.mark.django_db(transaction=True)
def test_a_running_job_keeps_its_lease_alive(job, settings):
    settings.JOB_LEASE_SECONDS = 0.4
    renewed: list[object] = []

    def work(mine: JourneyImport) -> None:
        first = JourneyImport.objects.get(pk=mine.pk).lease_until
        time.sleep(0.6)  # longer than the lease: only the heartbeat keeps it
        renewed.append(JourneyImport.objects.get(pk=mine.pk).lease_until > first)
        assert jobs.sweep().requeued == 0
        jobs.finish(mine, ok=True)

    assert jobs.run(JourneyImport, job.pk, work) == "done"
    assert renewed == [True]


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_sweeps_then_runs_what_it_queued_again(job, tmp_path, monkeypatch):
    monkeypatch.setattr(schedule, "_duties", {})  # only the sweep here (the schedule: below)
    Path(job.stored_path).write_text("")  # an empty file: the import ends failed, with a reason
    stale(job)

    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 2
    assert job.errors[0]["message"].startswith("The file is empty")
    assert [status for _id, status in task_rows()] == [
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]
