"""Lighthouse on the pages a field officer opens most, served as in production.

    make lighthouse                         # the four pages, mobile, simulated slow 4G
    .venv/bin/python bench/lighthouse.py [--runs 3] [--storage CLASS] [--language bn]

Sets up its own database (var/lighthouse.sqlite3, the demo data), runs `collectstatic` into
var/lighthouse-static with the production storage (hashed, compressed files: see the operator
guide) unless `--storage` names another, starts gunicorn with two workers and
WHITENOISE_USE_FINDERS=0, signs in as the demo's `officer` and runs Lighthouse 12 (npm,
pinned in bench/lighthouse/package.json) with Debian's Chromium on: the signed-in home, the
service catalogue, a service's page and the recording page of the officer's draft journey.

Prints, per page, the median over `--runs` of the performance score, LCP, and the bytes
transferred (all requests, and the largest ones), plus the accessibility score. The JSON
reports stay in var/lighthouse/ for a closer look.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import serving

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
OUT = VAR / "lighthouse"
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PORT = 8791


SIGN_IN = """
from django.test import Client
from innohub.accounts.models import User
from django.db.models import Count
from innohub.services.models import Journey, JourneyStatus, Service
officer = User.objects.get(username="officer")
client = Client()
client.force_login(officer)
draft = Journey.objects.filter(observer=officer, status=JourneyStatus.DRAFT).order_by("id").first()
service = Service.objects.annotate(n=Count("journeys")).order_by("-n", "id").first()
print(client.cookies["sessionid"].value, service.pk, draft.pk)
"""


def _prepare(env: dict[str, str]) -> tuple[str, dict[str, str]]:
    serving.fresh_site("lighthouse", env)
    serving.manage(env, "seed_demo")
    session, service, draft = serving.manage(env, "shell", "-c", SIGN_IN).split()[-3:]
    pages = {
        "home": "/",
        "catalogue": "/services/",
        "service": f"/services/{service}/",
        "recording": f"/services/journeys/{draft}/steps/",
    }
    return session, pages


def _lighthouse(url: str, *, session: str, language: str, report: Path) -> dict:
    cookie = f"sessionid={session}; django_language={language}"
    for attempt in range(3):  # Chromium now and then fails to start or to trace: try again
        done = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility",
                "--form-factor=mobile",
                "--throttling-method=simulate",
                f"--extra-headers={json.dumps({'Cookie': cookie})}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            check=False,
        )
        if done.returncode == 0:
            return json.loads(report.read_text())
        print(f"lighthouse failed on {url} (attempt {attempt + 1}); trying again", file=sys.stderr)
    sys.exit(f"lighthouse failed three times on {url}")


def _figures(result: dict) -> dict[str, object]:
    audits = result["audits"]
    items = audits["network-requests"]["details"]["items"]
    largest = sorted(items, key=lambda item: -item.get("transferSize", 0))[:4]
    return {
        "performance": round(result["categories"]["performance"]["score"] * 100),
        "accessibility": round(result["categories"]["accessibility"]["score"] * 100),
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "largest": [
            (item["url"].rsplit("/", 1)[-1][:40], item["transferSize"]) for item in largest
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--storage", default=serving.PRODUCTION_STORAGE)
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse`, which installs it.")
    OUT.mkdir(parents=True, exist_ok=True)
    env = serving.production_env("lighthouse", args.storage)
    session, pages = _prepare(env)
    server = serving.gunicorn(env, PORT)
    rows = []
    try:
        for name, path in pages.items():
            runs = [
                _figures(
                    _lighthouse(
                        f"http://127.0.0.1:{PORT}{path}",
                        session=session,
                        language=args.language,
                        report=OUT / f"{name}-{args.language}-{run}.json",
                    )
                )
                for run in range(args.runs)
            ]
            rows.append((name, path, runs))
    finally:
        server.terminate()
        server.wait()
    print(
        f"\nLighthouse 12, mobile, simulated slow 4G; medians of {args.runs} runs; "
        f"language {args.language}; storage {args.storage.rsplit('.', 1)[-1]}"
    )
    print(f"{'page':<10} {'perf':>5} {'a11y':>5} {'LCP ms':>7} {'KB':>6}  largest transfers (KB)")
    for name, _path, runs in rows:
        median = {
            key: statistics.median(run[key] for run in runs)  # type: ignore[misc]
            for key in ("performance", "accessibility", "lcp_ms", "bytes")
        }
        largest = ", ".join(f"{file} {size / 1024:.0f}" for file, size in runs[0]["largest"])  # type: ignore[attr-defined]
        print(
            f"{name:<10} {median['performance']:>5.0f} {median['accessibility']:>5.0f} "
            f"{median['lcp_ms']:>7.0f} {median['bytes'] / 1024:>6.0f}  {largest}"
        )


if __name__ == "__main__":
    main()
