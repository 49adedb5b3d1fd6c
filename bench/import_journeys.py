"""Benchmark: importing 1,000,000 journey step rows (~200,000 journeys) from CSV.

    make bench-import                                     # SQLite (a scratch file in var/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innohub_bench make bench-import
                                                  # SQLite, then PostgreSQL (a scratch database:
                                                  # its name must contain "bench")

    .venv/bin/python bench/import_journeys.py [--rows N] [--sample N]

Generates the CSV into `var/` (once; kept for the next run), then, on the same data in the
same run, measures rows/s of:
  - importer: `innohub.services.importer.import_journeys` (what the app runs: a streamed check
    pass, then `COPY` or `executemany` in batches in one transaction; ADR 0010);
  - baseline: what a first version would do, each row validated (`full_clean`) and saved
    through the ORM in its own transaction, on the first `--sample` rows (20,000 by default:
    the full file would take too long) — rows/s is a rate, so the ratio stays fair;
  - floor: the same rows with no checks at all, `executemany` (SQLite) or `COPY`
    (PostgreSQL) straight into the tables.
Prints the ratios and the process's peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innohub.settings")
if not os.environ.get("DATABASE_URL"):
    scratch = ROOT / "var" / "bench-import.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"

elif "bench" not in os.environ["DATABASE_URL"].rsplit("/", 1)[-1]:
    # The benchmark deletes every journey of the database it runs on.
    sys.exit("Give a scratch database whose name contains 'bench' (it deletes all journeys).")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from innohub.accounts.models import User  # noqa: E402
from innohub.geo.models import Area, Level  # noqa: E402
from innohub.orgs.models import Organisation  # noqa: E402
from innohub.services.importer import ALL_COLUMNS, import_journeys  # noqa: E402
from innohub.services.models import (  # noqa: E402
    Journey,
    JourneyStep,
    PainPoint,
    Service,
)

VAR = ROOT / "var"
SERVICES, AREAS = 20, 64
TITLES = ("Apply", "Submit documents", "Pay the fee", "Hearing", "Collect the certificate")
OFFICES = ("Union Digital Centre", "AC Land office", "Upazila office", "District office")


def setup() -> tuple[User, list[int], list[str]]:
    call_command("migrate", verbosity=0)
    clear()
    user, _ = User.objects.get_or_create(username="bench-import")
    country, _ = Area.objects.get_or_create(
        code="BX", defaults={"name": "Benchland", "level": Level.COUNTRY}
    )
    codes = []
    for n in range(AREAS):
        code = f"BX-{n:02d}"
        Area.objects.get_or_create(
            code=code, defaults={"name": code, "level": Level.DIVISION, "parent": country}
        )
        codes.append(code)
    ministry, _ = Organisation.objects.get_or_create(
        name="Bench ministry", kind="ministry", defaults={"area": country}
    )
    services = []
    for n in range(SERVICES):
        service, _ = Service.objects.get_or_create(name=f"Bench service {n}", organisation=ministry)
        services.append(service.pk)
    return user, services, codes


def generate(path: Path, rows: int, services: list[int], codes: list[str]) -> int:
    """One row per step, 1 to 9 steps a journey (5 on average); deterministic."""
    rng = random.Random(42)
    start = date(2024, 1, 1)
    written, journey = 0, 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ALL_COLUMNS)
        while written < rows:
            journey += 1
            steps = min(rng.randint(1, 9), rows - written)
            head = [
                f"B-{journey}",
                services[journey % len(services)],
                codes[journey % len(codes)],
                (start + timedelta(days=journey % 600)).isoformat(),
                ("secret_shopper", "citizen_interview", "administrative_record")[journey % 3],
                "none",
                "",
            ]
            for step in range(steps):
                pain = rng.random() < 0.1
                writer.writerow(
                    [
                        *head,
                        TITLES[step % len(TITLES)],
                        OFFICES[rng.randrange(len(OFFICES))],
                        rng.randint(0, 5),
                        f"{rng.randint(0, 3000) / 100:.2f}",
                        f"{rng.randint(0, 800) / 100:.2f}",
                        rng.choice(("0", "50", "100.00", "1150.50")),
                        f"{rng.randint(0, 50000) / 100:.2f}",
                        "0",
                        rng.randint(0, 3),
                        "citizen",
                        "waiting" if pain else "",
                        "Waited all day" if pain else "",
                    ]
                )
            written += steps
    return journey


def sample(source: Path, target: Path, rows: int) -> None:
    """The first `rows` rows, cut at a journey boundary."""
    with (
        source.open(encoding="utf-8", newline="") as handle,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader, writer = csv.reader(handle), csv.writer(out)
        writer.writerow(next(reader))
        last_ref, count = None, 0
        for row in reader:
            if count >= rows and row[0] != last_ref:
                break
            writer.writerow(row)
            last_ref, count = row[0], count + 1


def clear() -> None:
    """Empty the journey tables with plain DELETEs (the ORM's delete would load every row
    to write its history); on PostgreSQL with TRUNCATE and a CHECKPOINT, so that no run pays
    for the previous one's dead rows (autovacuum) or dirty pages."""
    tables = [m._meta.db_table for m in (PainPoint, JourneyStep, Journey, Journey.history.model)]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
    if connection.vendor == "postgresql":
        # CHECKPOINT needs a superuser (or pg_checkpoint on 15+); without, runs are noisier.
        with connection.cursor() as cursor, contextlib.suppress(DatabaseError):
            cursor.execute("CHECKPOINT")


