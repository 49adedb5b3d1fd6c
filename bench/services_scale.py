"""Benchmark: a service with 120,000 journeys against one with 50, on SQLite and PostgreSQL.

    make bench-services                    # SQLite, and PostgreSQL when one answers
    .venv/bin/python bench/services_scale.py [--journeys 120000] [--requests 20]
        [--postgres postgres://postgres@127.0.0.1:5432/innohub_bench]   # "" for SQLite alone

Fills each database once through the product's own import (kept for the next run): one
service of `--journeys` journeys (about 5 steps each) spread over 12 divisions, one of 50, and
other services' journeys up to about 1,000,000 steps in all. Then starts gunicorn with two
workers (bench/bench_settings.py: the product plus a 2-byte signed-in view, the floor) and asks
each page `--requests` times, one after another, signed in: medians in milliseconds, against
the floor's median at scale (x floor) and against the same page at 50 journeys (x 50).

"cold" rows bump the service's journeys version before each request, as a journey write does:
the distribution is then computed in the database, not read from the cache.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import serving

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
SQLITE_URL = f"sqlite:///{VAR / 'bench-services.sqlite3'}"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/innohub_bench"
LARGE, SMALL = "Bench scale: large", "Bench scale: small"
DIVISIONS = 12
TOTAL_STEPS = 1_000_000
PAGE_DEEP = 2_000  # ?page=2000&page_size=50: 100,000 rows deep, the most `page` reaches


# --- Filling (in the child process, one per database) ----------------------------------------


def _rows_of(writer, rng, *, ref: str, service: int, code: str, day: date, steps: int) -> None:
    head = [ref, service, code, day.isoformat(), "secret_shopper", "none", ""]
    for step in range(steps):
        writer.writerow(
            [
                *head,
                f"Step {step}",
                "Upazila office",
                rng.randint(0, 5),
                f"{rng.randint(0, 3000) / 100:.2f}",
                f"{rng.randint(0, 800) / 100:.2f}",
                rng.choice(("0", "50", "100.00", "1150.50")),
                f"{rng.randint(0, 50000) / 100:.2f}",
                "0",
                rng.randint(0, 3),
                "citizen",
                "",
                "",
            ]
        )


def fill(journeys: int, total_steps: int) -> dict[str, object]:
    """The bench data, through the product's import; answers ids and counts."""
    from django.core.management import call_command
    from django.db import connection

    from innohub.accounts.models import User
    from innohub.geo.models import Area, Level
    from innohub.orgs.models import Organisation
    from innohub.services.importer import ALL_COLUMNS, import_journeys
    from innohub.services.models import Journey, JourneyStep, Service

    call_command("migrate", verbosity=0)
    country, _ = Area.objects.get_or_create(
        code="BS",
        defaults={
            "name": "Benchland",
            "level": Level.COUNTRY,
            "hourly_wage": "50.00",
            "wage_currency": "BDT",
        },
    )
    codes = []
    for n in range(DIVISIONS):
        wage = {"hourly_wage": f"{60 + n}.25", "wage_currency": "BDT"} if n % 2 else {}
        Area.objects.get_or_create(
            code=f"BS-{n:02d}",
            defaults={"name": f"Division {n}", "level": Level.DIVISION, "parent": country, **wage},
        )
        codes.append(f"BS-{n:02d}")
    ministry, _ = Organisation.objects.get_or_create(
        name="Bench scale ministry", kind="ministry", defaults={"area": country}
    )
    large, _ = Service.objects.get_or_create(name=LARGE, organisation=ministry)
    small, _ = Service.objects.get_or_create(name=SMALL, organisation=ministry)
    others = [
        Service.objects.get_or_create(name=f"Bench scale: other {n}", organisation=ministry)[0]
        for n in range(8)
    ]
    user, _ = User.objects.get_or_create(username="bench-services")
    if (
        Journey.objects.filter(service=large).count(),
        _steps_band(JourneyStep.objects.count()),
    ) != (
        journeys,
        _steps_band(total_steps),
    ):
        Journey.objects.all().delete() if Journey.objects.count() < 1000 else _truncate()
        path = VAR / f"bench-services-{journeys}.csv"
        rng = random.Random(13)
        start = date(2023, 1, 1)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(ALL_COLUMNS)
            steps = 0
            for n in range(journeys):
                count = rng.randint(1, 9)
                _rows_of(
                    writer,
                    rng,
                    ref=f"L-{n}",
                    service=large.pk,
                    code=codes[n % DIVISIONS],
                    day=start + timedelta(days=n % 1000),
                    steps=count,
                )
                steps += count
            for n in range(50):
                _rows_of(
                    writer,
                    rng,
                    ref=f"S-{n}",
                    service=small.pk,
                    code=codes[n % DIVISIONS],
                    day=start + timedelta(days=n),
                    steps=rng.randint(1, 9),
                )
            n = 0
            while steps < total_steps:
                count = rng.randint(1, 9)
                _rows_of(
                    writer,
                    rng,
                    ref=f"O-{n}",
                    service=others[n % len(others)].pk,
                    code=codes[n % DIVISIONS],
                    day=start + timedelta(days=n % 1000),
                    steps=count,
                )
                steps, n = steps + count, n + 1
        started = time.perf_counter()
        with path.open("rb") as source:
            result = import_journeys(source=source, by=user, file_name=path.name)
        assert result.ok, result.errors[:3]
        path.unlink()
        print(f"  filled: {result.created:,} journeys in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "large": large.pk,
        "small": small.pk,
        "area": codes[0],
        "journeys": Journey.objects.filter(service=large).count(),
        "steps": JourneyStep.objects.count(),
    }


