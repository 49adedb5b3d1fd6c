"""`/healthz/live` (what a proxy checks) and `/healthz` (the database and the task queue)."""

from __future__ import annotations

import datetime

import pytest
from django.db import ProgrammingError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from innohub.core import health, jobs
from innohub.core.models import WorkerBeat
from tests.factories import UserFactory

LIVE = "/healthz/live"
HEALTH = "/healthz"
NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


def task(
    *,
    status: str = TaskResultStatus.READY,
    enqueued: datetime.datetime,
    run_after: datetime.datetime | None = None,
    started: datetime.datetime | None = None,
    finished: datetime.datetime | None = None,
) -> DBTaskResult:
    result = DBTaskResult.objects.create(
        task_path="innohub.services.tasks.run_journey_import",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=run_after or get_date_max(),
        status=status,
        started_at=started,
        finished_at=finished,
    )
    # `enqueued_at` is set on create: put it where the test needs it.
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=enqueued)
    return result


def ago(**delta: float) -> datetime.datetime:
    return NOW - datetime.timedelta(**delta)


# --- /healthz/live ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_live_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LIVE)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_live_reads_no_session_even_for_an_administrator_before_two_factor(
    client, django_assert_num_queries
):
    # The two-factor middleware would send this person to enter a code on any page.
    client.force_login(UserFactory(roles=["administrator"]))

    with django_assert_num_queries(0):
        live = client.get(LIVE)
    health_response = client.get(HEALTH)
    page = client.get(reverse("core:accessibility"))

    assert live.status_code == 200
    assert health_response.status_code == 200
    assert page.status_code == 302  # the two-factor page, for comparison
    assert not live.cookies and not health_response.cookies


def test_live_answers_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(LIVE).status_code == 200
    assert client.get(reverse("core:accessibility")).status_code == 301


def test_live_answers_only_reads(client):
    assert client.head(LIVE).status_code == 200
    assert client.put(LIVE).status_code == 405


# --- /healthz --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_with_an_empty_queue_is_ok_and_small(client, django_assert_num_queries):
    jobs.beat()  # a worker is running
    # The queue and the heartbeats; the database is asked on its own connection.
    with django_assert_num_queries(2):
        response = client.get(HEALTH)

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["database"].pop("latency_ms"), int)
    assert body == {
        "status": "ok",
        "database": {"status": "ok"},
        "worker": {
            "status": "ok",
            "queued": 0,
            "running": 0,
            "oldest_queued_seconds": None,
            "last_seen_seconds": None,
            "alive": 1,
            "last_beat_seconds": 0,
        },
        "reasons": [],
        "replicas": [],  # none configured
    }
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_the_queue_counts_waiting_tasks_from_when_they_could_run():
    task(enqueued=ago(minutes=3))
    task(enqueued=ago(hours=2), run_after=ago(minutes=4))  # scheduled: waits since run_after
    task(enqueued=ago(hours=1), run_after=NOW + datetime.timedelta(hours=1))  # not yet due
    task(status=TaskResultStatus.RUNNING, enqueued=ago(minutes=30), started=ago(minutes=2))
    task(
        status=TaskResultStatus.SUCCESSFUL,
        enqueued=ago(hours=3),
        started=ago(hours=3),
        finished=ago(seconds=90),
    )

    jobs.beat(now=NOW - datetime.timedelta(seconds=30))
    state = health.worker_state(now=NOW)

    assert state == health.WorkerState(
        status="ok",
        queued=2,
        running=1,
        oldest_queued_seconds=240,
        last_seen_seconds=90,
        alive=1,
        last_beat_seconds=30,
    )


