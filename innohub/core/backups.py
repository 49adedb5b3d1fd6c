"""Backups of the database, and the drill that proves one can be restored.

- `backup(folder)`: PostgreSQL with `pg_dump --format=custom`; the embedded SQLite with its
  online backup (a consistent copy while others write), never a file copy.
- `drill(path)`: the backup restored into a scratch database (`pg_restore` into a new
  database; SQLite, a copy checked with `PRAGMA integrity_check`), its migrations compared
  with this release's, its rows counted beside the live database's, the scratch database
  dropped. A backup not restored is a hope.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

# Tables whose rows the drill counts in the backup and in the live database.
COUNTED = (
    "accounts_user", "orgs_organisation", "geo_area", "services_service", "services_journey",
    "services_journeystep", "pipeline_idea", "pipeline_pilot", "training_trained",
)  # fmt: skip


class BackupError(Exception):
    """A backup or a drill that could not be done, and why."""


@dataclass
class Drill:
    backup: Path
    engine: str
    integrity: str
    migrations_missing: list[str] = field(default_factory=list)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (backup, live)

    @property
    def passed(self) -> bool:
        return self.integrity == "ok" and not self.migrations_missing


def _vendor() -> str:
    return connections[DEFAULT_DB_ALIAS].vendor


def _settings() -> dict[str, Any]:
    return connections[DEFAULT_DB_ALIAS].settings_dict


def _pg_env() -> dict[str, str]:
    """libpq's environment for the default database (the password never on a command line)."""
    settings = _settings()
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if settings.get(key):
            env[name] = str(settings[key])
    if mode := settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(mode)
    return env


def _run(*command: str, env: dict[str, str] | None = None) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is missing: apt-get install postgresql-client")
    # The programs are fixed (pg_dump, pg_restore, createdb, dropdb); no shell.
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def backup(folder: Path, *, now: datetime.datetime | None = None) -> Path:
    """A backup of the default database in `folder`; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.datetime.now(tz=datetime.UTC)).strftime("%Y-%m-%dT%H%M%SZ")
    if _vendor() == "postgresql":
        path = folder / f"innohub-{stamp}.dump"
        name = str(_settings()["NAME"])
        _run("pg_dump", "--format=custom", "--no-owner", f"--file={path}", name, env=_pg_env())
    elif _vendor() == "sqlite":
        path = folder / f"innohub-{stamp}.sqlite3"
        connection = connections[DEFAULT_DB_ALIAS]
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    else:  # pragma: no cover - innohub runs on these two
        raise BackupError(f"no backup for {_vendor()}")
    path.chmod(0o600)  # personal data and two-factor secrets
    return path


def _live_counts() -> dict[str, int]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        found = {}
        for table in COUNTED:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from COUNTED)
            found[table] = cursor.fetchone()[0]
    return found


def _expected_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def drill(path: Path) -> Drill:
    """Restore `path` into a scratch database and check it (see the module's docstring)."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    if path.suffix == ".dump":
        found = _drill_postgresql(path)
    elif path.suffix == ".sqlite3":
        found = _drill_sqlite(path)
    else:
        raise BackupError(f"{path.name}: not a backup this command made (.dump or .sqlite3)")
    live = _live_counts()
    report = Drill(backup=path, engine=found["engine"], integrity=found["integrity"])
    report.counts = {table: (found["counts"].get(table, 0), live[table]) for table in COUNTED}
    report.migrations_missing = sorted(
        f"{app}.{name}" for app, name in _expected_migrations() - found["migrations"]
    )
    return report


def _query_all(cursor: Any) -> dict[str, Any]:
    counts = {}
    for table in COUNTED:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from COUNTED)
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations")
    return {"counts": counts, "migrations": {(app, name) for app, name in cursor.fetchall()}}


def _drill_sqlite(path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "restored.sqlite3"
        with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        source.close()
        target.close()
        with sqlite3.connect(copy) as restored:
            cursor = restored.cursor()
            cursor.execute("PRAGMA integrity_check")
            integrity = cursor.fetchone()[0]
            found = _query_all(cursor)
        restored.close()
    return {"engine": "sqlite", "integrity": integrity, **found}


def _drill_postgresql(path: Path) -> dict[str, Any]:
    import psycopg

    env = _pg_env()
    scratch = f"innohub_drill_{os.getpid()}_{int(datetime.datetime.now().timestamp())}"
    _run("createdb", scratch, env=env)
    try:
        _run(
            "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}", str(path), env=env
        )
        settings = _settings()
        with (
            psycopg.connect(
                dbname=scratch,
                host=settings.get("HOST") or None,
                port=settings.get("PORT") or None,
                user=settings.get("USER") or None,
                password=settings.get("PASSWORD") or None,
            ) as restored,
            restored.cursor() as cursor,
        ):
            found = _query_all(cursor)
    finally:
        _run("dropdb", "--if-exists", scratch, env=env)
    return {"engine": "postgresql", "integrity": "ok", **found}
