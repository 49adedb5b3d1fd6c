"""A real task worker, killed mid-import: the import still ends, with every journey written once.

Probed as an operator would: `manage.py worker` processes on a database file of their own,
stopped by two SIGTERMs, then SIGKILLed, then started again (issue: "imports that always
end"). Before leases, the killed worker's import said `running` for ever."""

from __future__ import annotations

import csv
import os
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


@pytest.fixture
def site(tmp_path):
    """A database file, an import folder and the environment the processes share."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "INNOHUB_VAR_DIR": str(tmp_path),
        "INNOHUB_IMPORT_DIR": str(tmp_path / "imports"),
        "JOB_LEASE_SECONDS": "2",
        "JOB_SWEEP_SECONDS": "1",
        "AXES_ENABLED": "false",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    return env, tmp_path


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


def write_file(path: Path, service_id: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for journey in range(JOURNEYS):
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