@pytest.mark.django_db
def test_a_queue_that_does_not_move_is_degraded_but_still_200(client, settings):
    settings.HEALTHZ_QUEUE_MAX_WAIT_SECONDS = 600
    jobs.beat()  # a worker beats, but the queue does not move
    now = timezone.now()
    task(enqueued=now - datetime.timedelta(minutes=15))
    task(enqueued=now - datetime.timedelta(minutes=1))
    task(
        status=TaskResultStatus.SUCCESSFUL,
        enqueued=now - datetime.timedelta(days=2),
        started=now - datetime.timedelta(days=2),
        finished=now - datetime.timedelta(days=1),
    )

    response = client.get(HEALTH)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["status"] == "ok"
    worker = body["worker"]
    assert worker["status"] == "degraded"
    assert worker["queued"] == 2
    assert worker["running"] == 0
    assert 900 <= worker["oldest_queued_seconds"] <= 905
    assert 86400 <= worker["last_seen_seconds"] <= 86405
    assert body["reasons"] == [
        "Queued tasks are waiting too long: is the task worker (manage.py worker) running?"
    ]


@pytest.mark.django_db
def test_a_wait_within_the_limit_is_ok():
    task(enqueued=ago(seconds=299))
    jobs.beat(now=NOW)

    assert health.worker_state(now=NOW).status == "ok"
    assert health.worker_state(now=NOW + datetime.timedelta(seconds=2)).status == "degraded"


@pytest.mark.django_db
def test_an_unreadable_queue_is_degraded(client, monkeypatch):
    def fail(**aggregates):
        raise ProgrammingError('relation "django_tasks_database_dbtaskresult" does not exist')

    monkeypatch.setattr(DBTaskResult.objects, "aggregate", fail)

    response = client.get(HEALTH)

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": {"status": "ok", "latency_ms": response.json()["database"]["latency_ms"]},
        "worker": {
            "status": "unknown",
            "queued": None,
            "running": None,
            "oldest_queued_seconds": None,
            "last_seen_seconds": None,
            "alive": None,
            "last_beat_seconds": None,
        },
        "reasons": ["The task queue cannot be read."],
        "replicas": [],
    }


@pytest.fixture
def unreachable_database(monkeypatch, tmp_path):
    """Settings under which a new connection fails at once (the open one keeps working)."""
    if connection.vendor == "postgresql":
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", "1")  # nothing listens there
    else:
        missing = tmp_path / "no-such-folder" / "innohub.sqlite3"
        monkeypatch.setitem(connection.settings_dict, "NAME", str(missing))


@pytest.mark.django_db
def test_an_unreachable_database_is_503_with_retry_after_and_no_detail(
    client, unreachable_database, django_assert_num_queries
):
    with django_assert_num_queries(0):  # the queue is not asked
        response = client.get(HEALTH)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "status": "down",
        "database": {"status": "down", "latency_ms": None},
        "worker": {
            "status": "unknown",
            "queued": None,
            "running": None,
            "oldest_queued_seconds": None,
            "last_seen_seconds": None,
            "alive": None,
            "last_beat_seconds": None,
        },
        "reasons": ["The database cannot be reached."],
        "replicas": [],
    }
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_live_stays_ok_while_the_database_is_unreachable(client, unreachable_database):
    assert health.database_latency() is None
    assert client.get(LIVE).json() == {"status": "ok"}


@pytest.mark.django_db
def test_a_database_that_answers_reports_its_latency():
    latency = health.database_latency()

    assert latency is not None
    assert 0 <= latency < health.DATABASE_TIMEOUT


@pytest.mark.django_db
def test_no_heartbeat_lately_is_degraded_and_a_clean_stop_takes_its_beat_away(client, settings):
    settings.JOB_SWEEP_SECONDS = 60  # three missed beats and five seconds: 185 s
    body = client.get(HEALTH).json()
    assert (body["status"], body["worker"]["alive"]) == ("degraded", 0)
    assert body["reasons"] == ["No task worker has been seen lately: is manage.py worker running?"]
    jobs.beat(now=timezone.now() - datetime.timedelta(seconds=190))  # killed long ago
    worker = client.get(HEALTH).json()["worker"]
    assert (worker["alive"], worker["status"]) == (0, "degraded")
    assert 190 <= worker["last_beat_seconds"] <= 195
    jobs.beat()  # beats again
    assert client.get(HEALTH).json()["status"] == "ok"
    assert WorkerBeat.objects.count() == 1  # one row a worker, written over
    jobs.stopped_beating()
    assert not WorkerBeat.objects.exists()
