"""Faults on the running cluster (`make faults`), each scripted and checked:

1. **an app server killed** (SIGKILL, its master and workers) under load: no request fails
   beyond the writes in flight on it (nginx sends the reads to the other one), and every write
   the server confirmed is found afterwards;
2. **a task worker killed mid-import** of a 300,000-row file: no partial journeys; once its
   lease runs out the other worker takes the import up and completes it; importing the same
   file again adds nothing;
3. **the replica stopped** under load: reads fall back to the primary, no request fails;
4. **PostgreSQL's primary restarted** under load: the app servers reconnect by themselves
   (same processes, answering again), and no confirmed write is lost.

    make faults                       # all four; exit status 1 if any outcome is wrong
    .venv/bin/python bench/faults.py replica-stopped

The embedded SQLite default's full disk and locked database are tested by `make test`
(tests/core/test_views_errors.py). Start the cluster first (`make cluster`).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cluster
import load

ROOT = Path(__file__).resolve().parents[1]
FOLDER = cluster.HOME / "faults"
USERS = 40
SECONDS = 40
FAULT_AFTER = 12  # seconds into the load
IMPORT_JOURNEYS = 60_000
IMPORT_STEPS = 5  # 300,000 rows


class Load:
    """Locust in the background, writing its figures and confirmed writes under `name`."""

    def __init__(self, name: str) -> None:
        self.folder = FOLDER / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.writes = self.folder / "writes.jsonl"
        env = load.locust_env(load.prepare(USERS), self.writes)
        env["INNOHUB_LOAD_PACE"] = "stress"  # many requests in flight when the fault comes
        command = load.locust_command(
            users=USERS, spawn_rate=20, duration=f"{SECONDS}s", stats=self.folder / "stats",
            log_level="ERROR",
        )  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.started = time.monotonic()

    def wait_until(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds - (time.monotonic() - self.started)))

    def finish(self) -> dict[str, Any]:
        self.process.wait(timeout=SECONDS + 120)
        stats = list(csv.DictReader((self.folder / "stats_stats.csv").open()))
        total = next(row for row in stats if row["Name"] == "Aggregated")
        failures = [
            {"method": row["Method"], "name": row["Name"], "error": row["Error"],
             "count": int(row["Occurrences"])}
            for row in csv.DictReader((self.folder / "stats_failures.csv").open())
        ]  # fmt: skip
        check = json.loads(load.shell(load.CHECK.format(writes=str(self.writes))))
        return {
            "requests": int(total["Request Count"]),
            "failed": int(total["Failure Count"]),
            "failures": failures,
            "confirmed": check["confirmed"],
            "lost": sum(len(items) for items in check["lost"].values()),
            "lost_detail": check["lost"],
        }


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def outcome(name: str, passed: bool, **figures: Any) -> dict[str, Any]:
    print(f"{'PASS' if passed else 'FAIL'}  {name}: {json.dumps(figures, default=str)}", flush=True)
    return {"fault": name, "passed": passed, **figures}


# --- 1. An app server killed --------------------------------------------------------------------


def app_server_killed() -> dict[str, Any]:
    running = Load("app-server-killed")
    running.wait_until(FAULT_AFTER)
    master = cluster.pid_of("app1")
    assert master, "app1 is not running"
    os.killpg(os.getpgid(master), signal.SIGKILL)  # the master and its workers, at once
    (cluster.RUN / "app1.pid").unlink(missing_ok=True)
    figures = running.finish()
    cluster.start_app(1)
    # Only writes that were in flight on the dead server may fail (nginx never repeats a
    # POST it had sent); reads go to the other server. At most one a gunicorn worker.
    in_flight = int(os.environ.get("CLUSTER_APP_WORKERS", "3"))
    reads_failed = [f for f in figures["failures"] if f["method"] in ("GET", "HEAD")]
    passed = figures["lost"] == 0 and not reads_failed and figures["failed"] <= in_flight
    return outcome("an app server killed under load", passed, **_brief(figures))


# --- 2. A task worker killed mid-import -------------------------------------------------------------

IMPORT_STATE = """
import json
from innohub.services.models import Journey, JourneyImport, JourneyStep
job = JourneyImport.objects.get(pk={pk})
print(json.dumps({{
    "status": job.status, "rows_done": job.rows_done, "attempts": job.attempts,
    "result": job.result,
    "journeys": Journey.objects.filter(ref__startswith={prefix!r}).count(),
    "steps": JourneyStep.objects.filter(journey__ref__startswith={prefix!r}).count(),
}}))
"""

QUEUE = """
from innohub.accounts.models import User
from innohub.services.tasks import queue_journey_import
by, _ = User.objects.get_or_create(username="load-importer")
with open({path!r}, "rb") as source:
    print(queue_journey_import(by=by, source=source, file_name="faults.csv").pk)