def baseline(path: Path, user: User) -> int:
    """The naive importer: each row validated and saved through the ORM in its own
    transaction (its journey looked up or created, then the step)."""
    areas = dict(Area.objects.values_list("code", "pk"))
    rows = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            with transaction.atomic():
                journey = Journey.objects.filter(
                    service_id=row["service"], ref=row["journey_ref"]
                ).first()
                if journey is None:
                    journey = Journey(
                        service_id=int(row["service"]),
                        area_id=areas[row["area"]],
                        observer=user,
                        ref=row["journey_ref"],
                        observed_on=date.fromisoformat(row["observed_on"]),
                        method=row["method"],
                    )
                    journey.full_clean()
                    journey.save()
                position = journey.steps.count()
                step = JourneyStep(
                    journey=journey,
                    position=position,
                    title=row["title"],
                    office=row["office"],
                    actor=row["actor"],
                    documents=int(row["documents"]),
                    elapsed_days=Decimal(row["elapsed_days"]),
                    citizen_hours=Decimal(row["citizen_hours"]),
                    fees=Decimal(row["fees"]),
                    travel_cost=Decimal(row["travel_cost"]),
                    other_cost=Decimal(row["other_cost"]),
                    visits=int(row["visits"]),
                )
                step.full_clean()
                step.save()
                if row["pain_point_category"]:
                    pain = PainPoint(
                        journey_step=step,
                        category=row["pain_point_category"],
                        description=row["pain_point"],
                    )
                    pain.full_clean()
                    pain.save()
            rows += 1
    return rows


FLOOR_BATCH = 50_000


