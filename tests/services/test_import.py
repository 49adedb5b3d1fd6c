"""Importing journeys from CSV (API.md, "POST /journeys/import"): every bad row reported with
its line and column, all or nothing, idempotent."""

from __future__ import annotations

import csv
import datetime
import gc
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from innohub.core.models import BulkImport
from innohub.services.importer import COLUMNS, count_rows, import_journeys
from innohub.services.models import Journey, JourneyStatus, JourneyStep, PainPoint
from innohub.services.selectors import journey_tcv
from tests.factories import AreaFactory, UserFactory
from tests.services.factories import JourneyFactory, JourneyStepFactory, ServiceFactory

pytestmark = pytest.mark.django_db

HEADER = [*COLUMNS, "actor", "pain_point_category", "pain_point"]


def row(service, area, ref="J1", /, **values) -> dict[str, object]:
    base: dict[str, object] = {
        "journey_ref": ref,
        "service": service.pk,
        "area": area.code,
        "observed_on": "2025-03-01",
        "method": "secret_shopper",
        "phase": "none",
        "pilot": "",
        "title": "Apply at the land office",
        "office": "Upazila Land Office",
        "documents": 3,
        "elapsed_days": "2.5",
        "citizen_hours": "4",
        "fees": "100.00",
        "travel_cost": "50",
        "other_cost": "0",
        "visits": 1,
        "actor": "citizen",
        "pain_point_category": "",
        "pain_point": "",
    }
    base.update(values)
    return base


def csv_file(rows: list[dict[str, object]], header: list[str] | None = None) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = header or HEADER
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(name, "") for name in columns])
    return io.BytesIO(out.getvalue().encode("utf-8"))


@pytest.fixture
def importer():
    return UserFactory()


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def area():
    return AreaFactory(code="BD-13")


def errors_of(result) -> list[tuple[int, str]]:
    return [(error.line, error.field) for error in result.errors]


def test_a_good_file_creates_final_journeys_observed_by_the_importer(importer, service, area):
    rows = [
        row(service, area, "J1", title="Ask", pain_point_category="waiting", pain_point="All day"),
        row(service, area, "J1", title="Pay", fees="70.5", visits=2),
        row(service, area, "J2", title="Collect"),
    ]

    result = import_journeys(source=csv_file(rows), by=importer, file_name="j.csv")

    assert result.ok and (result.created, result.skipped_duplicates) == (2, 0)
    first = Journey.objects.get(ref="J1")
    assert (first.status, first.observer, first.service, first.area) == (
        JourneyStatus.FINAL, importer, service, area,
    )  # fmt: skip
    assert [s.title for s in first.steps.order_by("position")] == ["Ask", "Pay"]
    tcv = journey_tcv(first)
    assert (tcv.days, tcv.cost, tcv.visits, tcv.documents) == (
        Decimal("5.00"), Decimal("270.50"), 3, 6,
    )  # fmt: skip
    pain = PainPoint.objects.get()
    assert (pain.journey_step.title, pain.category, pain.description) == (
        "Ask",
        "waiting",
        "All day",
    )
    audit = BulkImport.objects.get()
    assert (audit.kind, audit.by, audit.rows, audit.counts) == (
        "services.journeys", importer, 3, {"created": 2, "skipped_duplicates": 0},
    )  # fmt: skip
    assert len(audit.digest) == 64 and audit.file_name == "j.csv"