"""


def _import_file(prefix: str) -> Path:
    setup = json.loads(load.prepare(1).read_text())
    service, area = setup["services"][0], setup["areas"][0]
    path = FOLDER / "import.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        out.write(",".join(setup["import_columns"]) + "\n")
        for journey in range(IMPORT_JOURNEYS):
            for step in range(IMPORT_STEPS):
                out.write(
                    f"{prefix}{journey},{service},{area},2026-11-01,secret_shopper,none,,"
                    f"S{step},Land office,1,1.5,2,100,20,0,1\n"
                )
    return path


def _import_state(pk: int, prefix: str) -> dict[str, Any]:
    return json.loads(load.shell(IMPORT_STATE.format(pk=pk, prefix=prefix)))


def _wait_for(
    pk: int, prefix: str, done: Callable[[dict[str, Any]], bool], seconds: float
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        state = _import_state(pk, prefix)
        if done(state) or time.monotonic() > deadline:
            return state
        time.sleep(1)


def worker_killed_mid_import() -> dict[str, Any]:
    prefix = f"fault-{int(time.time())}-"
    path = _import_file(prefix)
    pk = int(load.shell(QUEUE.format(path=str(path))))
    running = _wait_for(pk, prefix, lambda s: s["status"] == "running" and s["rows_done"] > 0, 120)
    # Every worker killed: the one importing and the other, which would take it up at once.
    for number in range(1, cluster.WORKERS + 1):
        cluster.stop_pid(f"worker{number}", signal.SIGKILL, wait=0)
    killed = _import_state(pk, prefix)
    partial = killed["journeys"] not in (0, IMPORT_JOURNEYS)
    for number in range(1, cluster.WORKERS + 1):
        cluster.start_worker(number)
    ended = _wait_for(pk, prefix, lambda s: s["status"] in ("done", "failed"), 900)
    # The same file again: every journey is already there.
    again = int(load.shell(QUEUE.format(path=str(path))))
    second = _wait_for(again, prefix, lambda s: s["status"] in ("done", "failed"), 900)
    passed = (
        not partial
        and ended["status"] == "done"
        and (ended["journeys"], ended["steps"]) == (IMPORT_JOURNEYS, IMPORT_JOURNEYS * IMPORT_STEPS)
        and second["status"] == "done"
        and second["result"] == {"created": 0, "skipped_duplicates": IMPORT_JOURNEYS}
        and (second["journeys"], second["steps"]) == (ended["journeys"], ended["steps"])
    )
    return outcome(
        "a task worker killed mid-import of 300,000 rows", passed,
        killed_at_row=running["rows_done"], journeys_when_killed=killed["journeys"],
        attempts=ended["attempts"], journeys=ended["journeys"], steps=ended["steps"],
        again=second["result"],
    )  # fmt: skip


# --- 3. The replica stopped -------------------------------------------------------------------------


def replica_stopped() -> dict[str, Any]:
    running = Load("replica-stopped")
    running.wait_until(FAULT_AFTER)
    cluster.as_postgres(
        str(cluster.pg_bin() / "pg_ctl"), "-D", str(cluster.REPLICA.data), "-m", "immediate",
        "-w", "stop",
    )  # fmt: skip
    figures = running.finish()
    health = json.loads(urllib.request.urlopen(f"{cluster.PROXY}/healthz", timeout=10).read())
    cluster.REPLICA.start()
    passed = figures["failed"] == 0 and figures["lost"] == 0
    return outcome(
        "the replica stopped under load", passed, **_brief(figures),
        health_during=[(r["name"], r["status"]) for r in health["replicas"]],
    )  # fmt: skip


# --- 4. PostgreSQL restarted ------------------------------------------------------------------------


def primary_restarted() -> dict[str, Any]:
    pids = {name: cluster.pid_of(name) for name in ("app1", "app2")}
    running = Load("primary-restarted")
    running.wait_until(FAULT_AFTER)
    started = time.monotonic()
    cluster.PRIMARY.restart()
    restart_seconds = time.monotonic() - started
    running.wait_until(FAULT_AFTER + 8)
    # The same app server processes answer again, reading and writing.
    reconnected = all(
        answers(f"http://127.0.0.1:{port}/healthz") for port in cluster.APP_PORTS
    ) and pids == {name: cluster.pid_of(name) for name in ("app1", "app2")}
    figures = running.finish()
    after = [answers(f"{cluster.PROXY}/healthz") for _ in range(20)]
    passed = reconnected and all(after) and figures["lost"] == 0
    return outcome(
        "PostgreSQL's primary restarted under load", passed, **_brief(figures),
        restart_seconds=round(restart_seconds, 1),
        failed_during_restart=figures["failed"], answered_after=f"{sum(after)}/20",
    )  # fmt: skip


def _brief(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "requests": figures["requests"],
        "failed": figures["failed"],
        "failures": [
            f"{f['method']} {f['name']}: {f['error'][:80]} x{f['count']}"
            for f in figures["failures"]
        ],
        "confirmed_writes": figures["confirmed"],
        "lost_writes": figures["lost"],
    }


FAULTS: dict[str, Callable[[], dict[str, Any]]] = {
    "app-server-killed": app_server_killed,
    "worker-killed-mid-import": worker_killed_mid_import,
    "replica-stopped": replica_stopped,
    "primary-restarted": primary_restarted,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("faults", nargs="*", help=f"some of: {', '.join(FAULTS)} (default: all)")
    args = parser.parse_args()
    if unknown := [name for name in args.faults if name not in FAULTS]:
        parser.error(f"unknown faults: {', '.join(unknown)}")
    args.faults = args.faults or list(FAULTS)
    if not answers(f"{cluster.PROXY}/healthz/live"):
        sys.exit("The cluster does not answer: make cluster first.")
    if not load.LOCUST.exists():
        sys.exit("Locust is missing: make faults installs it (pip install -e '.[load]').")
    FOLDER.mkdir(parents=True, exist_ok=True)
    results = [FAULTS[name]() for name in args.faults]
    (FOLDER / "results.json").write_text(json.dumps(results, indent=2, default=str))
    failed = [result["fault"] for result in results if not result["passed"]]
    print(f"\n{len(results) - len(failed)} of {len(results)} faults ended as they should.")
    if failed:
        sys.exit(f"Wrong outcome: {', '.join(failed)}")


if __name__ == "__main__":
    main()
