"""Reading a workbook's first sheet (`innohub.core.xlsx`): hostile archives refused before
anything is parsed, sheets streamed in memory that does not grow with them, and cells read
as the spreadsheet typed them."""

from __future__ import annotations

import datetime
import io
import os
import time
import zipfile

import pytest

from innohub.core import xlsx
from innohub.core.imports import FileProblem, records
from tests.xlsx_files import (
    SHEET,
    bomb,
    declaring,
    inline_row,
    peak_memory,
    tall_sheet,
    with_sheet,
    workbook,
)

MiB = 1 << 20
UNREADABLE = "The file is not a readable XLSX workbook: save it again as .xlsx."


def problem_of(source: io.BytesIO) -> FileProblem:
    with pytest.raises(FileProblem) as raised:
        for _row in records(source, "xlsx"):
            pass  # kept nowhere: the memory measured is the reader's
    return raised.value


def test_a_workbook_that_would_expand_past_the_limit_is_refused_on_line_1_in_bounded_memory(
    settings,
):
    settings.IMPORT_MAX_XLSX_EXPANDED_BYTES = 256 * MiB
    data = bomb(expanded_mib=512)  # about 3.5 MB of file

    problem, peak = peak_memory(lambda: problem_of(data))

    assert (problem.error.line, problem.error.field) == (1, "")
    assert problem.error.message == (
        "The workbook expands to 512.0\xa0MB when opened; at most 256.0\xa0MB are accepted."
    )
    assert peak < 2 * MiB  # the archive's directory, not the sheet


def test_a_part_compressed_like_a_zip_bomb_is_refused_on_line_1_in_bounded_memory():
    data = bomb(expanded_mib=40)  # within the size limit, but compressed 150 times

    problem, peak = peak_memory(lambda: problem_of(data))

    assert problem.error.line == 1
    assert problem.error.message.startswith(f"The part “{SHEET}” of the workbook is compressed")
    assert "(at most 100 times)" in problem.error.message
    assert peak < 2 * MiB


def test_a_part_that_expands_past_what_its_archive_declares_is_not_read_past_it():
    data = declaring(tall_sheet(300_000), part=SHEET, size=MiB)  # about 10 MiB in truth

    problem, peak = peak_memory(lambda: problem_of(data))

    assert problem.error.message == UNREADABLE
    assert problem.error.line > 1000  # read to where the declared size ends, no further
    assert peak < 5 * MiB


def test_a_large_part_read_whole_is_refused():
    noise = os.urandom(10 * MiB).hex().encode()  # 20 MiB that do not compress
    styles = b"<styleSheet><x a='" + noise + b"'/></styleSheet>"
    data = io.BytesIO()

    with (
        zipfile.ZipFile(io.BytesIO(workbook([["x"]]))) as base,
        zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as book,
    ):
        for info in base.infolist():
            book.writestr(info, styles if info.filename == "xl/styles.xml" else base.read(info))

    problem = problem_of(data)

    assert problem.error.line == 1
    assert problem.error.message == (
        "The part “xl/styles.xml” of the workbook expands to 20.0\xa0MB; at most 16.0\xa0MB "
        "are accepted for it."
    )


def test_a_sheet_without_dimension_is_streamed_in_bounded_memory_and_stops_with_its_reader():
    data = tall_sheet(100_000)  # 3 MiB of XML: openpyxl parsed it whole before row 1

    def first_rows() -> list[tuple[int, list[object]]]:
        rows = records(data, "xlsx")
        head = [next(rows) for _ in range(3)]
        rows.close()
        return head

    started = time.perf_counter()
    head, peak_head = peak_memory(first_rows)
    elapsed = time.perf_counter() - started
    count, peak_all = peak_memory(lambda: sum(1 for _ in records(data, "xlsx")))

    assert head[0] == (1, ["x"]) and head[1][0] == 2 and isinstance(head[1][1][0], int)
    assert elapsed < 0.5  # not the whole sheet first
    assert count == 100_001
    assert peak_head < 2 * MiB and peak_all < 2 * MiB  # the same for 3 rows or all