def test_pain_points_land_on_their_own_steps_across_write_batches(
    importer, service, area, monkeypatch
):
    monkeypatch.setattr("innohub.services.importer.JOURNEY_BATCH", 2)  # 5 journeys, 3 batches
    with_pain = {("J1", 0), ("J2", 2), ("J3", 1), ("J5", 0), ("J5", 2)}
    rows = [
        row(
            service, area, ref, title=f"{ref} step {position}",
            pain_point_category="waiting" if (ref, position) in with_pain else "",
            pain_point=f"{ref} pain {position}" if (ref, position) in with_pain else "",
        )
        for ref in ("J1", "J2", "J3", "J4", "J5")
        for position in range(3)
    ]  # fmt: skip

    result = import_journeys(source=csv_file(rows), by=importer)

    assert result.ok and result.created == 5
    landed = {
        (pain.journey_step.journey.ref, pain.journey_step.position, pain.journey_step.title)
        for pain in PainPoint.objects.select_related("journey_step__journey")
        if pain.description == f"{pain.journey_step.journey.ref} pain {pain.journey_step.position}"
    }
    assert landed == {(ref, position, f"{ref} step {position}") for ref, position in with_pain}
    assert PainPoint.objects.count() == len(with_pain)


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"visits": -1}, "visits"),
        ({"fees": "-0.01"}, "fees"),
        ({"elapsed_days": "two"}, "elapsed_days"),
        ({"citizen_hours": ""}, "citizen_hours"),
        ({"documents": "1.5"}, "documents"),
        ({"travel_cost": "1.005"}, "travel_cost"),
        ({"other_cost": "1000000000000"}, "other_cost"),
        ({"visits": 10_001}, "visits"),
        ({"method": "guess"}, "method"),
        ({"phase": "during"}, "phase"),
        ({"phase": "baseline"}, "pilot"),  # the baseline of no pilot
        ({"pilot": "4"}, "phase"),  # a pilot, but the phase "none"
        ({"observed_on": "01/03/2025"}, "observed_on"),
        ({"area": "XX-99"}, "area"),
        ({"service": "99999"}, "service"),
        ({"title": ""}, "title"),
        ({"office": "a\x00b"}, "office"),
        ({"pain_point_category": "boredom"}, "pain_point_category"),
        ({"journey_ref": ""}, "journey_ref"),
        ({"journey_ref": "id:abc"}, "journey_ref"),
    ],
)
def test_each_bad_value_is_reported_with_its_line_and_column_and_nothing_is_written(
    importer, service, area, values, column
):
    rows = [row(service, area, "J1"), row(service, area, "J2"), row(service, area, "J3", **values)]

    result = import_journeys(source=csv_file(rows), by=importer)

    assert errors_of(result) == [(4, column)]
    assert result.errors[0].message
    assert Journey.objects.count() == 0 and JourneyStep.objects.count() == 0
    # The refusal is in the audit trail: who tried which file, how many errors.
    audit = BulkImport.objects.get()
    assert (audit.outcome, audit.errors_total, audit.rows, audit.by) == (
        "refused",
        1,
        3,
        importer,
    )
    assert audit.kind == "services.journeys" and len(audit.digest) == 64


def test_an_area_code_is_found_in_any_case(importer, service, area):
    lower = row(service, area, "J1", area="bd-13")
    result = import_journeys(source=csv_file([lower]), by=importer)
    assert result.ok, result.errors
    assert Journey.objects.get(ref="J1").area == area


def test_a_day_in_the_future_is_refused(importer, service, area):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    result = import_journeys(
        source=csv_file([row(service, area, observed_on=tomorrow.isoformat())]), by=importer
    )
    assert errors_of(result) == [(2, "observed_on")]


def test_today_in_the_deployments_time_zone_is_accepted(importer, service, area):
    today = timezone.localdate().isoformat()
    result = import_journeys(source=csv_file([row(service, area, observed_on=today)]), by=importer)
    assert result.ok and result.created == 1


def test_every_bad_row_is_listed_in_file_order(importer, service, area):
    rows = [
        row(service, area, "J1", visits=-1, fees="x"),
        row(service, area, "J1"),
        row(service, area, "J2", area="NOPE"),
        row(service, area, "J2", area="NOPE"),
    ]
    result = import_journeys(source=csv_file(rows), by=importer)
    assert errors_of(result) == [(2, "fees"), (2, "visits"), (4, "area"), (5, "area")]
    assert Journey.objects.count() == 0


@pytest.mark.parametrize("column", ["visits", "journey_ref", "pilot"])
def test_a_missing_column_is_reported_on_the_header_line(importer, service, area, column):
    header = [name for name in HEADER if name != column]
    result = import_journeys(source=csv_file([row(service, area)], header=header), by=importer)
    assert errors_of(result) == [(1, column)]
    assert Journey.objects.count() == 0


def test_an_unknown_column_is_reported_on_the_header_line(importer, service, area):
    header = [*HEADER, "colour"]
    result = import_journeys(source=csv_file([row(service, area)], header=header), by=importer)
    assert errors_of(result) == [(1, "colour")]


