"""Open data: the package validates with the Frictionless library; a group under 5 journeys
keeps its row with its figures empty; journeys count in their district and quarter; no
personal data; the download is public and streamed."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from innohub.geo.models import Level
from innohub.insights import open_data
from tests.factories import AreaFactory, OrganisationFactory, UserFactory
from tests.pipeline.factories import MeasurementFactory, PilotFactory
from tests.services.factories import JourneyFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(django_capture_on_commit_callbacks):
    country = AreaFactory(code="BD", level=Level.COUNTRY)
    dhaka = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=country)
    savar = AreaFactory(code="BD-13-S", level=Level.SUBDISTRICT, parent=dhaka)
    gazipur = AreaFactory(code="BD-18", level=Level.DISTRICT, parent=country)
    ministry = OrganisationFactory(name="Ministry of Land", area=country)
    service = ServiceFactory(name="Land mutation", organisation=ministry)
    observer = UserFactory(username="secret.shopper", first_name="Rahima")
    # Savar (in Dhaka) and Dhaka itself: 6 journeys in 2026-Q1; Gazipur: 2 (suppressed).
    days = ["10", "12", "14", "3", "5", "20"]
    for index, value in enumerate(days):
        JourneyFactory(
            service=service, area=savar if index % 2 else dhaka, observer=observer,
            observed_on=datetime.date(2026, 2, 1), tcv_days=Decimal(value),
            tcv_cost=Decimal("100.50"), tcv_visits=3, ref=f"J-{index}",
        )  # fmt: skip
    for _ in range(2):
        JourneyFactory(service=service, area=gazipur, observed_on=datetime.date(2026, 4, 2))
    JourneyFactory(service=service, area=country, observed_on=datetime.date(2026, 4, 2))
    JourneyFactory(service=service, area=dhaka, status="draft")  # not final: not counted
    with django_capture_on_commit_callbacks(execute=True):
        measured = PilotFactory(
            organisation=ministry, service=service, area=savar, status="ongoing"
        )
        small = PilotFactory(organisation=ministry, service=service, area=savar, status="submitted")
        PilotFactory(organisation=ministry, service=service, area=savar)  # a draft: left out
    for phase, value in [("baseline", "10")] * 5 + [("after", "4")] * 5:
        MeasurementFactory(pilot=measured, phase=phase, journey=JourneyFactory(
            service=service, area=savar, tcv_days=Decimal(value), observed_on=datetime.date(2025, 1, 5),
        ))  # fmt: skip
    MeasurementFactory(pilot=small, phase="baseline")
    return locals()


def unpack(content: bytes) -> dict[str, list[dict[str, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    found = {"datapackage.json": json.loads(archive.read("datapackage.json"))}
    for name in ("services", "tcv", "pilots", "funnel", "findings", "responses"):
        found[name] = list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))
    return found


def download(client: Client) -> bytes:
    response = client.get("/api/v1/open-data.zip")  # no one signed in: public
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response.streaming
    return b"".join(response.streaming_content)


def test_the_package_validates_with_frictionless(client, place, tmp_path):
    from frictionless import Package, validate

    content = download(client)
    zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # Every member is dated the day it was made (not 1 January 1980, zipfile's default).
    today = timezone.localdate().timetuple()[:3]
    dates = {member.date_time[:3] for member in zipfile.ZipFile(io.BytesIO(content)).infolist()}
    assert dates == {today}
    package = Package(str(tmp_path / "datapackage.json"))
    assert package.licenses[0]["name"] == "CC-BY-4.0"
    assert [resource.name for resource in package.resources] == [
        "services",
        "tcv",
        "pilots",
        "funnel",
        "findings",
        "responses",
    ]


def test_journeys_count_in_their_district_and_quarter_small_groups_suppressed(client, place):
    tcv = unpack(download(client))["tcv"]
    rows = {(row["area"], row["quarter"]): row for row in tcv}
    dhaka = rows[("BD-13", "2026-Q1")]  # Savar's journeys count in Dhaka district
    assert (dhaka["n"], dhaka["suppressed"]) == ("6", "false")
    assert (dhaka["days_mean"], dhaka["days_median"]) == ("10.67", "11.00")
    assert (dhaka["cost_mean"], dhaka["visits_median"]) == ("100.50", "3.00")
    gazipur = rows[("BD-18", "2026-Q2")]
    assert gazipur["suppressed"] == "true"
    assert all(gazipur[name] == "" for name in ("n", "days_mean", "days_median", "cost_mean"))
    assert ("BD", "2026-Q2") in rows  # above district level: under its own code
    # The pilots' measured journeys (2025-Q1) count too: 5 + 5, and the small one's.
    assert rows[("BD-13", "2025-Q1")]["n"] == "11"


def test_pilots_past_draft_with_their_reduction_or_suppressed(client, place):
    pilots = {row["pilot"]: row for row in unpack(download(client))["pilots"]}
    measured, small = pilots[str(place["measured"].pk)], pilots[str(place["small"].pk)]
    assert len(pilots) == 2  # the draft is left out
    assert (measured["baseline_n"], measured["after_n"], measured["suppressed"]) == (
        "5",
        "5",
        "false",
    )
    assert measured["reduction_days"] == "6.00"
    assert (small["baseline_n"], small["suppressed"], small["reduction_days"]) == ("", "true", "")
    assert measured["organisation_name"] == "Ministry of Land" and measured["area"] == "BD-13-S"


def test_no_personal_data(client, place):
    content = download(client)
    text = b"".join(
        zipfile.ZipFile(io.BytesIO(content)).read(name)
        for name in ("services.csv", "tcv.csv", "pilots.csv", "funnel.csv")
    ).decode()
    assert "secret.shopper" not in text and "Rahima" not in text and "J-1" not in text


def test_the_funnel_has_a_row_per_ministry(client, place):
    funnel = unpack(download(client))["funnel"]
    land = next(row for row in funnel if row["organisation_name"] == "Ministry of Land")
    assert (land["pilots"], land["ongoing"], land["currency"]) == ("1", "1", "BDT")


def test_an_empty_deployment_still_validates(client, tmp_path):
    from frictionless import validate

    zipfile.ZipFile(io.BytesIO(download(client))).extractall(tmp_path)
    assert validate(str(tmp_path / "datapackage.json")).valid


def test_the_licence_follows_the_setting(settings):
    settings.OPEN_DATA_LICENSE = "CC0-1.0"
    assert open_data.license_of()["name"] == "CC0-1.0"


def test_the_data_dictionary_page_is_public(client, place):
    page = client.get("/insights/open-data/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "reduction_days" in body and "Creative Commons Attribution 4.0" in body
