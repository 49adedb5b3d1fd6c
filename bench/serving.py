"""gunicorn started for a benchmark: two workers on a loopback port, answered before use."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
