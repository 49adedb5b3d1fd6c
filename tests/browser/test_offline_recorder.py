"""The recorder offline (issue #23): steps typed without a connection wait on the phone, survive
a reload, and are sent once when the connection returns; a journey changed on the server
meanwhile is shown to the officer, never added to unseen."""

from __future__ import annotations

import tempfile
import time
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from innohub.core import roles
from tests.browser.conftest import CHROMIUM, axe_violations, fill_step, fits_the_phone, sign_in
from tests.factories import AreaFactory
from tests.geo.conftest import person_in
from tests.services.factories import JourneyFactory, ServiceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# title, documents, days, hours, fees, travel, other, visits
STEPS = [
    ("Asked at the help desk", "0", "0.5", "1", "0", "30", "0", "1"),
    ("Bought the form", "1", "0", "0.5", "20", "0", "0", "0"),
    ("Submitted at the counter", "4", "7", "3", "500", "30", "100", "1"),
    ("Collected the certificate", "0", "2", "1.5", "0", "30", "0", "1"),
]


@pytest.fixture
def draft(db):
    area = AreaFactory(code="BD-13", name="Dhaka")
    service = ServiceFactory(name="Birth registration", organisation__area=area)
    officer = person_in(roles.CIVIL_SERVANT, username="rahim")
    return JourneyFactory(service=service, area=area, observer=officer, status="draft")


def _until(page: Page, script: str, seconds: float = 10) -> None:
    """Until the script's promise comes true (`page.evaluate` awaits it; `wait_for_function`
    would take the promise itself for true)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        time.sleep(0.1)


def _ready(page: Page) -> None:
    """The recorder's script has read what the phone kept."""
    page.wait_for_function("() => document.body.dataset.recorder === 'started'")


def _open_offline(page: Page, base: str, journey) -> None:
    """Signed in as the officer, the journey's recorder open, then the connection gone."""
    sign_in(page, base, "rahim")
    page.goto(f"{base}/services/journeys/{journey.pk}/steps/")
    _ready(page)
    page.context.set_offline(True)


def _record(page: Page, step: tuple[str, ...]) -> None:
    fill_step(page, step[0], step[1:])
    page.get_by_role("button", name="Save this step").click()


def test_four_steps_recorded_offline_are_sent_once_when_the_connection_returns(
    page: Page, live_server, draft
):
    from innohub.services.models import Journey

    base = live_server.url
    sign_in(page, base, "rahim")
    recorder = f"{base}/services/journeys/{draft.pk}/steps/"
    page.goto(recorder)
    _ready(page)
    # The worker has the recorder's page and files before the connection goes.
    _until(page, "navigator.serviceWorker.ready.then(() => true)")
    _until(page, f"caches.open('innohub-pages').then(c => c.match('{recorder}')).then(Boolean)")

    page.context.set_offline(True)
    for number, step in enumerate(STEPS, start=1):
        _record(page, step)
        expect(page.locator("#waiting-steps > li")).to_have_count(number)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Step {number + 1}")
    expect(page.get_by_role("status")).to_contain_text("waits to be sent")
    waiting = page.locator("#waiting-steps > li")
    expect(waiting.first).to_contain_text("Asked at the help desk")
    expect(waiting.first).to_contain_text("Waiting to send")
    # The office typed once stays for the next step; the numbers start again at 0.
    expect(page.get_by_label("Visits to an office")).to_have_value("0")
    assert Journey.objects.get(pk=draft.pk).steps.count() == 0
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    # The page opens again without a connection, with the four steps still waiting.
    page.reload()
    _ready(page)
    expect(page.locator("#waiting-steps > li")).to_have_count(4)
    expect(page.get_by_role("status")).to_contain_text("Steps waiting to be sent: 4.")

    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#recorded-steps > li")).to_have_count(4, timeout=15_000)
    expect(page.locator("#recorder-outbox")).to_be_hidden(timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 5")

    journey = Journey.objects.get(pk=draft.pk)
    assert [s.title for s in journey.steps.order_by("position")] == [s[0] for s in STEPS]
    # 9.5 days, 6 hours; 30 + 20 + 630 + 30 = 710; 3 visits; 5 documents.
    assert (journey.tcv_days, journey.tcv_hours) == (Decimal("9.5"), Decimal("6"))
    assert (journey.tcv_cost, journey.tcv_visits, journey.tcv_documents) == (
        Decimal("710"),
        3,
        5,
    )

    # A second sync (the button, the reconnection) adds nothing.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.reload()
    _ready(page)
    expect(page.locator("#recorded-steps > li")).to_have_count(4, timeout=15_000)
    assert Journey.objects.get(pk=draft.pk).steps.count() == 4


def test_a_journey_changed_on_the_server_meanwhile_is_shown_not_added_to(
    page: Page, live_server, draft
):
    from innohub.services import journeys
    from innohub.services.models import Journey
    from innohub.services.steps import StepData

    _open_offline(page, live_server.url, draft)
    _record(page, STEPS[0])
    expect(page.locator("#waiting-steps > li")).to_have_count(1)
    # Meanwhile, on the office computer, a step is recorded on the same journey.
    journeys.add_journey_step(
        by=draft.observer, journey=draft, step=StepData(title="Recorded at the office")
    )
    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()

    banner = page.get_by_role("region", name="This journey changed on the server")
    expect(banner).to_be_visible()
    assert Journey.objects.get(pk=draft.pk).steps.count() == 1  # nothing added unseen
    expect(page.locator("#waiting-steps > li")).to_contain_text("Waiting to send")
    assert axe_violations(page) == []

    # Having seen it, the officer adds the step after the server's.
    banner.get_by_role("button", name="Add my steps after the server's").click()
    expect(page.locator("#recorded-steps > li")).to_have_count(2, timeout=15_000)
    titles = [s.title for s in Journey.objects.get(pk=draft.pk).steps.order_by("position")]
    assert titles == ["Recorded at the office", "Asked at the help desk"]


def test_a_step_the_form_would_refuse_is_refused_or_looked_at_again_before_it_waits(
    page: Page, live_server, draft
):
    _open_offline(page, live_server.url, draft)
    page.get_by_label("Visits to an office").fill("-1")
    page.get_by_label("Fees", exact=True).fill("৫০")  # Bangla digits are numbers too
    page.get_by_role("button", name="Save this step").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("What happened at this step?: Enter what happened")
    expect(summary).to_contain_text("Visits to an office: Enter 0 or more.")
    expect(summary).not_to_contain_text("Fees")
    expect(page.locator("#waiting-steps > li")).to_have_count(0)
    assert axe_violations(page) == []

    # Allowed but unusual: asked about once, as without JavaScript, then kept when confirmed.
    page.get_by_label("What happened at this step?").fill("Came back again and again")
    page.get_by_label("Visits to an office").fill("25")
    page.get_by_role("button", name="Save this step").click()
    expect(summary).to_contain_text("25 visits at one step: is that right?")
    expect(page.locator("#waiting-steps > li")).to_have_count(0)
    page.get_by_label("I have checked: these values are right").check()
    page.get_by_role("button", name="Save this step").click()
    expect(page.locator("#waiting-steps > li")).to_have_count(1)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("I have checked: these values are right")).to_have_count(0)
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    # A step kept by mistake is removed from the phone before it is ever sent.
    page.get_by_role("button", name="Remove: Came back again and again").click()
    expect(page.locator("#waiting-steps > li")).to_have_count(0)
    expect(page.locator("#recorder-outbox")).to_be_hidden()


