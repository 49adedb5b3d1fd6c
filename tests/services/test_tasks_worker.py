"""A real task worker, killed mid-import: the import still ends, with every journey written once;
and officers recording journeys while it imports are never locked out.

Probed as an operator would: `manage.py worker` processes on a database file of their own,
stopped by two SIGTERMs, then SIGKILLed, then started again (issue: "imports that always
end"). Before leases, the killed worker's import said `running` for ever. Before staging
(ADR 0014), the import's one write transaction held SQLite's lock until it ended."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from innohub.services.importer import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = 12_000
STEPS = 5  # 60,000 rows: long enough to be caught mid-check, short enough for CI

SETUP = """
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.services.models import Service
from innohub.services.tasks import queue_journey_import
from innohub.accounts.models import User

user = User.objects.create_user("importer", password="x")
area = Area.objects.create(code="BD-13", name="Dhaka", level="district")
organisation = Organisation.objects.create(name="Land ministry", kind="ministry", area=area)
service = Service.objects.create(name="Land mutation", organisation=organisation)
print(service.pk)
"""

QUEUE = """
from innohub.accounts.models import User
from innohub.services.tasks import queue_journey_import
with open({path!r}, "rb") as source:
    job = queue_journey_import(by=User.objects.get(), source=source, file_name="big.csv")
print(job.pk)
"""


# These processes work on an SQLite file of their own whatever the suite's database (the
# second test is about SQLite's lock): in the PostgreSQL suite they would repeat the SQLite
# suite's run to the byte, so they run once, there.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "sqlite").split(":", 1)[0] != "sqlite",
    reason="workers on an SQLite file of their own: run by the SQLite suite",
)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A migrated database file, made once for the module and copied for each test."""
    folder = tmp_path_factory.mktemp("migrated")
    manage(_env(folder), "migrate", "--noinput", "-v", "0")
    return folder / "site.sqlite3"


def site_env(folder: Path, migrated: Path, **settings: str) -> dict[str, str]:
    """The environment the processes share: a database file (a copy of the migrated one), an
    import folder, settings."""
    shutil.copyfile(migrated, folder / "site.sqlite3")
    return _env(folder, **settings)


def _env(folder: Path, **settings: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "INNOHUB_VAR_DIR": str(folder),
        "INNOHUB_IMPORT_DIR": str(folder / "imports"),
        "AXES_ENABLED": "false",
        # These workers import journeys and nothing else (no monthly reviews on start).
        "INNOHUB_WORKER_SCHEDULE": "false",
        **settings,
    }


@pytest.fixture
def site(tmp_path, migrated):
    return site_env(tmp_path, migrated, JOB_LEASE_SECONDS="2", JOB_SWEEP_SECONDS="1"), tmp_path


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "-v", "0", "-c", code).splitlines()[-1]