def floor(path: Path, user: User) -> int:
    """The same rows with no checks: ids assigned here, then executemany / COPY, in batches
    (so that this process's peak memory stays the importer's)."""
    areas = dict(Area.objects.values_list("code", "pk"))
    tables = [m._meta.db_table for m in (Journey, JourneyStep, PainPoint)]
    columns = [
        ("id", "created", "modified", "service_id", "area_id", "observer_id", "ref",
         "observed_on", "method", "status", "notes", "tcv_days", "tcv_hours", "tcv_cost",
         "tcv_visits", "tcv_documents"),
        ("id", "journey_id", "position", "title", "office", "actor", "documents",
         "elapsed_days", "citizen_hours", "fees", "travel_cost", "other_cost", "visits"),
        ("journey_step_id", "category", "description"),
    ]  # fmt: skip
    next_journey = (Journey.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_step = (JourneyStep.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    now = timezone.now()
    batches: list[list[tuple]] = [[], [], []]
    rows = 0

    def flush(cursor) -> None:
        for table, names, values in zip(tables, columns, batches, strict=True):
            joined = ", ".join(names)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({joined}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                marks = ", ".join(["%s"] * len(names))
                cursor.executemany(f"INSERT INTO {table} ({joined}) VALUES ({marks})", values)
            values.clear()

    with (
        path.open(encoding="utf-8", newline="") as handle,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        reader = csv.reader(handle)
        next(reader)
        last_ref, position, journey_id = None, 0, 0
        for r in reader:
            rows += 1
            if r[0] != last_ref:
                if len(batches[1]) >= FLOOR_BATCH:
                    flush(cursor)
                last_ref, position, journey_id = r[0], 0, next_journey
                next_journey += 1
                batches[0].append(
                    (journey_id, now, now, int(r[1]), areas[r[2]], user.pk, r[0], r[3], r[4],
                     "final", "", 0, 0, 0, 0, 0)
                )  # fmt: skip
            batches[1].append(
                (next_step, journey_id, position, r[7], r[8], r[16], int(r[9]), r[10], r[11],
                 r[12], r[13], r[14], int(r[15]))
            )  # fmt: skip
            if r[17]:
                batches[2].append((next_step, r[17], r[18]))
            next_step += 1
            position += 1
        flush(cursor)
        if connection.vendor == "postgresql":
            for table in tables[:2]:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
    return rows


def max_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()
    vendor = connection.vendor
    VAR.mkdir(exist_ok=True)
    user, services, codes = setup()

    data = VAR / f"bench-journeys-{args.rows}.csv"
    if not data.exists():
        started = time.perf_counter()
        journeys = generate(data, args.rows, services, codes)
        print(f"generated {args.rows:,} rows ({journeys:,} journeys) into {data.relative_to(ROOT)} "
              f"in {time.perf_counter() - started:.1f}s, {data.stat().st_size / 2**20:.0f} MiB")  # fmt: skip
    small = VAR / f"bench-journeys-sample-{args.sample}.csv"
    sample(data, small, args.sample)

    clear()
    started = time.perf_counter()
    base_rows = baseline(small, user)
    base_s = time.perf_counter() - started
    base_rate = base_rows / base_s
    print(f"[{vendor}] baseline (row by row through the ORM, {base_rows:,}-row sample): "
          f"{base_s:.1f}s, {base_rate:,.0f} rows/s")  # fmt: skip

    clear()
    rss_before = max_rss_mib()
    started = time.perf_counter()
    with data.open("rb") as source:
        result = import_journeys(source=source, by=user, file_name=data.name)
    import_s = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    import_rate = result.rows / import_s
    print(f"[{vendor}] importer: {result.rows:,} rows, {result.created:,} journeys in "
          f"{import_s:.1f}s, {import_rate:,.0f} rows/s; max RSS {max_rss_mib():.0f} MiB "
          f"(before the import {rss_before:.0f} MiB)")  # fmt: skip
    assert JourneyStep.objects.count() == result.rows

    started = time.perf_counter()
    with data.open("rb") as source:
        again = import_journeys(source=source, by=user, file_name=data.name)
    again_s = time.perf_counter() - started
    assert again.ok and again.created == 0 and again.skipped_duplicates == result.created
    print(f"[{vendor}] re-import of the same file (all duplicates, nothing written): "
          f"{again_s:.1f}s, {again.rows / again_s:,.0f} rows/s")  # fmt: skip

    clear()
    started = time.perf_counter()
    floor_rows = floor(data, user)
    floor_s = time.perf_counter() - started
    floor_rate = floor_rows / floor_s
    label = "COPY" if vendor == "postgresql" else "executemany"
    print(f"[{vendor}] floor (raw {label}, no checks): {floor_rows:,} rows in {floor_s:.1f}s, "
          f"{floor_rate:,.0f} rows/s")  # fmt: skip
    clear()

    print(f"[{vendor}] importer / baseline = {import_rate / base_rate:.1f}x "
          f"(target >= 20x); importer / floor = {import_rate / floor_rate:.2f} "
          f"(floor {floor_rate / import_rate:.1f}x faster); importer rows/s "
          f"{'meets' if import_rate >= 20_000 else 'MISSES'} the 20,000 target; "
          f"peak memory {max_rss_mib():.0f} MiB (limit 1024)")  # fmt: skip


if __name__ == "__main__":
    main()