def test_the_recorder_is_an_installable_app(page: Page, live_server, draft):
    base = live_server.url
    sign_in(page, base, "rahim")
    page.goto(f"{base}/services/journeys/drafts/")
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["start_url"] == "/services/journeys/drafts/"
    assert manifest["display"] == "standalone"
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{base}/services/journeys/"

    # The drafts' recorder pages are kept for the field.
    recorder = f"{base}/services/journeys/{draft.pk}/steps/"
    _until(page, f"caches.open('innohub-pages').then(c => c.match('{recorder}')).then(Boolean)")
    page.context.set_offline(True)
    page.goto(recorder)
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1")
    # A page never kept says so, in the officer's words.
    page.goto(f"{base}/services/journeys/{draft.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")


def test_chromium_finds_the_recorder_installable(browser_type, live_server, draft):
    # Chromium's own verdict (manifest, icons, worker); a profile on disk, since a private
    # window is never offered installation.
    with tempfile.TemporaryDirectory() as profile:
        context = browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = context.new_page()
        sign_in(page, live_server.url, "rahim")
        page.goto(f"{live_server.url}/services/journeys/drafts/")
        _until(page, "navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getAppManifest").get("errors") == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        context.close()


def test_in_bangla_the_waiting_steps_say_so_in_bangla(page: Page, live_server, draft):
    base = live_server.url
    sign_in(page, base, "rahim")
    page.context.add_cookies([{"name": "django_language", "value": "bn", "url": base}])
    page.goto(f"{base}/services/journeys/{draft.pk}/steps/")
    _ready(page)
    page.context.set_offline(True)
    page.locator("#id_title").fill("সহায়তা কেন্দ্রে জিজ্ঞাসা")
    page.locator("#id_visits").fill("১")  # Bangla digits
    page.locator("form[data-recorder] button[type=submit]").click()
    item = page.locator("#waiting-steps > li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("পাঠানোর অপেক্ষায়")
    expect(page.get_by_role("heading", level=1)).to_have_text("ধাপ ২")
    expect(page.get_by_role("status")).to_contain_text("এই ফোনে সংরক্ষিত হয়েছে")
    assert axe_violations(page) == []
    assert fits_the_phone(page)
    page.context.set_offline(False)
    page.get_by_role("button", name="এখনই পাঠান").click()
    expect(page.locator("#recorded-steps > li")).to_have_count(1, timeout=15_000)
    assert draft.steps.get().visits == 1