def test_journey_columns_that_disagree_within_a_ref_are_reported(importer, service, area):
    rows = [
        row(service, area, "J1"),
        row(service, area, "J1", observed_on="2025-03-02"),
        row(service, area, "J1", method="citizen_interview"),
    ]
    result = import_journeys(source=csv_file(rows), by=importer)
    assert errors_of(result) == [(3, "observed_on"), (4, "method")]
    assert Journey.objects.count() == 0


def test_a_ref_that_comes_back_after_another_is_reported(importer, service, area):
    rows = [row(service, area, "J1"), row(service, area, "J2"), row(service, area, "J1")]
    result = import_journeys(source=csv_file(rows), by=importer)
    assert errors_of(result) == [(4, "journey_ref")]


def test_line_numbers_count_physical_lines_of_quoted_multi_line_cells(importer, service, area):
    rows = [row(service, area, "J1", title="Two\nlines"), row(service, area, "J2", visits="x")]
    result = import_journeys(source=csv_file(rows), by=importer)
    assert errors_of(result) == [(4, "visits")]


def test_a_file_that_is_not_utf8_is_refused(importer, service, area):
    data = (
        csv_file([row(service, area, title="caf\xe9")])
        .getvalue()
        .replace("café".encode(), b"caf\xe9")
    )
    result = import_journeys(source=io.BytesIO(data), by=importer)
    assert not result.ok and "UTF-8" in result.errors[0].message
    assert Journey.objects.count() == 0


def test_each_cell_that_is_not_utf8_is_reported_on_its_column_and_reading_goes_on(
    importer, service, area
):
    rows = [
        row(service, area, "J1", title="caf\xe9"),
        row(service, area, "J2", visits=-1),
        row(service, area, "J3", office="b\xe2timent"),
    ]
    data = csv_file(rows).getvalue()
    data = data.replace("café".encode(), b"caf\xe9").replace("bâtiment".encode(), b"b\xe2timent")
    result = import_journeys(source=io.BytesIO(data), by=importer)
    assert errors_of(result) == [(2, "title"), (3, "visits"), (4, "office")]
    assert Journey.objects.count() == 0


def test_an_empty_file_is_refused(importer):
    result = import_journeys(source=io.BytesIO(b""), by=importer)
    assert errors_of(result) == [(1, "")]


def test_a_byte_order_mark_and_crlf_line_ends_are_read(importer, service, area):
    data = b"\xef\xbb\xbf" + csv_file([row(service, area)]).getvalue().replace(b"\r\n", b"\n")
    data = data.replace(b"\n", b"\r\n")
    result = import_journeys(source=io.BytesIO(data), by=importer)
    assert result.ok and result.created == 1


def test_importing_the_same_file_twice_creates_nothing_new(importer, service, area):
    rows = [row(service, area, "J1"), row(service, area, "J1", title="b"), row(service, area, "J2")]
    import_journeys(source=csv_file(rows), by=importer)

    again = import_journeys(source=csv_file(rows), by=importer)

    assert again.ok and (again.created, again.skipped_duplicates) == (0, 2)
    assert Journey.objects.count() == 2 and JourneyStep.objects.count() == 3


def test_same_values_written_differently_are_the_same_content(importer, service, area):
    import_journeys(source=csv_file([row(service, area, fees="10", visits="1")]), by=importer)
    again = import_journeys(
        source=csv_file([row(service, area, fees="10.00", visits="01")]), by=importer
    )
    assert again.ok and (again.created, again.skipped_duplicates) == (0, 1)


def test_a_known_ref_with_different_content_is_an_error_not_an_overwrite(importer, service, area):
    import_journeys(
        source=csv_file([row(service, area, "J1"), row(service, area, "J2")]), by=importer
    )
    rows = [row(service, area, "J1"), row(service, area, "J2", fees="11")]

    result = import_journeys(source=csv_file(rows), by=importer)

    assert errors_of(result) == [(3, "journey_ref")]
    assert JourneyStep.objects.get(journey__ref="J2").fees == Decimal("100.00")


