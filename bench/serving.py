"""gunicorn started for a benchmark: two workers on a loopback port, answered before use."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def gunicorn(env: dict[str, str], port: int, *extra: str) -> subprocess.Popen[bytes]:
    """Start gunicorn (two workers) on 127.0.0.1:`port` with `env`, and wait until its
    /healthz/live answers; exits the benchmark if it never does."""
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "innohub.wsgi",
            *extra,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/live", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit("gunicorn did not answer")


# --- A site served as in production, with its own SQLite database ---------------------------

PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def production_env(name: str, storage: str = PRODUCTION_STORAGE) -> dict[str, str]:
    """Settings for a site of its own: var/`name`.sqlite3, static files collected into
    var/`name`-static with `storage` (hashed and compressed, as in production)."""
    var = ROOT / "var"
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var / f'{name}.sqlite3'}",
        "STATIC_ROOT": str(var / f"{name}-static"),
        "STATICFILES_STORAGE": storage,
        "WHITENOISE_USE_FINDERS": "0",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "innohub.settings",
    }


def fresh_site(name: str, env: dict[str, str]) -> None:
    """Remove what an earlier run left (database, static files), migrate, collect static."""
    var = ROOT / "var"
    database = var / f"{name}.sqlite3"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(var / f"{name}-static", ignore_errors=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


def manage(env: dict[str, str], *args: str) -> str:
    """`manage.py args` with `env`; its output, or the benchmark stops with its errors."""
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# --- Running a benchmark on each database ----------------------------------------------------


def postgres_answers(url: str) -> bool:
    host_port = url.split("@", 1)[-1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port or 5432)), timeout=2).close()
    except OSError:
        return False
    return True


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(
        ["psql", admin, "-qc", f"CREATE DATABASE {name}"], capture_output=True, check=False
    )


def on_each_database(
    script: str, child_args: list[str], *, sqlite_url: str, postgres_url: str
) -> dict[str, dict[str, Any]]:
    """Run `script --child <database url> <child_args>` for SQLite, and for PostgreSQL when
    `postgres_url` (a scratch database: its name must hold "bench") answers; answers each
    child's `RESULT {json}` line by engine, and prints the rest of its output."""
    (ROOT / "var").mkdir(exist_ok=True)
    engines = [("SQLite", sqlite_url)]
    if postgres_url:
        if "bench" not in postgres_url.rsplit("/", 1)[-1]:
            sys.exit("Give a scratch PostgreSQL database whose name contains 'bench'.")
        if postgres_answers(postgres_url):
            ensure_database(postgres_url)
            engines.append(("PostgreSQL", postgres_url))
        else:
            print(f"PostgreSQL at {postgres_url} does not answer: SQLite alone.")
    figures = {}
    for engine, url in engines:
        print(f"{engine}: filling and measuring …", flush=True)
        done = subprocess.run(
            [sys.executable, script, "--child", url, *child_args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = done.stdout.splitlines()
        print("\n".join(line for line in lines if not line.startswith("RESULT ")))
        if done.returncode:
            sys.exit(done.stderr[-4000:])
        figures[engine] = json.loads(next(line for line in lines if line.startswith("RESULT "))[7:])
    return figures