def _steps_band(steps: int) -> int:
    """Steps to the nearest 10,000 (filling stops within a journey of the number asked)."""
    return round(steps, -4)


def _truncate() -> None:
    from django.db import connection, transaction

    from innohub.services.models import Journey, JourneyImport, JourneyStep, PainPoint

    models = (PainPoint, JourneyStep, Journey, Journey.history.model, JourneyImport)
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")


# --- Measuring --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench_settings"}
    return serving.gunicorn(env, port, "--pythonpath", str(ROOT / "bench"))


def measure(url: str, *, requests: int, data: dict[str, object]) -> dict[str, dict[str, float]]:
    """Median milliseconds of each page, at 50 journeys and at scale."""
    from django.test import Client

    from innohub.accounts.models import ApiToken, User
    from innohub.services import totals

    user = User.objects.get(username="bench-services")
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    ApiToken.objects.filter(user=user).delete()
    _, secret = ApiToken.issue(user=user)
    port = _free_port()
    server = _server(url, port)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    headers = {"Cookie": f"sessionid={session}", "Authorization": f"Bearer {secret}"}

    def timed(path: str, before=None) -> float:
        times = []
        for attempt in range(requests + 1):
            if before is not None:
                before()
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
            started = time.perf_counter()
            with opener.open(request, timeout=300) as response:
                response.read()
                assert response.status == 200, (path, response.status)
            if attempt:  # the first warms the worker up
                times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    area = data["area"]
    pages = {
        "floor (2-byte signed-in view)": lambda s: "/bench-floor/",
        "service page": lambda s: f"/services/{s}/",
        "service page, cold": lambda s: f"/services/{s}/",
        "GET /services/{id}/tcv": lambda s: f"/api/v1/services/{s}/tcv",
        "GET /services/{id}/tcv, cold": lambda s: f"/api/v1/services/{s}/tcv",
        "  the same, ?area= (1/12)": lambda s: f"/api/v1/services/{s}/tcv?area={area}",
        "  the same, ?area=, cold": lambda s: f"/api/v1/services/{s}/tcv?area={area}",
        "GET /journeys?service=…": lambda s: f"/api/v1/journeys?service={s}&page_size=50",
        "  the same, page 2,000": lambda s: (
            f"/api/v1/journeys?service={s}&page_size=50&page={PAGE_DEEP if s == data['large'] else 1}"
        ),
        "catalogue /services/": lambda s: "/services/",
    }
    results: dict[str, dict[str, float]] = {}
    try:
        for name, path_of in pages.items():
            results[name] = {}
            for size in ("small", "large"):
                service = data[size]
                bump = (lambda pk=service: totals.bump(pk)) if "cold" in name else None
                results[name][size] = timed(path_of(service), bump)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results


def child(url: str, journeys: int, steps: int, requests: int) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innohub.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    data = fill(journeys, steps)
    results = measure(url, requests=requests, data=data)
    print("RESULT " + json.dumps({"data": data, "results": results}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--journeys", type=int, default=120_000)
    parser.add_argument("--steps", type=int, default=TOTAL_STEPS, help="in the database")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.journeys, args.steps, args.requests)
        return
    figures = serving.on_each_database(
        __file__,
        [
            "--journeys",
            str(args.journeys),
            "--steps",
            str(args.steps),
            "--requests",
            str(args.requests),
        ],
        sqlite_url=SQLITE_URL,
        postgres_url=args.postgres,
    )
    report(figures, requests=args.requests)


def report(figures: dict[str, dict], *, requests: int) -> None:
    first = next(iter(figures.values()))["data"]
    print(
        f"\nMedians of {requests} requests (ms), gunicorn with 2 workers; "
        f"{first['journeys']:,} journeys at scale, {first['steps']:,} steps in the database."
    )
    head = f"{'':34}"
    for engine in figures:
        head += f" | {engine:^36}"
    print(head)
    sub = f"{'':34}" + f" | {'at 50':>8} {'at scale':>9} {'x floor':>8} {'x 50':>7}" * len(figures)
    print(sub)
    names = list(next(iter(figures.values()))["results"])
    for name in names:
        line = f"{name:34}"
        for data in figures.values():
            results = data["results"]
            floor = results["floor (2-byte signed-in view)"]["large"]
            small, large = results[name]["small"], results[name]["large"]
            line += f" | {small:8.1f} {large:9.1f} {large / floor:7.1f}x {large / small:6.1f}x"
        print(line)


if __name__ == "__main__":
    main()
