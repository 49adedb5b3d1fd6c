"""The settings module: environment knobs with safe defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from innohub.accounts.models import User

ROOT = Path(__file__).resolve().parents[1]


SETTINGS = (
    "{'debug': s.DEBUG, 'key': s.SECRET_KEY, 'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'tz': s.TIME_ZONE}"
)


def read_settings(tmp_path: Path, *, read: str = SETTINGS, **env: str) -> dict[str, Any]:
    """Import the settings in a fresh interpreter with the given environment."""
    code = f"import json, innohub.settings as s; print(json.dumps({read}))"
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "INNOHUB_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_defaults_are_safe(tmp_path):
    first = read_settings(tmp_path)
    assert first["debug"] is False
    assert first["engine"] == "django.db.backends.sqlite3"
    assert first["name"] == str(tmp_path / "innohub.sqlite3")
    assert first["tz"] == "Asia/Dhaka"
    # The generated secret key is kept in a private file and reused on the next start.
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(first["key"]) >= 50
    assert read_settings(tmp_path)["key"] == first["key"]


def test_environment_overrides(tmp_path):
    got = read_settings(
        tmp_path,
        DEBUG="1",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://u@127.0.0.1:5432/innohub",
        TIME_ZONE="Europe/Sarajevo",
    )
    assert got["debug"] is True
    assert got["key"] == "x" * 60
    assert got["engine"] == "django.db.backends.postgresql"
    assert got["tz"] == "Europe/Sarajevo"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_createsuperuser_noinput_works_on_a_fresh_database(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long and unusual passphrase")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.org")
    call_command("createsuperuser", "--noinput", stdout=open(os.devnull, "w"))  # noqa: SIM115
    root = User.objects.get(username="root")
    assert root.is_superuser
    assert root.check_password("a long and unusual passphrase")


def test_replica_urls_add_read_replicas_and_their_router(tmp_path):
    replicas = (
        "{'aliases': s.REPLICA_ALIASES, 'routers': getattr(s, 'DATABASE_ROUTERS', []), "
        "'replicas': [[s.DATABASES[a][k] for k in ('HOST', 'PORT', 'NAME', 'TEST')] "
        "for a in s.REPLICA_ALIASES]}"
    )
    assert read_settings(tmp_path, read=replicas) == {"aliases": [], "routers": [], "replicas": []}
    got = read_settings(
        tmp_path,
        read=replicas,
        DATABASE_URL="postgres://u@db:5432/innohub",
        DATABASE_REPLICA_URLS="postgres://u@r1:5432/innohub, postgres://u@r2:5433/innohub,",
    )
    assert got == {
        "aliases": ["replica1", "replica2"],
        "routers": ["innohub.core.replicas.ReplicaRouter"],
        "replicas": [
            ["r1", 5432, "innohub", {"MIRROR": "default"}],
            ["r2", 5433, "innohub", {"MIRROR": "default"}],
        ],
    }


def test_log_format_json_gives_one_json_object_a_line(tmp_path):
    formatter = "s.LOGGING['handlers']['console']['formatter']"
    assert read_settings(tmp_path, read=formatter) == "text"
    assert read_settings(tmp_path, read=formatter, LOG_FORMAT="json") == "json"
