"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

# The live server runs in a thread; Playwright's sync API runs an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone-sized screen: field officers use innohub on phones.
    return {**browser_context_args, "viewport": PHONE, "locale": "en-GB"}


def axe_violations(
    page, *, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict[str, Any]]:
    """Run axe-core (from npm) on the page; return the violations of the given impacts.

    The script is added through the DevTools protocol, which the page's CSP does not govern.
    """
    page.evaluate(AXE_SCRIPT.read_text())
    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
        }
    }
    results = page.evaluate(f"axe.run(document, {json.dumps(options)})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in impacts
    ]


def sign_in(page, base_url: str, username: str) -> None:
    """Sign in through the sign-in page, as a person does (factories set `PASSWORD`)."""
    from tests.factories import PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_in_with_code(page, base_url: str, username: str, device) -> None:
    """Sign in and pass two-factor with the authenticator app's code (programme managers
    and administrators: tests.accounts.helpers.confirmed_device)."""
    from tests.accounts.helpers import current_code

    sign_in(page, base_url, username)
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()


def fits_the_phone(page) -> bool:
    """Nothing on the page is wider than the phone's screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def wait_for_charts(page: Page) -> None:
    """Scroll the first chart into view (Chart.js loads only then) and wait until it is drawn."""
    box = page.locator("[data-tcv-charts]").first
    expect(box).to_be_visible()
    box.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => Boolean(window.Chart && Chart.getChart(document.querySelector('[data-tcv-chart]')))"
    )


def fill_step(page, title: str, numbers: tuple[str, ...]) -> None:
    """Type one step into the recorder: its title, then documents, elapsed days, citizen's
    hours, fees, travel cost, other cost and visits, in the form's order."""
    page.get_by_label("What happened at this step?").fill(title)
    labels = ("Documents asked for", "Elapsed days", "Citizen's hours")
    for label, value in zip(labels, numbers[:3], strict=True):
        page.get_by_label(label).fill(value)
    page.get_by_label("Fees", exact=True).fill(numbers[3])
    labels = ("Travel cost", "Other cost", "Visits to an office")
    for label, value in zip(labels, numbers[4:], strict=True):
        page.get_by_label(label).fill(value)
