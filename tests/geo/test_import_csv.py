from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection

from innohub.core.imports import RowError, not_utf8_message
from innohub.core.models import BulkImport
from innohub.geo.importer import import_areas_csv
from innohub.geo.models import Area, Level
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name,name_local,level,parent_code,population,hourly_wage,wage_currency\n"


def csv_file(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode()


def run(content: bytes | str, by=None):
    return import_areas_csv(file=content, by=by, file_name="areas.csv")


def errors_of(content: bytes | str) -> list[tuple[int, str]]:
    result = run(content)
    assert not result.ok
    return [(error.line, error.field) for error in result.errors]


# --- What a good file does -----------------------------------------------------------------


def test_rows_whose_parents_are_earlier_in_the_file_get_the_right_paths(bangladesh):
    content = csv_file(
        "BD-13-DHAMRAI,Dhamrai,ধামরাই,subdistrict,BD-13,412418,,",
        "BD-13-DHAMRAI-KULLA,Kulla,কুল্লা,union,BD-13-DHAMRAI,,70.00,BDT",
        "BD-13-DHAMRAI-SUAPUR,Suapur,,union,BD-13-DHAMRAI,,65.5,bdt",
    )

    result = run(content)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    dhaka = bangladesh["BD-13"]
    dhamrai = Area.objects.get(code="BD-13-DHAMRAI")
    kulla = Area.objects.get(code="BD-13-DHAMRAI-KULLA")
    assert dhamrai.parent == dhaka
    assert dhamrai.path == f"{dhaka.path}{dhamrai.pk}/"
    assert (dhamrai.depth, kulla.depth) == (3, 4)
    assert kulla.path == f"{dhamrai.path}{kulla.pk}/"
    assert kulla.name_local == "কুল্লা"
    assert kulla.hourly_wage == Decimal("70.00")
    assert Area.objects.get(code="BD-13-DHAMRAI-SUAPUR").wage_currency == "BDT"
    assert dhamrai.population == 412418
    below_dhaka = set(Area.objects.descendants_of(dhaka).values_list("code", flat=True))
    assert {"BD-13-DHAMRAI", "BD-13-DHAMRAI-KULLA", "BD-13-DHAMRAI-SUAPUR"} <= below_dhaka


def test_a_whole_tree_can_come_from_one_file():
    content = csv_file(
        "XK,Kosovo,,country,,,,",
        "XK-01,Prishtina,Prishtinë,division,XK,,,",
        "XK-01-01,Center,,district,XK-01,,,",
    )

    assert run(content).created == 3
    district = Area.objects.get(code="XK-01-01")
    assert [area.code for area in district.ancestors()] == ["XK", "XK-01"]


def test_importing_the_same_file_twice_creates_nothing(bangladesh):
    content = csv_file(
        "BD-13-DHAMRAI,Dhamrai,ধামরাই,subdistrict,BD-13,412418,70,BDT",
        "BD-13-DHAMRAI-KULLA,Kulla,কুল্লা,union,BD-13-DHAMRAI,,,",
    )
    run(content)
    before = list(Area.objects.values_list("code", "path", "modified").order_by("code"))

    result = run(content)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Area.objects.values_list("code", "path", "modified").order_by("code")) == before


def test_an_existing_code_with_other_values_is_updated_and_counted(bangladesh):
    content = csv_file(
        "BD-13-SAVAR,Savar Upazila,সাভার,subdistrict,BD-13,1442884,80.00,BDT",
        "BD-13-SAVAR-ASHULIA,Ashulia,আশুলিয়া,union,BD-13-SAVAR,,,",
    )

    result = run(content)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    savar = Area.objects.get(code="BD-13-SAVAR")
    assert (savar.name, savar.population, savar.hourly_wage) == (
        "Savar Upazila",
        1442884,
        Decimal("80.00"),
    )


def test_moving_an_area_moves_everything_below_it(bangladesh):
    content = csv_file("BD-13-SAVAR,Savar,সাভার,district,BD-A,,,")

    result = run(content)

    assert result.updated == 1
    barishal = bangladesh["BD-A"]
    savar = Area.objects.get(code="BD-13-SAVAR")
    ashulia = Area.objects.get(code="BD-13-SAVAR-ASHULIA")
    assert savar.parent == barishal
    assert ashulia.path == f"{barishal.path}{savar.pk}/{ashulia.pk}/"
    assert not Area.objects.descendants_of(bangladesh["BD-13"], include_self=False).exists()