def test_the_same_ref_in_another_service_is_another_journey(importer, service, area):
    other = ServiceFactory()
    import_journeys(source=csv_file([row(service, area, "J1")]), by=importer)
    result = import_journeys(source=csv_file([row(other, area, "J1")]), by=importer)
    assert result.ok and result.created == 1


def test_an_id_ref_of_an_existing_journey_with_the_same_content_creates_nothing(
    importer, service, area
):
    journey = JourneyFactory(
        service=service, area=area, ref="", observed_on=datetime.date(2025, 3, 1)
    )
    JourneyStepFactory(journey=journey, title="Apply at the land office", position=0, actor="citizen",
                       documents=3, elapsed_days=Decimal("2.5"), citizen_hours=4, fees=100,
                       travel_cost=50, other_cost=0, visits=1)  # fmt: skip

    result = import_journeys(source=csv_file([row(service, area, f"id:{journey.pk}")]), by=importer)

    assert result.ok and (result.created, result.skipped_duplicates) == (0, 1)
    different = import_journeys(
        source=csv_file([row(service, area, f"id:{journey.pk}", visits=9)]), by=importer
    )
    assert errors_of(different) == [(2, "journey_ref")]


def test_an_id_ref_unknown_here_creates_a_journey_without_a_ref(importer, service, area):
    result = import_journeys(source=csv_file([row(service, area, "id:424242")]), by=importer)
    assert result.ok and result.created == 1
    assert Journey.objects.get().ref == ""


def test_an_id_prefix_in_capitals_is_the_same_prefix_as_on_the_edit_form(importer, service, area):
    # A file once created a journey with ref "ID:7" that the journey's own edit form refused.
    result = import_journeys(source=csv_file([row(service, area, "ID:424242")]), by=importer)
    assert result.ok and result.created == 1
    journey = Journey.objects.get()
    assert journey.ref == ""
    # …and the capitalised prefix names the exported journey, as `id:` does.
    again = import_journeys(source=csv_file([row(service, area, f"ID:{journey.pk}")]), by=importer)
    assert again.ok and (again.created, again.skipped_duplicates) == (0, 1)


@pytest.mark.parametrize("ref", ["ID:seven", "Id:", "id:²", "id:٣", f"id:{2**63}", "id:0"])
def test_an_id_prefix_not_followed_by_a_journey_id_is_an_error_never_a_500(
    importer, service, area, ref
):
    result = import_journeys(source=csv_file([row(service, area, ref)]), by=importer)
    assert errors_of(result) == [(2, "journey_ref")]
    assert "id:42" in result.errors[0].message
    assert Journey.objects.count() == 0


def test_a_pain_point_is_at_most_2000_characters_as_on_every_other_path(importer, service, area):
    # The import used to accept 10,000 characters where the pages and the API allow 2,000.
    longest = row(service, area, "J1", pain_point_category="waiting", pain_point="x" * 2000)
    too_long = row(service, area, "J2", pain_point_category="waiting", pain_point="x" * 2001)
    result = import_journeys(source=csv_file([longest, too_long]), by=importer)
    assert errors_of(result) == [(3, "pain_point")]
    assert result.errors[0].message == "At most 2000 characters."
    assert import_journeys(source=csv_file([longest]), by=importer).created == 1


def test_an_anonymous_caller_may_not_import(service, area):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        import_journeys(source=csv_file([row(service, area)]), by=AnonymousUser())


def test_a_damaged_spreadsheet_is_refused_on_line_1(importer):
    result = import_journeys(
        source=io.BytesIO(b"PK\x03\x04 not really a zip"), by=importer, file_name="j.xlsx"
    )
    assert errors_of(result) == [(1, "")]
    assert "XLSX" in result.errors[0].message


def test_an_xlsx_file_with_numbers_and_dates_as_cells_is_read(importer, service, area):
    values = row(service, area, "J1", observed_on=datetime.date(2025, 3, 1), fees=70.5)
    bad = row(service, area, "J2", visits=True, elapsed_days=-1.5)
    data = _workbook([values, bad], write_only=False)

    result = import_journeys(source=io.BytesIO(data.getvalue()), by=importer, file_name="j.xlsx")

    assert errors_of(result) == [(3, "elapsed_days"), (3, "visits")]
    good = import_journeys(
        source=_without_last_row(data.getvalue()), by=importer, file_name="j.xlsx"
    )
    assert good.ok and JourneyStep.objects.get().fees == Decimal("70.50")


