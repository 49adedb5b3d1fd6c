"""Benchmark: exporting 1,000,000 journey step rows by the task worker, and its memory.

    make bench-export                                    # SQLite (a scratch file in var/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innohub_bench make bench-export
                                                 # SQLite, then PostgreSQL (a scratch database:
                                                 # its name must contain "bench")

    .venv/bin/python bench/export_journeys.py [--rows N]

Fills the database once with the import benchmark's generated file (kept in `var/` for the
next run), then, in a fresh process each (so that the figure is the export's own), runs:
  - the worker's export (`run_journey_export`, CSV then XLSX): rows/s and the process's peak
    memory (max RSS) — the target is under 256 MiB whatever the size;
  - the in-request export of 100,000 rows (the most a request builds): seconds and memory.
Checks that each file has as many rows as the database has steps.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innohub.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-export.sqlite3'}"
elif "bench" not in os.environ["DATABASE_URL"].rsplit("/", 1)[-1]:
    sys.exit("Give a scratch database whose name contains 'bench' (it deletes all journeys).")

# One export in a fresh interpreter: prints {"rows", "seconds", "max_rss_mib", "bytes"}.
CHILD = """
import json, os, resource, sys, time
import django
django.setup()
from django.conf import settings
from innohub.accounts.models import User
from innohub.services import exporter, tasks
from innohub.services.models import JourneyExport

fmt, mode = sys.argv[1], sys.argv[2]
user = User.objects.get(username="bench-import")
started = time.perf_counter()
if mode == "worker":
    job = tasks.queue_journey_export(by=user, fmt=fmt, service=None, area=None, rows=0)
    assert tasks.run_journey_export.call(job.pk) == "done"
    job.refresh_from_db()
    rows, size = job.rows_done, os.path.getsize(job.file_path)
    os.unlink(job.file_path)
    job.delete()
else:
    journeys = exporter.journeys_to_export()
    # About 100,000 steps: 20,000 journeys of 5 on average (all of a smaller database).
    last = list(journeys.order_by("pk").values_list("pk", flat=True)[20_000:20_001])
    if last:
        journeys = journeys.filter(pk__lte=last[0])
    rows = exporter.count_rows(journeys)
    file = exporter.built_file(journeys, fmt)
    file.seek(0, 2)
    size = file.tell()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": rows, "seconds": seconds, "max_rss_mib": peak, "bytes": size}))
"""


def fill(rows: int) -> int:
    """Import the import benchmark's file once; answers the steps in the database."""
    import django

    django.setup()
    from django.core.management import call_command

    from innohub.services.importer import import_journeys
    from innohub.services.models import JourneyStep

    call_command("migrate", verbosity=0)
    steps = JourneyStep.objects.count()
    if steps == rows:
        return steps
    sys.path.insert(0, str(ROOT / "bench"))
    from import_journeys import VAR, clear, generate, setup  # type: ignore[import-not-found]

    user, services, codes = setup()
    clear()
    path = VAR / f"bench-journeys-{rows}.csv"  # the import benchmark's file, shared
    if not path.exists():
        generate(path, rows, services, codes)
    started = time.perf_counter()
    with path.open("rb") as source:
        result = import_journeys(source=source, by=user, file_name=path.name)
    assert result.ok, result.errors[:3]
    print(f"filled: {result.created:,} journeys in {time.perf_counter() - started:.0f} s")
    return JourneyStep.objects.count()


def measure(fmt: str, mode: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, fmt, mode],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    engine = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    steps = fill(args.rows)
    print(f"{engine}: {steps:,} step rows in the database")
    for fmt, mode in (("csv", "worker"), ("xlsx", "worker"), ("csv", "request")):
        figures = measure(fmt, mode)
        if mode == "worker":
            assert figures["rows"] == steps, (figures["rows"], steps)
        label = f"{fmt} by the worker" if mode == "worker" else f"{fmt} in a request"
        print(
            f"  {label:<20} {figures['rows']:>9,.0f} rows  {figures['seconds']:6.1f} s  "
            f"{figures['rows'] / figures['seconds']:>8,.0f} rows/s  "
            f"{figures['bytes'] / 2**20:6.1f} MiB file  peak memory {figures['max_rss_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()