def test_a_byte_order_mark_blank_lines_and_text_input_are_fine(bangladesh):
    text = "\ufeff" + HEADER + "\nBD-13-KERANIGANJ,Keraniganj,কেরানীগঞ্জ,subdistrict,BD-13,,,\n\n"

    result = import_areas_csv(file=io.StringIO(text), by=None)

    assert result.ok, result.errors
    assert result.created == 1


def test_a_successful_import_leaves_one_audit_entry(bangladesh, programme_manager):
    content = csv_file("BD-13-DOHAR,Dohar,দোহার,subdistrict,BD-13,,,")

    run(content, by=programme_manager)

    entry = BulkImport.objects.get()
    assert entry.kind == "geo.areas"
    assert entry.by == programme_manager
    assert entry.file_name == "areas.csv"
    assert entry.rows == 1
    assert entry.counts == {"created": 1, "updated": 0, "unchanged": 0}
    assert len(entry.digest) == 64


def test_a_civil_servant_may_not_import(civil_servant):
    with pytest.raises(PermissionDenied):
        run(csv_file("XK,Kosovo,,country,,,,"), by=civil_servant)
    assert not Area.objects.exists()


# --- What a bad file gets: every problem, with its line and column, and nothing imported ----


def test_nothing_is_imported_from_a_file_with_one_bad_row(bangladesh):
    before = Area.objects.count()
    content = csv_file(
        "BD-13-DHAMRAI,Dhamrai,,subdistrict,BD-13,,,",
        "BD-13-DOHAR,Dohar,,subdistrict,BD-13,-5,,",
        "BD-13-NAWABGANJ,Nawabganj,,subdistrict,BD-13,,,",
    )

    result = run(content)

    assert result.errors == [RowError(3, "population", "A population cannot be negative.")]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert Area.objects.count() == before
    refused = BulkImport.objects.get()  # the refusal is in the audit trail, with its errors
    assert (refused.outcome, refused.errors_total, refused.rows, refused.counts) == (
        "refused",
        1,
        3,
        {},
    )


def test_an_unreadable_file_is_recorded_as_refused_too():
    result = run(b"\xff\xfe not a csv at all")
    assert result.errors and not Area.objects.exists()
    assert BulkImport.objects.get().outcome == "refused"


def test_every_bad_row_is_reported_with_its_line_and_column(bangladesh):
    content = csv_file(
        "BD-13-X1,Fine,,subdistrict,BD-13,,,",  # line 2
        "BD-13-X2,Orphan,,subdistrict,BD-99,,,",  # 3: unknown parent
        "BD-13-X3,Upside down,,district,BD-13-SAVAR,,,",  # 4: level not below parent's
        "BD-13-X4,Odd,,ward,BD-13,,,",  # 5: unknown level
        "BD-13-X1,Twice,,subdistrict,BD-13,,,",  # 6: duplicate code
        f"{'X' * 33},Long,,subdistrict,BD-13,,,",  # 7: code too long
        ",No code,,subdistrict,BD-13,,,",  # 8: empty code
        "BD-13-X5,Minus,,subdistrict,BD-13,-1,,",  # 9: negative population
        "BD-13-X6,Words,,subdistrict,BD-13,many,,",  # 10: non-numeric population
        "BD-13-X7,Wage,,subdistrict,BD-13,,-3.50,BDT",  # 11: negative wage
        "BD-13-X8,Wage,,subdistrict,BD-13,,lots,BDT",  # 12: non-numeric wage
        "BD-13-X9,Wage,,subdistrict,BD-13,,70.00,",  # 13: wage without currency
        "BD-13-X10,Nul\x00,,subdistrict,BD-13,,,",  # 14: NUL
        "BD-13-X11,Money,,subdistrict,BD-13,,70.00,XYZ",  # 15: unknown currency
        "BD-13-X12,Half,,subdistrict,BD-13,12.5,,",  # 16: not a whole number
    )

    assert errors_of(content) == [
        (3, "parent_code"),
        (4, "level"),
        (5, "level"),
        (6, "code"),
        (7, "code"),
        (8, "code"),
        (9, "population"),
        (10, "population"),
        (11, "hourly_wage"),
        (12, "hourly_wage"),
        (13, "wage_currency"),
        (14, "name"),
        (15, "wage_currency"),
        (16, "population"),
    ]
    assert not Area.objects.filter(code__startswith="BD-13-X").exists()


