"""Benchmark: the national figures at a2i's size and at 100 times it, on SQLite and PostgreSQL.

    make bench-dashboard                   # scales 1 and 100; SQLite, and PostgreSQL when one answers
    .venv/bin/python bench/dashboard.py [--scales 1,100] [--requests 30]
        [--postgres postgres://postgres@127.0.0.1:5432/innohub_bench_dashboard]  # "" for SQLite

For each database and scale: a new database, `seed_demo --profile a2i-2019 --scale N` timed
(the target: 100x in under 10 minutes), then gunicorn with two workers (bench/bench_settings.py:
the product plus a 2-byte signed-in view, the floor) asked each page `--requests` times, one
after another, signed in — median and p95 in milliseconds, beside the floor of the same run,
and at 100x against 1x (the targets: p95 < 100 ms at 100x, at most 1.5x the 1x figure). The
open data is downloaded once through gunicorn (seconds), and written once by a process of
its own whose peak memory is read (the targets: a million journeys in < 60 s, < 256 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import serving

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/innohub_bench_dashboard"


def sqlite_url(scale: int) -> str:
    return f"sqlite:///{VAR / f'bench-dashboard-x{scale}.sqlite3'}"


def _fresh(url: str) -> None:
    """An empty database at `url` (the profile refuses one with pilots)."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)


def _manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr[-4000:])
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


OPEN_DATA = """
import os, resource, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innohub.settings")
import django
django.setup()
from innohub.insights import open_data
started = time.perf_counter()
size = 0
for part in open_data.package():
    size += len(part)
seconds = time.perf_counter() - started
print(seconds, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def open_data_alone(url: str) -> dict[str, float]:
    """The package written by a process of its own: seconds, MB written, peak MiB."""
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-c", OPEN_DATA.format(root=str(ROOT))],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds, size, rss = done.stdout.split()[-3:]
    return {"seconds": float(seconds), "mb": int(size) / 1e6, "peak_mib": int(rss) / 1024}


def measure(url: str, *, requests: int) -> dict[str, object]:
    from django.db.models import Count
    from django.test import Client

    from innohub.accounts.models import ApiToken, User
    from innohub.orgs.models import Organisation
    from innohub.services.models import Journey, Service

    user, _ = User.objects.get_or_create(username="bench-dashboard")
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    _, secret = ApiToken.issue(user=user)
    ministry = Organisation.objects.get(name="Ministry of Land")
    busiest = Journey.objects.values("service").annotate(n=Count("id")).order_by("-n").first() or {}
    service = Service.objects.get(pk=busiest["service"])
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench_settings"}
    server = serving.gunicorn(env, port, "--pythonpath", str(ROOT / "bench"))
    headers = {"Cookie": f"sessionid={session}", "Authorization": f"Bearer {secret}"}

    def ask(path: str) -> float:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            while response.read(1 << 16):
                pass
            assert response.status == 200, (path, response.status)
        return (time.perf_counter() - started) * 1000

    pages = {
        "floor (2-byte signed-in view)": "/bench-floor/",
        "GET /stats/funnel": "/api/v1/stats/funnel",
        "GET /stats/funnel?organisation=": f"/api/v1/stats/funnel?organisation={ministry.pk}",
        "GET /stats/funnel/monthly": "/api/v1/stats/funnel/monthly?from=2015-01&to=2019-12",
        "dashboard page": "/insights/",
        "dashboard page, one ministry": f"/insights/?organisation={ministry.pk}",
        "service page (its TCV)": f"/services/{service.pk}/",
        "GET /services/{id}/tcv": f"/api/v1/services/{service.pk}/tcv",
    }
    results: dict[str, dict[str, float]] = {}
    try:
        for name, path in pages.items():
            times = [ask(path) for _ in range(requests + 1)][1:]  # the first warms up
            results[name] = {"median": statistics.median(times), "p95": _p95(times)}
        download = ask("/api/v1/open-data.zip") / 1000
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "pages": results,
        "open_data_download_s": download,
        "open_data_alone": open_data_alone(url),
        "journeys": Journey.objects.count(),
        "service_journeys": busiest["n"],
    }


def child(url: str, scale: int, requests: int) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innohub.settings")
    sys.path.insert(0, str(ROOT))
    _fresh(url)
    _manage(url, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    _manage(url, "seed_demo", "--profile", "a2i-2019", "--scale", str(scale))
    generated = time.perf_counter() - started
    import django

    django.setup()
    if url.startswith("postgres"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    figures = measure(url, requests=requests)
    figures["generated_s"] = generated
    print("RESULT " + json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_DASHBOARD_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.scale, args.requests)
        return
    VAR.mkdir(exist_ok=True)
    engines = [("SQLite", None)]
    if args.postgres and serving.postgres_answers(args.postgres):
        if "bench" not in args.postgres.rsplit("/", 1)[-1]:
            sys.exit("Give a scratch PostgreSQL database whose name contains 'bench'.")
        engines.append(("PostgreSQL", args.postgres))
    scales = [int(scale) for scale in args.scales.split(",")]
    figures: dict[str, dict[int, dict]] = {}
    for engine, postgres in engines:
        for scale in scales:
            url = postgres or sqlite_url(scale)
            print(f"{engine} x{scale}: generating and measuring …", flush=True)
            done = subprocess.run(
                [sys.executable, __file__, "--child", url, "--scale", str(scale),
                 "--requests", str(args.requests)],
                cwd=ROOT, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode:
                sys.exit(done.stderr[-4000:])
            line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
            figures.setdefault(engine, {})[scale] = json.loads(line[7:])
    report(figures, scales=scales, requests=args.requests)


def report(figures: dict[str, dict[int, dict]], *, scales: list[int], requests: int) -> None:
    print(f"\nMedian and p95 of {requests} requests (ms), gunicorn with 2 workers, signed in.")
    for engine, by_scale in figures.items():
        print(f"\n{engine}")
        head = f"{'':34}" + "".join(f" | {'x' + str(s):^15}" for s in scales)
        if len(scales) > 1:
            head += f" | {'p95 x' + str(scales[-1]) + '/x' + str(scales[0]):>12}"
        print(head)
        print(f"{'':34}" + f" | {'median':>7} {'p95':>7}" * len(scales))
        for name in by_scale[scales[0]]["pages"]:
            line = f"{name:34}"
            for scale in scales:
                page = by_scale[scale]["pages"][name]
                line += f" | {page['median']:7.1f} {page['p95']:7.1f}"
            if len(scales) > 1:
                first = by_scale[scales[0]]["pages"][name]["p95"]
                last = by_scale[scales[-1]]["pages"][name]["p95"]
                line += f" | {last / first:12.2f}"
            print(line)
        for scale in scales:
            data = by_scale[scale]
            alone = data["open_data_alone"]
            print(
                f"x{scale}: generated in {data['generated_s']:.0f} s; {data['journeys']:,} journeys "
                f"(busiest service {data['service_journeys']:,}); open data downloaded in "
                f"{data['open_data_download_s']:.1f} s, written alone in {alone['seconds']:.1f} s "
                f"({alone['mb']:.1f} MB) at a peak of {alone['peak_mib']:.0f} MiB"
            )


if __name__ == "__main__":
    main()
