"""The load test (`make load`): simulated people and programs on the cluster (`make cluster`),
headless Locust (bench/locustfile.py), then a summary by kind of request and a check that
every write the server confirmed is in the database.

    make load                                   # 200 users for 2 minutes, realistic pauses
    .venv/bin/python bench/load.py --users 50 --time 20s --pace stress   # pauses of seconds

The targets (the production issue): 0 errors; p95 < 300 ms for pages. The load test's people
(load-officer-N, load-manager-N, load-api-N) are made on first use; for a2i's figures at 10 times,
start the cluster with `CLUSTER_ARGS="--profile a2i-2019 --scale 10" make cluster` first.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import cluster

ROOT = Path(__file__).resolve().parents[1]
FOLDER = cluster.HOME / "load"
PAGE_TARGET_MS = 300

PREPARE = """
import json
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Count
from innohub.accounts.models import ApiToken, User
from innohub.core import roles
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.services.importer import COLUMNS
from innohub.services.models import Service

password = make_password({password!r})

def person(name, role=None):
    user, made = User.objects.get_or_create(username=name, defaults={{"password": password}})
    if not made and user.password != password:
        user.password = password
        user.save(update_fields=["password"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user

officers = [person(f"load-officer-{{n}}") for n in range({officers})]
managers = [person(f"load-manager-{{n}}", roles.SENIOR_REVIEWER) for n in range({managers})]
tokens = [
    ApiToken.issue(user=person(f"load-api-{{n}}"), name="load test", days=1)[1]
    for n in range({clients})
]
services = list(
    Service.objects.annotate(n=Count("journeys")).filter(n__gt=0).order_by("n", "id")
    .values_list("pk", flat=True)[:40]
)
areas = list(Area.objects.filter(level="district").order_by("code").values_list("code", flat=True)[:40])
ministries = list(
    Organisation.objects.filter(parent__isnull=True, kind="ministry").values_list("pk", flat=True)[:40]
)
print(json.dumps({{
    "officers": [[user.username, {password!r}] for user in officers],
    "managers": [[user.username, {password!r}] for user in managers],
    "tokens": tokens,
    "services": services, "areas": areas, "ministries": ministries,
    "import_columns": list(COLUMNS),
}}))
"""

CHECK = """
import json, sys
from innohub.services.models import Journey, JourneyStatus
journeys, steps, finished, refs = {{}}, {{}}, set(), set()
for line in open({writes!r}):
    write = json.loads(line)
    if write["kind"] == "journey":
        journeys[write["journey"]] = True
    elif write["kind"] == "step":
        steps[write["journey"]] = max(steps.get(write["journey"], 0), write["number"])
    elif write["kind"] == "finished":
        finished.add(write["journey"])
    elif write["kind"] == "import":
        refs.update(write["refs"])
found = {{
    row[0]: row[1:] for row in Journey.objects.filter(pk__in=list(journeys))
    .values_list("pk", "status").iterator()
}}
from django.db.models import Count
counted = dict(
    Journey.objects.filter(pk__in=list(steps)).annotate(n=Count("steps")).values_list("pk", "n")
)
imported = set(Journey.objects.filter(ref__in=list(refs)).values_list("ref", flat=True))
lost = {{
    "journeys": sorted(set(journeys) - set(found)),
    "steps": sorted(pk for pk, n in steps.items() if counted.get(pk, 0) < n),
    "finished": sorted(pk for pk in finished if found.get(pk, [None])[0] != JourneyStatus.FINAL),
    "imported": sorted(refs - imported),
}}
print(json.dumps({{
    "confirmed": {{"journeys": len(journeys), "steps": sum(steps.values()),
                  "finished": len(finished), "imported": len(refs)}},
    "lost": lost,
}}))
"""


def shell(code: str) -> str:
    return cluster.manage("shell", "-v", "0", "-c", code).strip().splitlines()[-1]


def prepare(users: int) -> Path:
    officers, managers, clients = (
        max(1, users * 6 // 10),
        max(1, users * 3 // 10),
        max(1, users // 10),
    )
    setup = shell(
        PREPARE.format(
            password="load-test-2026", officers=officers, managers=managers, clients=clients
        )
    )
    path = FOLDER / "setup.json"
    path.write_text(setup)
    return path


LOCUST = ROOT / ".venv" / "bin" / "locust"


def locust_env(setup: Path, writes: Path, failures: Path | None = None) -> dict[str, str]:
    """The locustfile's environment: its people and places, and the (emptied) files where it
    records confirmed writes and failed requests."""
    if not LOCUST.exists():
        sys.exit("Locust is missing: make load installs it (pip install -e '.[load]').")
    env = {**os.environ, "INNOHUB_LOAD_SETUP": str(setup), "INNOHUB_LOAD_WRITES": str(writes)}
    writes.write_text("")
    if failures is not None:
        failures.write_text("")
        env["INNOHUB_LOAD_FAILURES"] = str(failures)
    return env


def locust_command(
    *, users: int, spawn_rate: int, duration: str, stats: Path, log_level: str,
    extra: tuple[str, ...] = (),
) -> list[str]:  # fmt: skip
    """Headless Locust on bench/locustfile.py against the cluster, its figures in `stats`*."""
    return [
        str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", duration,
        "--host", cluster.PROXY, "--csv", str(stats), "--only-summary",
        "--loglevel", log_level, "--exit-code-on-error", "0", *extra,
    ]  # fmt: skip


def run(
    users: int, spawn_rate: int, duration: str, *, count_ramp: bool = False
) -> dict[str, dict[str, float]]:
    FOLDER.mkdir(parents=True, exist_ok=True)
    setup = prepare(users)
    writes, failures = FOLDER / "writes.jsonl", FOLDER / "failures.jsonl"
    env = locust_env(setup, writes, failures)
    pace = os.environ.get("INNOHUB_LOAD_PACE", "realistic")
    print(f"load: {users} users for {duration} on {cluster.PROXY}, {pace} pace", flush=True)
    command = locust_command(
        users=users, spawn_rate=spawn_rate, duration=duration, stats=FOLDER / "stats",
        log_level="WARNING",
        # The figures of the steady state: counted once every person has started (the
        # ramp's sign-ins, all at once, are not a load people make).
        extra=() if count_ramp else ("--reset-stats",),
    )  # fmt: skip
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    if not count_ramp:
        print("(requests counted from when every person had started; errors: the whole run)")
    return summary(FOLDER / "stats_stats.csv", writes, failures)


def summary(stats: Path, writes: Path, failures: Path) -> dict[str, dict[str, float]]:
    rows = list(csv.DictReader(stats.open()))
    by_name: dict[str, dict[str, float]] = {}
    print(
        f"\n{'request':40} {'count':>7} {'errors':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    for row in rows:
        figures = {
            "count": float(row["Request Count"]),
            "errors": float(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"] or 0),
            "p95": float(row["95%"] or 0),
            "p99": float(row["99%"] or 0),
        }
        name = row["Name"]
        by_name[name] = figures
        print(
            f"{name[:40]:40} {figures['count']:7.0f} {figures['errors']:6.0f} "
            f"{figures['rps']:6.1f} {figures['p50']:6.0f} {figures['p95']:6.0f} "
            f"{figures['p99']:6.0f}"
        )
    pages = {
        name: figures for name, figures in by_name.items()
        if name != "Aggregated" and not name.startswith("api:")
    }  # fmt: skip
    slow = sorted(name for name, figures in pages.items() if figures["p95"] >= PAGE_TARGET_MS)
    errors = len(failures.read_text().splitlines())  # the whole run, the ramp included
    check = json.loads(shell(CHECK.format(writes=str(writes))))
    lost = sum(len(items) for items in check["lost"].values())
    print(
        f"\nerrors over the whole run: {errors}; pages with p95 >= {PAGE_TARGET_MS} ms: {slow or 'none'}; "
        f"confirmed writes {check['confirmed']}, lost: {lost} {check['lost'] if lost else ''}"
    )
    if errors or lost:
        sys.exit("load: requests failed or confirmed writes were lost")
    return by_name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=5, help="people starting a second")
    parser.add_argument("--time", default="2m")
    parser.add_argument(
        "--pace",
        choices=["realistic", "stress"],
        default="realistic",
        help="people's pauses between requests (bench/locustfile.py, PACES)",
    )
    parser.add_argument(
        "--count-ramp",
        action="store_true",
        help="count the requests made while people are still starting (default: from when all have)",
    )
    args = parser.parse_args()
    os.environ["INNOHUB_LOAD_PACE"] = args.pace
    run(args.users, args.spawn_rate, args.time, count_ramp=args.count_ramp)


if __name__ == "__main__":
    main()
