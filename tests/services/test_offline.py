"""The recorder's installable, offline layer on the server (services/views_offline.py): the service
worker, the manifest, the offline page, and what the recorder page gives its script. The
officer's side, offline in a real browser: tests/browser/test_offline_recorder.py."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from innohub.core import roles
from innohub.services import journeys
from innohub.services import views_offline as offline
from tests.geo.conftest import person_in
from tests.services.factories import JourneyFactory

pytestmark = pytest.mark.django_db


def test_every_file_the_worker_saves_exists():
    # One missing file and the browser installs no worker at all (`cache.addAll` fails whole).
    assert [path for path in offline.RECORDER_ASSETS if finders.find(path) is None] == []


def test_the_worker_names_the_files_and_a_version_and_is_checked_on_every_visit(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    assert json.dumps(offline.precached()) in text
    assert '"/static/js/services/recorder.js"' in text
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', text)
    assert version is not None
    assert client.get("/sw.js").content.decode() == text  # the same files, the same version
    assert 'const SCOPE = "/services/journeys/";' in text
    assert client.post("/sw.js").status_code == 405


def test_the_manifest_opens_on_the_drafts_in_the_persons_language(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/services/journeys/drafts/"
    assert manifest["scope"] == offline.SCOPE
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "innohub journey recorder"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    bangla = json.loads(client.get("/manifest.webmanifest").content)
    assert bangla["name"] == "innohub সেবাযাত্রা রেকর্ডার" and bangla["lang"] == "bn"


def test_the_offline_page_is_for_signed_in_people(client):
    assert client.get("/services/journeys/offline/").status_code == 302
    client.force_login(person_in(roles.CIVIL_SERVANT))
    page = client.get("/services/journeys/offline/").content.decode()
    assert "You are offline" in page
    assert 'href="/services/journeys/drafts/"' in page


def _setup_of(page: str) -> dict:
    found = re.search(r'<script id="recorder-setup" type="application/json">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def test_the_recorder_page_gives_its_script_the_version_the_checks_and_the_words(client):
    officer = person_in(roles.CIVIL_SERVANT)
    journey = JourneyFactory(observer=officer, status="draft")
    client.force_login(officer)
    page = client.get(f"/services/journeys/{journey.pk}/steps/").content.decode()
    setup = _setup_of(page)
    assert setup["journey"] == journey.pk and setup["user"] == officer.pk
    assert setup["version"] == journeys.version_of(journey)
    assert setup["api"] == f"/api/v1/journeys/{journey.pk}/steps"
    visits = setup["checks"]["visits"]
    assert visits["kind"] == "integer" and visits["min_value"] == "Enter 0 or more."
    assert visits["max_value"].startswith("Ensure this value is less than or equal to")
    assert setup["checks"]["fees"]["kind"] == "decimal"
    assert setup["checks"]["title"]["required"] == "Enter what happened at this step."
    assert setup["pain_slots"][0] == ["pain_category", "pain_description"]
    # The manifest and worker are named for the page, and the script is a module.
    assert 'data-worker="/sw.js" data-scope="/services/journeys/"' in page
    assert 'type="module" src="/static/js/services/recorder.js"' in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    bangla = _setup_of(client.get(f"/services/journeys/{journey.pk}/steps/").content.decode())
    assert bangla["text"]["step"] == "ধাপ %(number)s"
    assert bangla["text"]["waiting"] == "পাঠানোর অপেক্ষায়"
    assert bangla["checks"]["visits"]["min_value"] != "Enter 0 or more."


def test_the_draft_list_keeps_its_recorder_pages_for_the_field(client):
    officer = person_in(roles.CIVIL_SERVANT)
    journey = JourneyFactory(observer=officer, status="draft")
    client.force_login(officer)
    page = client.get("/services/journeys/drafts/").content.decode()
    assert f'href="/services/journeys/{journey.pk}/steps/" data-offline-keep' in page
    assert 'rel="manifest"' in page


def test_pages_drawn_for_no_one_say_so_and_clear_the_kept_pages(client):
    # init.js forgets the recorder's kept pages on a page drawn for no one (after signing out).
    assert "data-anonymous" in client.get("/accounts/login/").content.decode()
    client.force_login(person_in(roles.CIVIL_SERVANT))
    assert "data-anonymous" not in client.get("/services/journeys/drafts/").content.decode()
