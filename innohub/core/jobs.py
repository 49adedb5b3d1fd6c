"""Background jobs that always end (SETTLED.md: one shape for every job).

A job — a journey import, an export, later a monthly report — is a row that is `queued`, then
`running` while a worker holds its lease, then `done` or `failed`. The faults it survives:

- Two workers never run one job: a worker claims it with one conditional UPDATE (`claim`).
- A worker killed outright stops renewing its lease (a heartbeat thread renews it while the
  job runs). The sweep (`sweep`, run by every worker when it starts and every
  `JOB_SWEEP_SECONDS`) finds the stale lease, ends the dead worker's task, and queues the job
  again — each job's work is all-or-nothing, so a second run is safe — or, after
  `JOB_MAX_ATTEMPTS`, fails it with a reason. A queued job whose task was lost is queued again.
- A worker told to stop (SystemExit, KeyboardInterrupt) gives its job back, queued again.
- An error in innohub fails the job with a reason; so does an operator (`manage.py jobs`).

Every write of a running job names its holder, so a worker that has lost its lease changes
nothing (`LeaseLost`). Each kind of job is registered once (`register`) with its task, which
takes the job's id and calls `run`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
ENDED = (JobStatus.DONE, JobStatus.FAILED)

# Reasons a job failed without an error of its own; stored in English and translated when
# shown (`Job.error_display`), since the reader's language is not known when it is written.
WORKER_LOST = gettext_noop(
    "The worker running this job stopped %(attempts)d times; nothing was written. "
    "Start it again, or ask an operator to look at the worker."
)
CRASHED = gettext_noop("The job stopped because of an error in innohub; nothing was written.")
CANCELLED = gettext_noop("An operator cancelled this job; nothing was written.")


class Job(models.Model):
    """What every background job has: its state, its progress, and its lease.

    `rows_done` of `rows_total` is the progress; `error` says why a failed job failed.
    `holder` names the worker that runs it until `lease_until`; `attempts` counts the runs.
    Subclasses add who asked (`by`) and their own result, and `ended()` to remove what the
    job kept while it ran (an upload, a partial file).
    """

    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("why it failed"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("runs started"), default=0)
    holder = models.CharField(_("held by"), max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True, editable=False)
    task_id = models.CharField(_("task"), max_length=36, blank=True, editable=False)

    objects: models.Manager[Any]

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        """How far it has got, in percent."""
        return min(100 * self.rows_done // self.rows_total, 100) if self.rows_total else 0

    @property
    def error_display(self) -> str:
        """`error` in the reader's language (reasons of this module are stored in English)."""
        from django.utils.translation import gettext

        if not self.error:
            return ""
        translated = gettext(self.error)
        if "%(attempts)d" in self.error:
            return translated % {"attempts": self.attempts}
        return translated

    def ended(self) -> None:
        """Remove what the job kept while it ran; called once it is done or failed."""

    @classmethod
    def expire(cls, now: datetime) -> int:
        """Remove the files of jobs kept past their day (the sweep calls it); how many."""
        return 0


J = TypeVar("J", bound=Job)


class LeaseLost(Exception):
    """This worker no longer holds the job (the sweep gave it to another, or an operator
    cancelled it): it must stop and change nothing."""


@dataclass(frozen=True)
class Kind:
    """A kind of job: its model, and the task that runs one by id."""

    name: str
    model: type[Job]
    task: Any  # a django_tasks Task taking the job's id


_kinds: dict[str, Kind] = {}


def register(name: str, model: type[Job], task: Any) -> None:
    """Make a kind of job known to the sweep and to `manage.py jobs` (from `AppConfig.ready`)."""
    _kinds[name] = Kind(name, model, task)


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind_named(name: str) -> Kind | None:
    return _kinds.get(name)


def _kind_of(model: type[Job]) -> Kind:
    for kind in _kinds.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not a registered kind of job")


def lease_seconds() -> float:
    return float(settings.JOB_LEASE_SECONDS)


def _lease_end() -> datetime:
    return timezone.now() + timedelta(seconds=lease_seconds())


# --- Queueing ------------------------------------------------------------------------------


def enqueue(job: Job) -> None:
    """Queue `job`'s task once the current transaction commits; the job must be saved."""
    kind = _kind_of(type(job))
    type(job).objects.filter(pk=job.pk).update(lease_until=_lease_end())
    transaction.on_commit(lambda: _enqueue_now(kind, job.pk))


def _enqueue_now(kind: Kind, job_id: int) -> None:
    result = kind.task.enqueue(job_id)
    kind.model.objects.filter(pk=job_id).update(task_id=str(result.id))


# --- Running -------------------------------------------------------------------------------