def _without_last_row(data: bytes) -> io.BytesIO:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook.active.delete_rows(3)
    out = io.BytesIO()
    workbook.save(out)
    return io.BytesIO(out.getvalue())


def test_a_large_import_refreshes_the_planners_statistics_on_postgresql(
    importer, service, area, monkeypatch, django_assert_num_queries
):
    from django.db import connection

    from innohub.services import importer as module

    monkeypatch.setattr(module, "ANALYZE_AFTER", 1)
    # The check: area codes, the service, journeys already there. The write's job: created,
    # claimed, read. PostgreSQL then opens one savepoint for the whole write. A batch:
    # savepoint, then on SQLite the lease renewed, the journey INSERTed and (one executemany)
    # its steps, on PostgreSQL the ids from the sequence and the rows COPYed (not a counted
    # query); release. The end: savepoint, (SQLite) the publish, the services of the journeys
    # written looked up, their versions bumped, their catalogue figures computed and written,
    # the record of the import, the job finished, release. Then the job read twice
    # (`jobs.run`) and what it staged looked for (nothing left); PostgreSQL ANALYZEs the two
    # tables.
    expected = 26 if connection.vendor == "postgresql" else 25
    with django_assert_num_queries(expected) as captured:
        result = import_journeys(source=csv_file([row(service, area)]), by=importer)
    assert result.ok and result.created == 1
    analyzed = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]
    assert len(analyzed) == (2 if connection.vendor == "postgresql" else 0)


def test_the_garbage_collector_is_back_on_after_an_import_however_it_ends(
    importer, service, area, monkeypatch
):
    assert gc.isenabled()
    seen: list[bool] = []
    import_journeys(
        source=csv_file([row(service, area)]),
        by=importer,
        progress=lambda rows: seen.append(gc.isenabled()),
    )
    assert seen == [False]  # paused while the rows are checked
    assert gc.isenabled()

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("innohub.services.importer.stage", fail)
    with pytest.raises(RuntimeError):
        import_journeys(source=csv_file([row(service, area, "J2")]), by=importer)
    assert gc.isenabled()


def test_an_import_leaves_a_paused_garbage_collector_paused(importer, service, area):
    gc.disable()
    try:
        result = import_journeys(source=csv_file([row(service, area)]), by=importer)
        assert result.created == 1
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_file_over_max_rows_is_left_unwritten_and_said_so(importer, service, area):
    rows = [row(service, area, f"J{n}") for n in range(4)]

    over = import_journeys(source=csv_file(rows), by=importer, max_rows=3)
    at_limit = import_journeys(source=csv_file(rows[:3]), by=importer, max_rows=3)

    assert over.over_max_rows and (over.created, over.errors) == (0, [])
    assert not at_limit.over_max_rows and at_limit.created == 3
    assert Journey.objects.count() == 3  # only the file within the limit
    assert BulkImport.objects.count() == 1


def test_a_file_within_max_rows_is_read_once(importer, service, area, monkeypatch):
    from innohub.services.importer import rows as module

    reads: list[str] = []
    real = module.records
    monkeypatch.setattr(
        module, "records", lambda source, kind: reads.append(kind) or real(source, kind)
    )

    result = import_journeys(source=csv_file([row(service, area)]), by=importer, max_rows=10)

    assert result.created == 1 and reads == ["csv"]


def _workbook(rows: list[dict[str, object]], *, write_only: bool) -> io.BytesIO:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    sheet.append(HEADER)
    for values in rows:
        sheet.append([values[name] for name in HEADER])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def test_a_workbooks_rows_are_counted_from_its_declared_size_when_it_has_one(service, area):
    rows = [row(service, area, f"J{n}") for n in range(5)]
    sized, unsized = _workbook(rows, write_only=False), _workbook(rows, write_only=True)

    assert count_rows(sized, "xlsx") == 5  # Excel's way: the sheet says A1:S6
    assert count_rows(unsized, "xlsx") == 5  # no size declared: read row by row
    assert sized.tell() == 0 and unsized.tell() == 0
    assert count_rows(io.BytesIO(b"not a workbook"), "xlsx") == 0