def worker(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval", "0.2", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def the_import(db: Path, import_id: int) -> dict[str, object]:
    with sqlite3.connect(db, timeout=30) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(
            "SELECT * FROM services_journeyimport WHERE id = ?", (import_id,)
        ).fetchone()
        return dict(row)


def wait_until_checking(db: Path, import_id: int, *, past: int) -> dict[str, object]:
    """Wait until the worker has checked more than `past` rows (it is mid-import)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = the_import(db, import_id)
        if job["status"] == "running" and int(str(job["rows_done"])) > past:
            return job
        time.sleep(0.02)
    raise AssertionError(f"the worker never got past row {past}: {the_import(db, import_id)}")


def write_file(path: Path, service_id: int, *, journeys: int = JOURNEYS) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for journey in range(journeys):
            for step in range(STEPS):
                journey_cells = [f"K{journey}", service_id, "BD-13", "2025-03-01"]
                step_cells = ["Land office", 1, "1.5", "2", "100", "20", "0", 1]
                writer.writerow(
                    [*journey_cells, "secret_shopper", "none", "", f"S{step}", *step_cells]
                )


def test_an_import_survives_a_stopped_and_a_killed_worker_and_ends_written_once(site):
    env, folder = site
    db = folder / "site.sqlite3"
    service_id = int(shell(env, SETUP))
    upload = folder / "big.csv"
    write_file(upload, service_id)
    import_id = int(shell(env, QUEUE.format(path=upload.as_posix())))

    # Two SIGTERMs: the worker stops at once; the import is given back, its file kept.
    first = worker(env)
    wait_until_checking(db, import_id, past=0)
    first.send_signal(signal.SIGTERM)
    time.sleep(0.05)
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=30)
    job = the_import(db, import_id)
    assert (job["status"], job["attempts"]) == ("queued", 1)
    assert Path(str(job["stored_path"])).exists()

    # SIGKILL: nothing runs any more in that worker; its lease runs out.
    second = worker(env)
    wait_until_checking(db, import_id, past=0)
    second.kill()
    second.wait(timeout=30)
    job = the_import(db, import_id)
    assert (job["status"], job["attempts"]) == ("running", 2)

    # A worker started again sweeps, finds the stale lease and runs the import to its end.
    time.sleep(2.1)  # JOB_LEASE_SECONDS
    third = worker(env, "--batch")
    assert third.wait(timeout=180) == 0, third.stderr.read() if third.stderr else ""

    job = the_import(db, import_id)
    assert (job["status"], job["attempts"], job["rows_done"]) == ("done", 3, JOURNEYS * STEPS)
    assert job["result"] == f'{{"created": {JOURNEYS}, "skipped_duplicates": 0}}'
    assert not Path(str(job["stored_path"])).exists()
    with sqlite3.connect(db) as connection:
        journeys, steps = connection.execute(
            "SELECT (SELECT COUNT(*) FROM services_journey), (SELECT COUNT(*) FROM services_journeystep)"
        ).fetchone()
        tasks = dict(
            connection.execute(
                "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
            ).fetchall()
        )
    assert (journeys, steps) == (JOURNEYS, JOURNEYS * STEPS)  # written once
    # The interrupted task failed, the killed one was ended by the sweep, the last succeeded.
    assert tasks == {"FAILED": 2, "SUCCESSFUL": 1}


# Officers recording journeys through the domain's own write function, each in a thread of its
# own (a connection of its own), until the import has ended; each recording timed, lock
# waits included. Prints what it saw as JSON.
OFFICERS = """
import datetime, json, threading, time
from django.db import connection
from innohub.accounts.models import User
from innohub.geo.models import Area
from innohub.services.journeys import create_journey
from innohub.services.models import Journey, JourneyImport, Service
from innohub.services.steps import StepData

officer, _ = User.objects.get_or_create(username={name!r})
service, area = Service.objects.get(), Area.objects.get(code="BD-13")
seen = {{"waits": [], "failures": [], "while_staging": 0}}
lock = threading.Lock()


def record(n):
    try:
        for i in range(100_000):
            if JourneyImport.objects.filter(pk={import_id}, status__in=["done", "failed"]).exists():
                return
            staging = Journey.with_staged.filter(staged_by={import_id}).exists()
            started = time.monotonic()
            try:
                create_journey(
                    by=officer, service=service, area=area, method="secret_shopper",
                    observed_on=datetime.date(2025, 3, 1), ref=f"{name}-{{n}}-{{i}}",
                    steps=[StepData(title="Counter", visits=1)],
                )
            except Exception as error:
                with lock:
                    seen["failures"].append(repr(error))
            with lock:
                seen["waits"].append(time.monotonic() - started)
                seen["while_staging"] += staging
            time.sleep(0.25)  # officers, not a load test: the lock is mostly free
    finally:
        connection.close()


threads = [threading.Thread(target=record, args=(n,)) for n in range({threads})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(seen))
"""
# Watches SQLite's write lock from outside: tries to take it (never waiting) every 2 ms until
# told to stop, and prints the longest time it was held without a break, by anyone.
LOCK_WATCH = """
import json, os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
held_since, longest = None, 0.0
while not os.path.exists(sys.argv[2]):
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        if held_since is not None:
            longest = max(longest, time.monotonic() - held_since)
            held_since = None
    except sqlite3.OperationalError:
        held_since = held_since or time.monotonic()
    time.sleep(0.002)
print(json.dumps({"longest": longest}))
"""
BIG = 42_000  # journeys of 5 steps: 210,000 rows
BUSY_TIMEOUT = 20  # seconds (settings: SQLite's "timeout")


def started(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_officers_record_journeys_while_a_large_import_writes_and_none_is_locked_out(
    tmp_path, migrated
):
    """Issue 12 item 4: 20 officers recording during a 1.6M-row import got 9 "database is
    locked" (the import's one transaction held SQLite's lock ~40 s, beyond the 20 s busy
    timeout). Staged in short transactions, no writer waits long: the longest wait stays far
    below the busy timeout, and every recording is saved."""
    env = site_env(tmp_path, migrated, JOB_LEASE_SECONDS="60", JOB_SWEEP_SECONDS="60")
    db = tmp_path / "site.sqlite3"
    service_id = int(shell(env, SETUP))
    upload = tmp_path / "big.csv"
    write_file(upload, service_id, journeys=BIG)
    import_id = int(shell(env, QUEUE.format(path=upload.as_posix())))

    code = [OFFICERS.format(name=f"officer{n}", import_id=import_id, threads=3) for n in range(2)]
    officers = [started(["manage.py", "shell", "-v", "0", "-c", text], env) for text in code]
    stop = tmp_path / "stop"
    watch = started(["-c", LOCK_WATCH, str(db), str(stop)], env)
    time.sleep(1)  # the officers are at work before the worker starts
    importing = worker(env, "--batch")
    assert importing.wait(timeout=180) == 0, importing.stderr.read() if importing.stderr else ""
    stop.touch()
    out, err = watch.communicate(timeout=30)
    longest_hold = json.loads(out.strip().splitlines()[-1])["longest"]
    seen: dict[str, list[float] | list[str] | int] = {"waits": [], "failures": []}
    staging_seen = 0
    for process in officers:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err[-3000:]
        mine = json.loads(out.strip().splitlines()[-1])
        seen["waits"] += mine["waits"]  # type: ignore[operator]
        seen["failures"] += mine["failures"]  # type: ignore[operator]
        staging_seen += mine["while_staging"]

    job = the_import(db, import_id)
    assert (job["status"], job["result"]) == (
        "done",
        f'{{"created": {BIG}, "skipped_duplicates": 0}}',
    )
    waits = sorted(seen["waits"])  # type: ignore[type-var]
    assert seen["failures"] == []  # no "database is locked", nothing else either
    assert staging_seen >= 3, "no officer recorded while the import was writing"
    print(
        f"\n{len(waits)} recordings ({staging_seen} while the import staged): "
        f"median {waits[len(waits) // 2]:.3f}s, p99 {waits[int(len(waits) * 0.99)]:.3f}s, "
        f"longest {waits[-1]:.3f}s; the lock held at most {longest_hold:.3f}s at a time"
    )
    # A transaction holds the lock ~0.3 s, the publish ~0.15 s (before: the whole write, ~2 s for
    # this file, ~40 s for 1.6M rows). SQLite's lock has no queue: a writer retries after
    # sleeps of up to 100 ms and may miss a few gaps between batches (seen: up to ~1.5 s).
    assert longest_hold < 1, "the import held SQLite's lock for a second or more"
    assert waits[-1] < BUSY_TIMEOUT / 4, "a writer waited far longer than a batch or the publish"
    with sqlite3.connect(db) as connection:
        (journeys,) = connection.execute(
            "SELECT COUNT(*) FROM services_journey WHERE staged_by_id IS NULL"
        ).fetchone()
    assert journeys == BIG + len(waits)  # every import's journey once, every recording saved