def claim(model: type[J], job_id: int) -> J | None:
    """Take `job_id` for this worker if it is queued (or running on a stale lease): one
    conditional UPDATE, so that of two workers only one gets it. None if another has it or
    it has ended."""
    holder = uuid.uuid4().hex
    now = timezone.now()
    taken = (
        model.objects.filter(pk=job_id)
        .filter(
            models.Q(status=JobStatus.QUEUED)
            | models.Q(status=JobStatus.RUNNING, lease_until__lt=now)
        )
        .update(
            status=JobStatus.RUNNING,
            holder=holder,
            lease_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
    )
    if not taken:
        return None
    return model.objects.filter(pk=job_id).first()


def held(job: Job) -> models.QuerySet[Any]:
    """The job's row, as long as this worker holds it: every update by the worker goes
    through here, so that a worker that lost the job changes nothing."""
    return type(job).objects.filter(pk=job.pk, holder=job.holder, status=JobStatus.RUNNING)


def report_progress(job: Job, rows_done: int, **fields: Any) -> None:
    """Store the progress; raises LeaseLost when this worker no longer holds the job."""
    if not held(job).update(rows_done=rows_done, **fields):
        raise LeaseLost


def hold(job: Job) -> None:
    """Renew the job's lease; raises LeaseLost when this worker no longer holds the job.
    Inside the transaction of a step of the job's work (a batch it writes), it makes that
    step this worker's only: once the job is cancelled or queued again, no step commits."""
    if not held(job).update(lease_until=_lease_end()):
        raise LeaseLost


def finish(job: Job, *, ok: bool, **fields: Any) -> None:
    """End the job `done` (or `failed`, `ok` False) with its result `fields`. Inside the
    transaction that wrote the job's work, it makes the work and its end one: raises
    LeaseLost (rolling the work back) when this worker no longer holds the job."""
    updated = held(job).update(
        status=JobStatus.DONE if ok else JobStatus.FAILED,
        finished=timezone.now(),
        lease_until=None,
        **fields,
    )
    if not updated:
        raise LeaseLost


def run(model: type[J], job_id: int, work: Callable[[J], None]) -> str:
    """Run `work` on the job `job_id` if this worker can claim it, so that it always ends.

    `work` reports progress (`report_progress`) and ends the job (`finish`). While it runs a
    heartbeat renews the lease. When `work` raises, the job fails with a reason; when the
    worker is told to stop (SystemExit, KeyboardInterrupt) the job is queued again. Either
    way `ended()` then removes what the job kept, unless it was given back (then the stop is
    raised on). Answers what happened: "done", "failed", "skipped" (not claimable) or "lost".
    """
    job = claim(model, job_id)
    if job is None:
        return "skipped"
    try:
        with _heartbeat(job):
            work(job)
    except LeaseLost:
        logger.warning("%s %s: the lease was lost; this worker stops", model.__name__, job_id)
        return "lost"
    except (SystemExit, KeyboardInterrupt):
        _give_back(job)
        raise
    except BaseException:
        logger.exception("%s %s failed", model.__name__, job_id)
        _fail_held(job, CRASHED)
        _ended(model, job_id)
        raise
    job.refresh_from_db()
    if job.status in ACTIVE and job.holder:  # `work` forgot to end it: say so, never hang
        _fail_held(job, CRASHED)
    _ended(model, job_id)
    return str(job.status) if job.status in ENDED else "failed"


def _fail_held(job: Job, reason: str) -> None:
    try:
        held(job).update(
            status=JobStatus.FAILED, error=reason, finished=timezone.now(), lease_until=None
        )
    except Exception:  # the database is gone: the sweep finds the stale lease later
        logger.exception("%s %s could not be marked failed", type(job).__name__, job.pk)


def _give_back(job: Job) -> None:
    """Queue a job again whose worker was told to stop (its work was rolled back)."""
    try:
        if held(job).update(status=JobStatus.QUEUED, holder="", lease_until=_lease_end()):
            _enqueue_now(_kind_of(type(job)), job.pk)
    except Exception:  # the sweep finds it by its lease
        logger.exception("%s %s could not be given back", type(job).__name__, job.pk)


def _ended(model: type[Job], job_id: int) -> None:
    job = model.objects.filter(pk=job_id).first()
    if job is not None and job.status in ENDED:
        try:
            job.ended()
        except Exception:
            logger.exception("%s %s: cleaning up failed", model.__name__, job_id)


@contextmanager
def _heartbeat(job: Job) -> Iterator[None]:
    """Renew the job's lease from a thread while the block runs (it may hold a long
    transaction; on SQLite a renewal that meets its lock waits and tries again next time)."""
    stop = threading.Event()
    model, pk, holder = type(job), job.pk, job.holder
    every = max(lease_seconds() / 4, 0.05)

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    model.objects.filter(pk=pk, holder=holder, status=JobStatus.RUNNING).update(
                        lease_until=_lease_end()
                    )
                except DatabaseError:
                    logger.warning("%s %s: the lease could not be renewed", model.__name__, pk)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"lease-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


# --- Heartbeats (`/healthz` counts the workers seen lately) -----------------------------------


def worker_name() -> str:
    """This worker's name in its heartbeat: its host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def beat(*, now: datetime | None = None) -> None:
    """Say this worker is alive (when it starts and after every sweep)."""
    from .models import WorkerBeat

    now = now or timezone.now()
    WorkerBeat.objects.update_or_create(
        name=worker_name(), defaults={"seen": now}, create_defaults={"started": now, "seen": now}
    )


def stopped_beating() -> None:
    """A worker that stops cleanly takes its heartbeat away."""
    from .models import WorkerBeat

    WorkerBeat.objects.filter(name=worker_name()).delete()


# --- The sweep -----------------------------------------------------------------------------


@dataclass
class Swept:
    requeued: int = 0
    failed: int = 0
    resent: int = 0
    expired: int = 0


def sweep() -> Swept:
    """Find jobs whose worker is gone and end them or queue them again, and remove the files
    kept past their day. Safe to run on several workers at once: each change is a conditional
    UPDATE that only one wins."""
    swept = Swept()
    for kind in kinds():
        _sweep_stale(kind, swept)
        _resend_lost(kind, swept)
        swept.expired += kind.model.expire(timezone.now())
    return swept


def _sweep_stale(kind: Kind, swept: Swept) -> None:
    model = kind.model
    now = timezone.now()
    stale = model.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now).values_list(
        "pk", "attempts", "task_id", "lease_until"
    )
    for pk, attempts, task_id, lease_until in list(stale[:500]):
        same = model.objects.filter(pk=pk, status=JobStatus.RUNNING, lease_until=lease_until)
        if attempts >= settings.JOB_MAX_ATTEMPTS:
            if same.update(
                status=JobStatus.FAILED,
                error=WORKER_LOST,
                finished=now,
                holder="",
                lease_until=None,
            ):
                swept.failed += 1
                _end_task(task_id)
                _ended(model, pk)
        elif same.update(status=JobStatus.QUEUED, holder="", lease_until=_lease_end()):
            swept.requeued += 1
            _end_task(task_id)
            _enqueue_now(kind, pk)
        else:
            continue  # another sweep got there first
        logger.warning("%s %s: its worker stopped (run %d)", model.__name__, pk, attempts)


def _resend_lost(kind: Kind, swept: Swept) -> None:
    """A queued job past its deadline whose task is not waiting (lost before it was sent, or
    taken by a worker that died before it claimed the job) is sent again."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    model = kind.model
    now = timezone.now()
    late = list(
        model.objects.filter(status=JobStatus.QUEUED, lease_until__lt=now).values_list(
            "pk", "task_id", "lease_until"
        )[:500]
    )
    if not late:
        return
    waiting = {
        str(task)
        for task in DBTaskResult.objects.filter(
            id__in=[task for _pk, task, _until in late if task],
            status=TaskResultStatus.READY,
        ).values_list("id", flat=True)
    }
    for pk, task_id, lease_until in late:
        same = model.objects.filter(pk=pk, status=JobStatus.QUEUED, lease_until=lease_until)
        if task_id in waiting:
            same.update(lease_until=_lease_end())  # still in line: look again later
        elif same.update(lease_until=_lease_end()):
            _end_task(task_id)
            _enqueue_now(kind, pk)
            swept.resent += 1


def _end_task(task_id: str) -> None:
    """Mark a task that its worker will never finish as failed (the worker died)."""
    if not task_id:
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        id=task_id, status__in=[TaskResultStatus.RUNNING, TaskResultStatus.READY]
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{__name__}.WorkerLost",
        traceback="The worker running this task stopped; innohub queued its job again.",
    )


# --- What an operator does -----------------------------------------------------------------


def retry(job: Job) -> bool:
    """Queue an active job again now (its worker is stuck or gone). False if it has ended."""
    model = type(job)
    if not model.objects.filter(pk=job.pk, status__in=ACTIVE).update(
        status=JobStatus.QUEUED, holder="", lease_until=_lease_end()
    ):
        return False
    _end_task(job.task_id)
    _enqueue_now(_kind_of(model), job.pk)
    return True


def cancel(job: Job) -> bool:
    """Fail an active job (a worker still running it stops at its next step, and writes
    nothing). False if it has ended."""
    model = type(job)
    if not model.objects.filter(pk=job.pk, status__in=ACTIVE).update(
        status=JobStatus.FAILED,
        error=CANCELLED,
        finished=timezone.now(),
        holder="",
        lease_until=None,
    ):
        return False
    _end_task(job.task_id)
    _ended(model, job.pk)
    return True
