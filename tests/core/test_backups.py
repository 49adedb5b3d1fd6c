"""The backup command and its restore drill, on the suite's own database (SQLite's online
backup, or pg_dump and pg_restore into a scratch PostgreSQL database)."""

from __future__ import annotations

import io
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from innohub.core import backups
from tests.factories import UserFactory
from tests.services.factories import JourneyFactory

pytestmark = pytest.mark.django_db(transaction=True)  # what a dump reads is committed


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("backup", *args, stdout=out)
    return out.getvalue()


def test_a_backup_restores_with_every_row_and_this_releases_migrations(tmp_path):
    UserFactory.create_batch(3)
    JourneyFactory.create_batch(2)
    path = tmp_path / run("--to", str(tmp_path)).strip().rsplit("/", 1)[-1]
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600
    assert path.suffix == (".dump" if connection.vendor == "postgresql" else ".sqlite3")
    report = backups.drill(path)
    assert report.passed and report.integrity == "ok" and report.migrations_missing == []
    assert report.counts["services_journey"] == (2, 2)
    assert report.counts["accounts_user"][0] == report.counts["accounts_user"][1] >= 3
    out = run("--drill", str(path))
    assert "the drill passed" in out
    # What is written after the backup is in the live database only: the drill says so.
    JourneyFactory()
    assert backups.drill(path).counts["services_journey"] == (2, 3)


def test_a_backup_of_an_older_release_is_refused_by_the_drill(tmp_path):
    path = tmp_path / run("--to", str(tmp_path)).strip().rsplit("/", 1)[-1]
    if path.suffix != ".sqlite3":
        pytest.skip("edited in place on SQLite; the PostgreSQL dump is checked above")
    with sqlite3.connect(path) as edited:
        edited.execute("DELETE FROM django_migrations WHERE app = 'insights'")
    edited.close()
    with pytest.raises(CommandError, match=r"lacks migrations of this release: insights\.0001"):
        run("--drill", str(path))


def test_what_is_not_a_backup_is_refused_by_name(tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("hello")
    with pytest.raises(CommandError, match="not a backup this command made"):
        run("--drill", str(stray))
    with pytest.raises(CommandError, match="no backup at"):
        run("--drill", str(tmp_path / "missing.dump"))
