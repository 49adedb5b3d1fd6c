"""Findings and responses in the open-data package: no personal data, small groups
suppressed, and the package still valid (docs/api.md, "Insights: open data")."""

from __future__ import annotations

import io
import zipfile

import pytest

from innohub.engagement import services
from tests.engagement.conftest import days_from_today
from tests.engagement.test_contributions import say
from tests.insights.test_open_data import download, unpack
from tests.pipeline.factories import PilotFactory

pytestmark = pytest.mark.django_db


def test_findings_and_responses_are_open_data_without_personal_data(
    client, consultation, place, tmp_path
):
    from frictionless import validate

    officer = place["officer"]
    many = [say(consultation, text="Rahima says the queue is long", name="Rahima Begum",
                contact="01711000000", consent=True, area=place["dhaka"]) for _ in range(5)]  # fmt: skip
    few = [say(consultation, text="Karim: fees unclear") for _ in range(2)]
    queues = services.create_finding(
        by=officer,
        consultation=consultation,
        title="Long queues",
        contributions=[c.pk for c in many],
    )
    fees = services.create_finding(
        by=officer,
        consultation=consultation,
        title="Unclear fees",
        contributions=[c.pk for c in few],
    )
    pilot = PilotFactory()
    services.respond(
        by=officer,
        finding=queues,
        text="A second counter.",
        responded_on=days_from_today(0),
        pilot=pilot,
    )
    content = download(client)
    found = unpack(content)
    rows = {row["title"]: row for row in found["findings"]}
    assert (rows["Long queues"]["contributions"], rows["Long queues"]["suppressed"]) == (
        "5",
        "false",
    )
    assert (rows["Unclear fees"]["contributions"], rows["Unclear fees"]["suppressed"]) == (
        "",
        "true",
    )
    assert rows["Long queues"]["days_to_response"] == str(
        (days_from_today(0) - consultation.closes_on).days
    )
    assert rows["Unclear fees"]["first_responded_on"] == ""
    assert found["responses"] == [{
        "response": found["responses"][0]["response"], "finding": str(queues.pk), "kind": "pilot",
        "responded_on": days_from_today(0).isoformat(), "pilot": str(pilot.pk),
        "text": "A second counter.",
    }]  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(content))
    text = (archive.read("findings.csv") + archive.read("responses.csv")).decode()
    for personal in ("Rahima", "01711000000", "Karim", "BD-13", "queue is long"):
        assert personal not in text
    archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert fees.pk
