"""What `/healthz` reports: whether the database answers, whether the task queue moves, and
how far behind the read replicas are (when there are some).

`/healthz/live` (the process answers) is what a proxy checks; this is for people and
monitoring. It never carries a host name, an error text or anything else from the settings.
"""

from __future__ import annotations

import copy
import datetime
import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db import Error as DjangoDatabaseError
from django.db.models import Case, Count, F, Max, Min, Q, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import WorkerBeat

logger = logging.getLogger(__name__)

# Seconds the database may take to accept a connection and answer `SELECT 1`.
DATABASE_TIMEOUT = 3

Status = Literal["ok", "degraded", "down"]


@dataclass(frozen=True)
class DatabaseState:
    status: Literal["ok", "down"]
    latency_ms: int | None = None


@dataclass(frozen=True)
class WorkerState:
    """The task queue as the database holds it, and the workers' heartbeats. An idle worker
    leaves no trace in the queue, so `last_seen_seconds` (since a worker last started or
    finished a task) may be large on a quiet day; what says workers are missing is a queue
    that does not move, or no heartbeat lately (`alive` 0)."""

    status: Literal["ok", "degraded", "unknown"]
    queued: int | None = None
    running: int | None = None
    oldest_queued_seconds: int | None = None
    last_seen_seconds: int | None = None
    # Workers whose heartbeat (written after every sweep) is recent, and the latest's age.
    alive: int | None = None
    last_beat_seconds: int | None = None


@dataclass(frozen=True)
class ReplicaReport:
    """A read replica (`DATABASE_REPLICA_URLS`) as this app server sees it: "ok", "lagging"
    (further behind than REPLICA_MAX_LAG_SECONDS: its reads go to the primary) or "down"."""

    name: str
    status: Literal["ok", "lagging", "down"]
    lag_seconds: float | None = None


@dataclass(frozen=True)
class Health:
    status: Status
    database: DatabaseState
    worker: WorkerState
    reasons: list[str] = field(default_factory=list)
    replicas: list[ReplicaReport] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check(*, now: datetime.datetime | None = None) -> Health:
    """The database and the task queue: "ok"; "degraded" (serving, with `reasons`) when the
    queue does not move or cannot be read; "down" when the database does not answer."""
    now = now or timezone.now()
    latency = database_latency()
    if latency is None:
        return Health(
            status="down",
            database=DatabaseState(status="down"),
            worker=WorkerState(status="unknown"),
            reasons=[_("The database cannot be reached.")],
        )
    database = DatabaseState(status="ok", latency_ms=round(latency * 1000))
    try:
        worker = worker_state(now=now)
    except DatabaseError:
        logger.warning("healthz: the task queue cannot be read", exc_info=True)
        return Health(
            status="degraded",
            database=database,
            worker=WorkerState(status="unknown"),
            reasons=[_("The task queue cannot be read.")],
        )
    found = replica_reports()
    reasons = []
    if worker.oldest_queued_seconds is not None and (
        worker.oldest_queued_seconds > settings.HEALTHZ_QUEUE_MAX_WAIT_SECONDS
    ):
        reasons.append(
            _("Queued tasks are waiting too long: is the task worker (manage.py worker) running?")
        )
    if worker.alive == 0:
        reasons.append(_("No task worker has been seen lately: is manage.py worker running?"))
    if any(replica.status != "ok" for replica in found):
        reasons.append(_("A read replica is down or behind: its reads go to the primary."))
    return Health(
        status="degraded" if reasons else "ok",
        database=database,
        worker=worker,
        reasons=reasons,
        replicas=found,
    )


def replica_reports() -> list[ReplicaReport]:
    """Each configured replica checked now (none by default)."""
    from . import replicas

    found = []
    for alias in replicas.replica_aliases():
        state = replicas.check(alias)
        status: Literal["ok", "lagging", "down"] = (
            "ok" if state.fit else "lagging" if state.up else "down"
        )
        lag = None if state.lag_seconds is None else round(state.lag_seconds, 1)
        found.append(ReplicaReport(name=alias, status=status, lag_seconds=lag))
    return found


def database_latency(
    *, alias: str = DEFAULT_DB_ALIAS, timeout: int = DATABASE_TIMEOUT
) -> float | None:
    """Seconds a `SELECT 1` took on a connection of its own, or None when the database does
    not accept one or answer within about `timeout` seconds.

    A fresh connection, so that the limits apply to connecting too and nothing is left on
    the request's connection; it is closed at once.
    """
    wrapper = connections[alias]
    settings_dict = copy.deepcopy(wrapper.settings_dict)
    options = settings_dict.setdefault("OPTIONS", {})
    options.pop("pool", None)  # one short-lived connection, never a pool of them
    if wrapper.vendor == "postgresql":
        options["connect_timeout"] = max(2, timeout)  # libpq's minimum is 2 seconds
    elif wrapper.vendor == "sqlite":
        options["timeout"] = timeout
    probe = type(wrapper)(settings_dict, alias=alias)
    started = time.monotonic()
    try:
        with probe.cursor() as cursor:
            if probe.vendor == "postgresql":
                cursor.execute(f"SET statement_timeout = {int(timeout * 1000)}")
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DjangoDatabaseError:
        logger.warning("healthz: the database does not answer", exc_info=True)
        return None
    finally:
        probe.close()
    return time.monotonic() - started


def worker_state(*, now: datetime.datetime) -> WorkerState:
    """The queue of `django-tasks-db` in one query: tasks ready to run and not taken, how long
    the oldest has waited (since it was queued or since its `run_after`, whichever is later),
    tasks running, and when a worker last started or finished one; then the heartbeats.
    "degraded" when the oldest has waited longer than `HEALTHZ_QUEUE_MAX_WAIT_SECONDS`, or no
    worker has beaten in three sweeps' time."""
    never = get_date_max()  # django-tasks-db's `run_after` for "as soon as possible"
    ready = Q(status=TaskResultStatus.READY) & (Q(run_after=never) | Q(run_after__lte=now))
    waiting_since = Case(
        When(run_after=never, then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    row = DBTaskResult.objects.aggregate(
        queued=Count("pk", filter=ready),
        oldest=Min(waiting_since, filter=ready),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        last_started=Max("started_at"),
        last_finished=Max("finished_at"),
    )
    oldest = _seconds_since(row["oldest"], now)
    seen = [moment for moment in (row["last_started"], row["last_finished"]) if moment]
    stuck = oldest is not None and oldest > settings.HEALTHZ_QUEUE_MAX_WAIT_SECONDS
    beats = WorkerBeat.objects.aggregate(
        alive=Count("pk", filter=Q(seen__gte=now - _beat_window())), last=Max("seen")
    )
    return WorkerState(
        status="degraded" if stuck or beats["alive"] == 0 else "ok",
        queued=row["queued"],
        running=row["running"],
        oldest_queued_seconds=oldest,
        last_seen_seconds=_seconds_since(max(seen), now) if seen else None,
        alive=beats["alive"],
        last_beat_seconds=_seconds_since(beats["last"], now),
    )


def _beat_window() -> datetime.timedelta:
    """A worker beats every JOB_SWEEP_SECONDS: three missed beats and it counts as gone."""
    return datetime.timedelta(seconds=3 * settings.JOB_SWEEP_SECONDS + 5)


def _seconds_since(moment: datetime.datetime | None, now: datetime.datetime) -> int | None:
    if moment is None:
        return None
    return max(0, int((now - moment).total_seconds()))
