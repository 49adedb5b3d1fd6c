"""Exporting journeys (API.md, "GET /journeys/export"): the import's columns, so that a round
trip through a file is lossless."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from innohub.core.models import BulkImport
from innohub.services import exporter
from innohub.services.importer import ALL_COLUMNS, import_journeys
from innohub.services.models import Journey, JourneyStatus, JourneyStep
from innohub.services.selectors import journey_tcv
from tests.factories import AreaFactory, UserFactory
from tests.services.factories import (
    JourneyFactory,
    JourneyPainPointFactory,
    JourneyStepFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two services, an area tree, and journeys with everything a file can carry."""
    dhaka = AreaFactory(code="BD-C")
    district = AreaFactory(code="BD-13", parent=dhaka)
    elsewhere = AreaFactory(code="BD-A")
    land, pension = ServiceFactory(), ServiceFactory()
    first = JourneyFactory(
        service=land, area=district, ref="J-1", observed_on=datetime.date(2025, 1, 5)
    )
    JourneyStepFactory(journey=first, position=0, title="আবেদন জমা", office="AC Land, Savar",
                       actor="citizen", documents=21, elapsed_days=Decimal("28"),
                       citizen_hours=Decimal("7.25"), fees=Decimal("1150.00"),
                       travel_cost=Decimal("999999999999.99"), other_cost=Decimal("0.01"), visits=4)  # fmt: skip
    second_step = JourneyStepFactory(journey=first, position=1, title="=Hearing, \"quoted\"\nnext",
                                     office="", actor="", documents=0, elapsed_days=Decimal("99999.99"),
                                     citizen_hours=Decimal("0"), fees=0, travel_cost=0, other_cost=0,
                                     visits=10_000)  # fmt: skip
    JourneyPainPointFactory(
        journey_step=second_step, category="informal_payment", description="Asked for tea money"
    )
    reffless = JourneyFactory(service=pension, area=elsewhere, ref="", method="citizen_interview")
    JourneyStepFactory(journey=reffless, position=0, title="Visit")
    JourneyFactory(service=land, area=district, ref="draft", status=JourneyStatus.DRAFT)
    return {"land": land, "pension": pension, "first": first, "reffless": reffless}


def snapshot() -> list[tuple]:
    """Every final journey's values and TCV, in a form independent of ids."""
    out = []
    for journey in Journey.objects.filter(status="final").prefetch_related("steps__pain_points"):
        steps = tuple(
            (s.title, s.office, s.actor, s.documents, s.elapsed_days, s.citizen_hours, s.fees,
             s.travel_cost, s.other_cost, s.visits,
             tuple((p.category, p.description) for p in s.pain_points.all()))
            for s in journey.steps.order_by("position")
        )  # fmt: skip
        out.append((journey.service_id, journey.area.code, journey.observed_on, journey.method,
                    journey.ref, steps, journey_tcv(journey)))  # fmt: skip
    return sorted(out, key=repr)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_export_has_the_import_columns_and_one_row_per_final_step(world):
    rows = read_csv(exporter.csv_bytes(exporter.journeys_to_export()))
    assert rows[0] == list(ALL_COLUMNS)
    assert len(rows) == 1 + 3  # the draft is not exported
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["journey_ref"] == "J-1" and first["area"] == "BD-13"
    assert (first["fees"], first["travel_cost"], first["phase"], first["pilot"]) == (
        "1150.00", "999999999999.99", "none", "",
    )  # fmt: skip
    assert rows[3][0] == f"id:{world['reffless'].pk}"


def test_the_export_filters_by_service_and_by_area_with_everything_below(world):
    by_service = read_csv(
        exporter.csv_bytes(exporter.journeys_to_export(service=world["pension"].pk))
    )
    assert [r[0] for r in by_service[1:]] == [f"id:{world['reffless'].pk}"]
    by_area = read_csv(exporter.csv_bytes(exporter.journeys_to_export(area="BD-C")))
    assert [r[0] for r in by_area[1:]] == ["J-1", "J-1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_into_an_empty_innohub_recreates_the_same_journeys_and_tcv(world, fmt):
    before = snapshot()
    journeys = exporter.journeys_to_export()
    data = (
        exporter.csv_bytes(journeys)
        if fmt == "csv"
        else exporter.built_file(journeys, "xlsx").read()
    )
    JourneyStep.objects.all().delete()
    Journey.objects.all().delete()

    result = import_journeys(source=io.BytesIO(data), by=UserFactory(), file_name=f"j.{fmt}")

    assert result.errors == [] and result.created == 2
    after = snapshot()
    # The ref-less journey comes back without a ref: `id:<id>` only named it in the file.
    assert after == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_re_importing_an_export_into_the_same_innohub_creates_nothing(world, fmt):
    journeys = exporter.journeys_to_export()
    data = (
        exporter.csv_bytes(journeys)
        if fmt == "csv"
        else exporter.built_file(journeys, "xlsx").read()
    )

    result = import_journeys(source=io.BytesIO(data), by=UserFactory(), file_name=f"j.{fmt}")

    assert result.errors == []
    assert (result.created, result.skipped_duplicates) == (0, 2)
    assert Journey.objects.count() == 3
    assert BulkImport.objects.get().counts == {"created": 0, "skipped_duplicates": 2}


def test_text_in_the_xlsx_export_is_never_a_formula(world):
    sheet = openpyxl.load_workbook(
        exporter.built_file(exporter.journeys_to_export(), "xlsx")
    ).active
    titles = [row[7].value for row in sheet.iter_rows(min_row=2)]
    cell = next(row[7] for row in sheet.iter_rows(min_row=2) if str(row[7].value).startswith("="))
    assert cell.data_type == "s" and "=Hearing" in titles[1]


def test_the_export_takes_the_same_queries_for_3_journeys_as_for_33(
    world, django_assert_num_queries
):
    # a batch of journeys (with their area), steps, pain points, the pilots they count for,
    # then the empty batch that ends
    with django_assert_num_queries(5):
        rows = read_csv(exporter.csv_bytes(exporter.journeys_to_export()))
    assert len(rows) == 1 + 3
    for n in range(30):
        JourneyStepFactory(journey=JourneyFactory(service=world["land"], ref=f"more-{n}"))
    with django_assert_num_queries(5):
        rows = read_csv(exporter.csv_bytes(exporter.journeys_to_export()))
    assert len(rows) == 1 + 3 + 30


@pytest.mark.urls("tests.services.test_import_api")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_endpoint_answers_a_download(client, world, fmt):
    from innohub.accounts.models import ApiToken

    _, secret = ApiToken.issue(user=UserFactory())
    response = client.get(
        f"/api/v1/journeys/export?format={fmt}&service={world['land'].pk}&area=BD-13",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == exporter.CONTENT_TYPES[fmt]
    assert f".{fmt}" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    if fmt == "csv":
        assert read_csv(data)[0] == list(ALL_COLUMNS)


@pytest.mark.urls("tests.services.test_import_api")
def test_the_export_of_an_unknown_area_is_422(client, world):
    from innohub.accounts.models import ApiToken

    _, secret = ApiToken.issue(user=UserFactory())
    response = client.get(
        "/api/v1/journeys/export?area=NOPE", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "area"


def test_the_csv_export_starts_with_a_byte_order_mark_so_excel_reads_bangla(world):
    # Without one, Excel on Windows read the file in the machine's code page: "à¦†à¦¬à§‡à¦¦à¦¨".
    data = exporter.csv_bytes(exporter.journeys_to_export())

    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    assert "আবেদন জমা" in data.decode("utf-8-sig")