def test_messages_say_what_is_wrong(bangladesh):
    content = csv_file(
        "BD-13-X2,Orphan,,subdistrict,BD-99,,,",
        "BD-13-X3,Upside down,,district,BD-13-SAVAR,,,",
        "BD-13-X3,Again,,union,BD-13-SAVAR,,,",
        "BD-13-X4,Odd,,ward,BD-13,,,",
    )

    messages = [error.message for error in run(content).errors]

    assert messages == [
        "Unknown parent code “BD-99”: it is neither in innohub nor on an earlier line.",
        "A district cannot sit under a subdistrict.",
        "“BD-13-X3” appears twice in the file (first on line 3).",
        "Unknown level “ward”: use one of country, division, district, subdistrict, union.",
    ]


def test_a_parent_later_in_the_file_is_unknown():
    content = csv_file("XK-01,Prishtina,,division,XK,,,", "XK,Kosovo,,country,,,,")

    assert errors_of(content) == [(2, "parent_code")]


def test_a_child_of_a_bad_row_is_not_reported_for_its_parent():
    content = csv_file("XK,Kosovo,,country,,-1,,", "XK-01,Prishtina,,division,XK,,,")

    assert errors_of(content) == [(2, "population")]


def test_only_a_country_stands_without_a_parent():
    assert errors_of(csv_file("XK-01,Prishtina,,division,,,,")) == [(2, "parent_code")]


def test_lowering_the_level_of_an_area_above_its_sub_areas_is_refused(bangladesh):
    # Savar holds a union: it cannot become a union itself.
    content = csv_file("BD-13-SAVAR,Savar,,union,BD-13,,,")

    result = run(content)

    assert [(e.line, e.field) for e in result.errors] == [(2, "level")]
    assert "BD-13-SAVAR-ASHULIA" in result.errors[0].message


def test_bad_utf8_is_reported_on_its_line_not_a_crash(bangladesh):
    content = csv_file("BD-13-DOHAR,Dohar,,subdistrict,BD-13,,,") + (
        b"BD-13-KERANI,Keraniganj,\xe0\xa6\x95\xff\xfe,subdistrict,BD-13,,,\n"
    )

    result = run(content)

    assert [(e.line, e.field) for e in result.errors] == [(3, "name_local")]
    assert "UTF-8" in result.errors[0].message
    assert not Area.objects.filter(code="BD-13-DOHAR").exists()


def test_two_bad_utf8_cells_on_different_lines_are_each_reported_on_their_column(bangladesh):
    content = csv_file("BD-13-DOHAR,Dohar,,subdistrict,BD-13,,,") + (
        b"BD-13-KERANI,Keran\xffiganj,,subdistrict,BD-13,,,\n"  # line 3: the name
        b"BD-13-NAWAB,Nawabganj,\xe0\xa6\x95\xe0,subdistrict,BD-13,,,\n"  # line 4: the local name
    )

    result = run(content)

    assert [(e.line, e.field, e.message) for e in result.errors] == [
        (3, "name", not_utf8_message()),
        (4, "name_local", not_utf8_message()),
    ]
    assert not Area.objects.filter(code__in=["BD-13-DOHAR", "BD-13-KERANI", "BD-13-NAWAB"]).exists()


def test_a_file_in_another_encoding_is_reported():
    content = HEADER.encode() + "XK,Kosovë,,country,,,,\n".encode("latin-1")

    assert errors_of(content) == [(2, "name")]


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_reported(content):
    result = run(content)

    assert [(e.line, e.field, e.message) for e in result.errors] == [(1, "", "The file is empty.")]


def test_a_header_without_rows_is_reported():
    assert errors_of(HEADER.encode()) == [(2, "")]


def test_unknown_and_missing_columns_are_named():
    content = b"code,name,level,parent_code,population,hourly_wage,wage_currency,colour\nXK,Kosovo,country,,,,,red\n"

    result = run(content)

    assert [(e.line, e.field) for e in result.errors] == [(1, "colour"), (1, "name_local")]
    assert result.errors[0].message.startswith("Unknown column “colour”")
    assert result.errors[1].message == "The column “name_local” is missing."