def test_cells_keep_their_types_and_trailing_empty_cells_are_dropped():
    data = workbook(
        [
            ["name", "when", "amount", "yes", ""],
            ["Dhaka", datetime.date(2025, 3, 1), 70.5, True, None],
            [],
            ["ঢাকা", datetime.datetime(2025, 3, 1, 9, 30), 3, False, ""],
        ]
    )

    rows = list(records(io.BytesIO(data), "xlsx"))

    assert rows == [
        (1, ["name", "when", "amount", "yes"]),
        (2, ["Dhaka", datetime.datetime(2025, 3, 1), 70.5, True]),
        (3, []),
        (4, ["ঢাকা", datetime.datetime(2025, 3, 1, 9, 30), 3, False]),
    ]


def test_rows_the_sheet_leaves_out_are_read_as_empty_ones():
    body = b'<row r="1"><c r="B1" t="inlineStr"><is><t>a</t></is></c></row>'
    body += b'<row r="4"><c r="A4"><v>2</v></c></row>'

    rows = list(records(with_sheet([body]), "xlsx"))

    assert rows == [(1, [None, "a"]), (2, []), (3, []), (4, [2])]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'<row r="2000000"><c><v>1</v></c></row>', id="beyond Excel's last row"),
        pytest.param(b'<row><c r="XFE2"><v>1</v></c></row>', id="beyond Excel's last column"),
        pytest.param(b"<row>" + b"<c><v>1</v></c>" * 60_000 + b"</row>", id="too many cells"),
        pytest.param(b"<row><c><v>1</v></c><c>", id="cut short"),
    ],
)
def test_a_sheet_no_spreadsheet_would_write_is_refused_where_it_goes_wrong(body):
    source = with_sheet([inline_row(["x"]), body])

    problem = problem_of(source)

    assert (problem.error.line, problem.error.message) == (2, UNREADABLE)


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 not really a zip", b"", b"plain text", b"PK\x05\x06" + b"\xff" * 18]
)
def test_a_file_that_is_no_workbook_is_refused_on_line_1(content):
    problem = problem_of(io.BytesIO(content))

    assert (problem.error.line, problem.error.message) == (1, UNREADABLE)


def test_the_declared_rows_are_read_from_the_sheets_start_only():
    sized = io.BytesIO(workbook([["x"], [1], [2]]))
    unsized = tall_sheet(300_000)
    huge = with_sheet([b"<row><c><v>1</v></c></row>"], dimension="A1:S1048576")

    assert xlsx.declared_rows(sized) == 3 and sized.tell() == 0
    declared, peak = peak_memory(lambda: xlsx.declared_rows(unsized))
    assert declared is None and peak < MiB
    assert xlsx.declared_rows(huge) == 1_048_576
    assert xlsx.declared_rows(bomb(expanded_mib=40)) is None
    assert xlsx.declared_rows(io.BytesIO(b"not a workbook")) is None


def test_shared_strings_are_looked_up_from_their_file():
    data = workbook([["same", "other"], ["same", "third"]])

    rows = list(records(io.BytesIO(data), "xlsx"))

    assert rows == [(1, ["same", "other"]), (2, ["same", "third"])]
    with pytest.raises(IndexError):
        xlsx.SharedStrings(io.BytesIO(b"<sst xmlns='x'/>"))[0]


def test_cells_are_what_openpyxls_own_reader_gives():
    import openpyxl

    data = workbook(
        [
            ["text", "ঢাকা", "", None, "=1+1"],
            [1, 2.5, -3e-5, True, datetime.date(1900, 3, 1)],
            [datetime.datetime(2025, 12, 31, 23, 59, 59), datetime.time(9, 30), "x"],
        ]
    )
    expected = [
        list(row)
        for row in openpyxl.load_workbook(io.BytesIO(data), data_only=True).active.iter_rows(
            values_only=True
        )
    ]

    rows = [cells for _number, cells in records(io.BytesIO(data), "xlsx")]

    assert rows == [row[: len(cells)] for row, cells in zip(expected, rows, strict=True)]
    dropped = [row[len(cells) :] for row, cells in zip(expected, rows, strict=True)]
    assert [len(cells) for cells in rows] == [2, 5, 3]  # no value in "" nor an uncached formula
    assert all(value in (None, "") for values in dropped for value in values)
