"""`manage.py worker`: the task worker (django-tasks-db's `db_worker`, same options) that also
sweeps for jobs whose worker died and does the schedule's due duties — once when it starts,
then every JOB_SWEEP_SECONDS from a thread (innohub/core/jobs.py, innohub/core/schedule.py).
Run as many as you like: the sweep and the schedule are safe on several."""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from innohub.core import jobs, schedule

logger = logging.getLogger("innohub.core.jobs")


class Command(DbWorker):
    help = "Run the task worker; it also queues again the jobs of workers that died."

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        swept = jobs.sweep()
        if swept != jobs.Swept():
            logger.warning("At start: %s", swept)
        _tick()
        _beat()
        stop = threading.Event()
        sweeper = threading.Thread(target=_sweep_until, args=(stop,), name="job-sweep", daemon=True)
        sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            with contextlib.suppress(Exception):  # a database already gone: the row grows old
                jobs.stopped_beating()


def _sweep_until(stop: threading.Event) -> None:
    while not stop.wait(settings.JOB_SWEEP_SECONDS):
        try:
            jobs.sweep()
        except Exception:  # a database that is away for a while: try again next time
            logger.exception("The job sweep failed")
        _tick()
        _beat()
        connection.close()


def _beat() -> None:
    try:
        jobs.beat()
    except Exception:  # as the sweep: next time
        logger.exception("The heartbeat failed")


def _tick() -> None:
    """The schedule's due duties (innohub/core/schedule.py), after each sweep; unless this
    worker was told not to keep it (`INNOHUB_WORKER_SCHEDULE=false`)."""
    if not settings.WORKER_SCHEDULE:
        return
    try:
        schedule.tick()
    except Exception:  # as the sweep: next time
        logger.exception("The schedule failed")
