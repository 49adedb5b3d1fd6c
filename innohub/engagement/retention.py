"""Personal data is kept no longer than the consultation said (docs: the user guide,
"Citizen engagement"): once a day the worker's schedule (`core/schedule.py`, decision
record 0022) queues an `Erasure` job, which empties the name and contact of every
contribution whose `erase_after` has passed, in short batches, and forgets the rate limit's
counts of past hours. A worker that was down catches up at its next tick: everything due
up to that day is erased."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from innohub.core import jobs, schedule

from . import quota
from .models import Contribution, Erasure

DUTY = "engagement-erasure"
BATCH = 1_000


def today_due(now: datetime.datetime) -> str:
    """Every day is due: its date."""
    return timezone.localtime(now).date().isoformat()


def queue_erasure(period: str) -> Erasure:
    erasure = Erasure.objects.create(due_on=datetime.date.fromisoformat(period))
    jobs.enqueue(erasure)
    return erasure


def due(day: datetime.date) -> int:
    return Contribution.objects.filter(erase_after__isnull=False, erase_after__lte=day).count()


def erase(job: Erasure) -> None:
    """Erase, a batch a transaction, every name and contact due on or before the job's day."""
    total = due(job.due_on)
    jobs.report_progress(job, 0, rows_total=total)
    done = 0
    while True:
        with transaction.atomic():
            jobs.hold(job)
            ids = list(
                Contribution.objects.filter(
                    erase_after__isnull=False, erase_after__lte=job.due_on
                ).values_list("pk", flat=True)[:BATCH]
            )
            if ids:
                done += Contribution.objects.filter(pk__in=ids).update(
                    name="", contact="", erase_after=None, erased_on=timezone.localdate()
                )
                jobs.report_progress(job, done)
                continue
            quota.forget_past()
            jobs.finish(job, ok=True, rows_done=done, rows_total=max(total, done))
            return


@task()
def run_erasure(erasure_id: int) -> str:
    return jobs.run(Erasure, erasure_id, erase)


def register_duty() -> None:
    schedule.register(DUTY, due=today_due, do=queue_erasure)
    jobs.register("engagement-erasure", Erasure, run_erasure)
