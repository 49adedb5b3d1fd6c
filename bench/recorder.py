"""The journey recorder on a slow phone: 150 steps, each saved, and the page's weight.

    make bench-recorder
    .venv/bin/python bench/recorder.py [--steps 150] [--network fast3g|slow3g] [--cpu 6]

Sets up its own database (var/bench-recorder.sqlite3) and static files as in production
(hashed, compressed: `collectstatic` into var/bench-recorder-static), starts gunicorn with two
workers, and drives Debian's Chromium through Playwright at 360 px with Chromium's own CPU
throttling (`--cpu` times slower, 6 = DevTools' low-end mobile) and network throttling
(DevTools' presets: fast 3G 563 ms round trip, 1.6 Mbit/s down, 0.75 up; slow 3G 2 s,
0.4 Mbit/s both ways). Prints:

- the time of each save, from pressing "Save this step" to the step kept on the phone and
  shown (the page's own `recorder-save` measure), for each of `--steps` steps typed into one
  journey online (the steps are sent in the background meanwhile) and for ten more typed
  offline; median, p95 and the slowest;
- how long the steps took to reach the server (all of them, and per step);
- the recorder page of the 150-step journey: bytes over the network on a first visit (nothing
  on the phone yet) and on a later one (the worker has the files), the HTML's share, and the
  time to `load`;
- for comparison, a step saved without JavaScript (the form posted, the page drawn again).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import serving

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
PORT = 8793
SITE = "bench-recorder"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Chrome DevTools' network presets (bytes per second, milliseconds).
NETWORKS: dict[str, dict[str, float]] = {
    "fast3g": {"latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375},
    "slow3g": {"latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000},
}

SETUP = """
from decimal import Decimal
from django.test import Client
from innohub.core import roles
from tests.factories import AreaFactory
from tests.geo.conftest import person_in
from tests.services.factories import JourneyFactory, ServiceFactory
area = AreaFactory(code="BD-13", name="Dhaka")
service = ServiceFactory(name="Birth registration", organisation__area=area)
officer = person_in(roles.CIVIL_SERVANT, username="bench-officer")
typed = JourneyFactory(service=service, area=area, observer=officer, status="draft")
plain = JourneyFactory(service=service, area=area, observer=officer, status="draft")
client = Client()
client.force_login(officer)
print(client.cookies["sessionid"].value, typed.pk, plain.pk)
"""

STEP = ("Waited at the counter", "1", "0.5", "2", "20", "40", "0", "1")
LABELS = (
    "Documents asked for",
    "Elapsed days",
    "Citizen's hours",
    "Fees",
    "Travel cost",
    "Other cost",
    "Visits to an office",
)


def _prepare(env: dict[str, str]) -> tuple[str, int, int]:
    serving.fresh_site(SITE, env)
    session, typed, plain = serving.manage(env, "shell", "-c", SETUP).split()[-3:]
    return session, int(typed), int(plain)


def _steps_on_server(env: dict[str, str], journey: int) -> int:
    script = f"from innohub.services.models import JourneyStep; print(JourneyStep.objects.filter(journey_id={journey}).count())"
    return int(serving.manage(env, "shell", "-c", script).split()[-1])


def _throttled(context, page, *, network: dict[str, float], cpu: float):
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **network})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    return cdp


def _type_step(page, title: str) -> None:
    page.get_by_label("What happened at this step?").fill(title)
    for label, value in zip(LABELS, STEP[1:], strict=True):
        page.get_by_label(label, exact=True).fill(value)


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, slowest {ordered[-1]:.0f} ms"


def _record(page, count: int, *, first: int, already: int) -> list[float]:
    """Type `count` steps; the save time of each (the page's `recorder-save` measures)."""
    for number in range(first, first + count):
        _type_step(page, f"{STEP[0]} ({number})")
        page.get_by_role("button", name="Save this step").click()
        page.wait_for_function(
            "n => performance.getEntriesByName('recorder-save').length >= n",
            arg=already + number - first + 1,
        )
    measures = page.evaluate(
        "performance.getEntriesByName('recorder-save').map(entry => entry.duration)"
    )
    return measures[already:]


def _weigh(browser, base: str, session: str, path: str, *, network, cpu):
    """Bytes over the network (bodies as sent, and headers) for the page and what it loads,
    on a first visit (nothing on the phone) and a later one; the worker's own requests —
    saving the files for offline use, fetching the page for a later visit — apart. The
    worker's requests are not throttled (Chromium throttles the page's), so only the first
    visit's load time is given."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    _throttled(context, page, network=network, cpu=cpu)
    transfers: list[tuple[str, int, bool, str]] = []

    def finished(request):
        response = request.response()
        if response is None or response.from_service_worker:
            return  # answered by the worker: its own request, if any, is counted
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        transfers.append(
            (request.url, size, request.service_worker is not None, request.resource_type)
        )

    context.on("requestfinished", finished)
    visits: list[dict[str, Any]] = []
    for _visit in ("first", "later"):
        transfers.clear()
        started = time.perf_counter()
        page.goto(f"{base}{path}", wait_until="load")
        loaded = (time.perf_counter() - started) * 1000
        page.wait_for_function("() => document.body.dataset.recorder === 'started'")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_timeout(3000)  # the worker saves its files after the first visit
        by_page = [t for t in transfers if not t[2]]
        by_worker = [t for t in transfers if t[2]]
        html = sum(t[1] for t in transfers if t[3] == "document" or t[0].endswith(path))
        visits.append(
            {
                "page": sum(t[1] for t in by_page),
                "worker": sum(t[1] for t in by_worker),
                "html": html,
                "requests": len(by_page),
                "worker_requests": len(by_worker),
                "load_ms": loaded,
                "largest": sorted(by_page, key=lambda t: -t[1])[:5],
            }
        )
    context.close()
    return visits


def _without_javascript(
    browser, base: str, session: str, journey: int, *, network, cpu, count: int
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    _throttled(context, page, network=network, cpu=cpu)
    page.goto(f"{base}/services/journeys/{journey}/steps/")
    times = []
    for number in range(count):
        _type_step(page, f"Without JavaScript ({number})")
        started = time.perf_counter()
        page.get_by_role("button", name="Save this step").click()
        page.wait_for_load_state("load")
        page.get_by_text("saved. Record the next one, or finish.").wait_for()
        times.append((time.perf_counter() - started) * 1000)
    context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--network", choices=sorted(NETWORKS), default="fast3g")
    parser.add_argument("--cpu", type=float, default=6)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = serving.production_env(SITE)
    session, typed, plain = _prepare(env)
    server = serving.gunicorn(env, PORT)
    base = f"http://127.0.0.1:{PORT}"
    network = NETWORKS[args.network]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
            )
            context = browser.new_context(viewport={"width": 360, "height": 740})
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            page = context.new_page()
            _throttled(context, page, network=network, cpu=args.cpu)
            page.goto(f"{base}/services/journeys/{typed}/steps/")
            page.wait_for_function("() => document.body.dataset.recorder === 'started'")
            started = time.perf_counter()
            online = _record(page, args.steps, first=1, already=0)
            # Every step on the server: the queue drained (steps sent while typing went on).
            page.locator("#recorder-outbox").wait_for(state="hidden", timeout=30 * 60 * 1000)
            drained = time.perf_counter() - started
            on_server = _steps_on_server(env, typed)
            context.set_offline(True)
            offline = _record(page, 10, first=args.steps + 1, already=args.steps)
            waiting = page.locator("#waiting-steps > li").count()
            context.set_offline(False)
            page.get_by_role("button", name="Send now").click()
            page.locator("#recorder-outbox").wait_for(state="hidden", timeout=10 * 60 * 1000)
            context.close()

            weights = _weigh(
                browser,
                base,
                session,
                f"/services/journeys/{typed}/steps/",
                network=network,
                cpu=args.cpu,
            )
            plain_times = _without_javascript(
                browser, base, session, plain, network=network, cpu=args.cpu, count=5
            )
            browser.close()
    finally:
        server.terminate()
        server.wait()

    total = _steps_on_server(env, typed)
    print(
        f"\nThe recorder, 360 px, CPU {args.cpu:g}x slower, network {args.network} "
        f"({network['latency']:.0f} ms, {network['downloadThroughput'] * 8 / 1e6:.2f} Mbit/s down)"
    )
    print(f"save, online, steps 1-{args.steps}: {_percentiles(online)}")
    print(
        f"save, offline, steps {args.steps + 1}-{args.steps + 10}: {_percentiles(offline)} ({waiting} waiting)"
    )
    print(
        f"sent: {on_server} steps on the server {drained:.1f} s after the first save "
        f"({drained * 1000 / max(on_server, 1):.0f} ms a step, typing included); "
        f"after the offline ten: {total} (expected {args.steps + 10})"
    )
    first, later = weights
    largest = ", ".join(
        f"{url.rsplit('/', 1)[-1][:28] or 'page'} {size / 1024:.1f}"
        for url, size, _w, _t in first["largest"]
    )
    print(
        f"page of {total} steps, first visit: {first['page'] / 1024:.1f} KB over the network "
        f"({first['requests']} requests; the HTML {first['html'] / 1024:.1f} KB), load in "
        f"{first['load_ms']:.0f} ms; largest (KB): {largest}"
    )
    print(
        f"  then the worker saves the files for offline use: {first['worker'] / 1024:.1f} KB "
        f"({first['worker_requests']} requests, once)"
    )
    print(
        f"page of {total} steps, later visit: {(later['page'] + later['worker']) / 1024:.1f} KB "
        f"over the network (the HTML {later['html'] / 1024:.1f} KB; the files from the phone)"
    )
    print(f"save without JavaScript (post + page drawn again): {_percentiles(plain_times)}")
    if total != args.steps + 10:
        sys.exit("steps were lost or doubled")


if __name__ == "__main__":
    main()