def test_columns_may_come_in_any_order():
    content = b"name,code,level,parent_code,name_local,population,hourly_wage,wage_currency\nKosovo,XK,country,,,1586659,,\n"

    assert run(content).created == 1
    assert Area.objects.get(code="XK").population == 1586659


def test_a_line_with_too_many_or_too_few_values_is_reported():
    content = csv_file("XK,Kosovo,,country,,,,,extra", "XK-01,Prishtina")

    assert errors_of(content) == [(2, ""), (3, "")]


def test_line_numbers_count_physical_lines_of_quoted_values():
    content = csv_file('XK,"Kosovo\nRepublic",,country,,,,', "XK-01,Prishtina,,division,XK,-1,,")

    assert errors_of(content) == [(4, "population")]


def test_a_nul_in_the_code_is_reported_on_the_code():
    assert errors_of(csv_file("X\x00K,Kosovo,,country,,,,")) == [(2, "code")]


# --- The command -----------------------------------------------------------------------------


def test_command_imports_a_file_and_reports_counts(tmp_path, capsys):
    path = tmp_path / "areas.csv"
    path.write_bytes(csv_file("XK,Kosovo,,country,,,,"))

    call_command("import_areas", str(path))

    assert "1 created, 0 updated, 0 unchanged." in capsys.readouterr().out


def test_command_lists_every_problem_and_fails(tmp_path, capsys):
    path = tmp_path / "areas.csv"
    path.write_bytes(csv_file("XK,Kosovo,,country,,-1,,", "XK-01,Prishtina,,ward,XK,,,"))

    with pytest.raises(CommandError, match="Nothing imported: 2 problem"):
        call_command("import_areas", str(path))

    err = capsys.readouterr().err
    assert "line 2, column population: A population cannot be negative." in err
    assert "line 3, column level: Unknown level “ward”" in err
    assert not Area.objects.exists()


def test_command_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_areas", str(tmp_path / "missing.csv"))


# --- Size --------------------------------------------------------------------------------------


def test_five_thousand_subdistricts_and_unions_import_in_a_query_a_batch_not_a_row(
    django_assert_num_queries,
):
    AreaFactory(code="BD", level=Level.COUNTRY)
    lines = []
    for d in range(1, 9):
        lines.append(f"BD-D{d},Division {d},,division,BD,,,")
        for s in range(1, 61):
            lines.append(f"BD-D{d}-S{s},Subdistrict {d}.{s},,district,BD-D{d},,,")
            for u in range(1, 10):
                lines.append(f"BD-D{d}-S{s}-U{u},Union {d}.{s}.{u},,union,BD-D{d}-S{s},,70,BDT")
    assert len(lines) > 4_800

    # Batched, never one a row: savepoint, 10 reads of the codes already there, the INSERTs,
    # 11 path updates, the import's record, release. PostgreSQL INSERTs the 500 rows of a batch
    # at once (11 INSERTs: 1, 1 and 9 for the three levels); SQLite's 999 parameters a
    # statement hold 83 rows of 12 columns (60 INSERTs: 1, 6 and 53).
    inserts = 11 if connection.vendor == "postgresql" else 60
    with django_assert_num_queries(24 + inserts):
        result = run(csv_file(*lines))

    assert result.ok, result.errors[:3]
    assert result.created == len(lines)
    union = Area.objects.get(code="BD-D3-S7-U2")
    assert [a.code for a in union.ancestors()] == ["BD", "BD-D3", "BD-D3-S7"]
    assert run(csv_file(*lines)).unchanged == len(lines)

    # A new wage for every union: updated by value, not row by row (savepoint, 10 reads, an
    # UPDATE for each of the 9 batches of unions, the import's record, release).
    raised = [line.replace(",70,BDT", ",75,BDT") for line in lines]
    with django_assert_num_queries(22):
        result = run(csv_file(*raised))

    assert (result.updated, result.unchanged) == (8 * 60 * 9, 8 + 8 * 60)
    assert Area.objects.get(code="BD-D3-S7-U2").hourly_wage == 75


def test_a_header_with_a_comma_too_many_is_reported():
    result = run(HEADER.replace("\n", ",\n") + "XK,Kosovo,,country,,,,,\n")

    assert [(e.line, e.field) for e in result.errors] == [(1, "")]
    assert "comma too many" in result.errors[0].message
