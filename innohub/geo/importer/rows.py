"""Reading an area file: the records streamed by `innohub.core.imports`, the header checked
against `COLUMNS`, and each row's own checks (its cells, as text, numbers and codes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from innohub.core.imports import (
    FileProblem,
    RowError,
    RowErrors,
    cell_text,
    check_header,
    csv_records,
    has_content,
    not_utf8_message,
    undecodable,
    width_error,
)
from innohub.core.text import nul_message

from ..models import CODE_MAX_LENGTH, LEVEL_RANK, POPULATION_MAX, Level, is_known_currency

COLUMNS = (
    "code",
    "name",
    "name_local",
    "level",
    "parent_code",
    "population",
    "hourly_wage",
    "wage_currency",
)
NAME_MAX_LENGTH = 200
_WHOLE_NUMBER = re.compile(r"\d+")
# Up to 12 digits before the point and 2 after (docs/api.md's size for money).
_MONEY = re.compile(r"\d{1,12}(\.\d{1,2})?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass
class Row:
    line: int
    code: str
    parent_code: str
    values: dict[str, Any]
    # False when the row has errors of its own: it can still be a parent in the checks
    # (so its children are not reported for a parent that is there), but it is not written.
    valid: bool = True

    @property
    def level(self) -> str:
        return str(self.values["level"])


def read(source: IO[bytes]) -> tuple[list[Row], int, RowErrors, bool]:
    """The rows, how many there are (blank lines are none), the problems found within single
    rows, and whether the rows could be read at all (False for an empty file or a bad header:
    then there is nothing more to check)."""
    records = csv_records(source)
    rows: list[Row] = []
    count = 0
    errors = RowErrors()
    try:
        first = next(records, None)
        # Blank lines only are an empty file; a blank first line before rows, a bad header.
        if first is None or not (
            has_content(first[1]) or any(has_content(cells) for _line, cells in records)
        ):
            errors.append(RowError(1, "", _("The file is empty.")))
            return [], 0, errors, False
        header = first[1]
        index, header_errors = check_header(header, required=COLUMNS)
        if undecodable(header):
            errors.append(RowError(1, "", not_utf8_message()))
        errors.extend(header_errors)
        if errors:
            return [], 0, errors, False
        column_at = {position: name for name, position in index.items()}
        for line, cells in records:
            if not has_content(cells):
                continue  # a blank line is not an area
            count += 1
            if len(cells) != len(header):
                errors.append(width_error(line, found=len(cells), expected=len(header)))
                continue
            record = {name: cells[position] for name, position in index.items()}
            not_utf8 = {column_at[position] for position in undecodable(cells)}
            row, row_errors = _parse_row(line, record, not_utf8)
            errors.extend(row_errors)
            if row is not None:
                rows.append(row)
    except FileProblem as problem:
        # An unclosed quote swallows the rest of the file: nothing after it can be read.
        errors.append(problem.error)
        if problem.error.line == 1:
            return [], count, errors, False
    if not rows and not errors:
        errors.append(RowError(2, "", _("The file has a header but no areas.")))
        return [], count, errors, False
    return rows, count, errors, True


def _parse_row(
    line: int, record: dict[str, str], not_utf8: set[str]
) -> tuple[Row | None, list[RowError]]:
    """The row's values, and its problems (`not_utf8`: the columns that held bytes that are
    not UTF-8). No row when its code is unusable: it cannot be checked against others."""
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    cells: dict[str, str] = {}
    for column in COLUMNS:
        value = cell_text(record[column])
        if "\x00" in value:
            fail(column, nul_message())
            value = ""
        elif column in not_utf8:
            fail(column, not_utf8_message())
            value = ""
        cells[column] = value
    failed = {error.field for error in errors}

    code = cells["code"]
    if not code and "code" not in failed:
        fail("code", _("Give a code."))
    elif len(code) > CODE_MAX_LENGTH:
        message = _("The code has %(length)d characters; at most %(max)d are allowed.")
        fail("code", message % {"length": len(code), "max": CODE_MAX_LENGTH})
    if not cells["name"] and "name" not in failed:
        fail("name", _("Give a name."))
    for column in ("name", "name_local"):
        if len(cells[column]) > NAME_MAX_LENGTH:
            fail(column, _("At most %(max)d characters.") % {"max": NAME_MAX_LENGTH})
    level = cells["level"].lower()
    if level not in LEVEL_RANK and "level" not in failed:
        message = _("Unknown level “%(level)s”: use one of %(levels)s.")
        fail("level", message % {"level": cells["level"], "levels": ", ".join(Level.values)})
    population = _parse_population(cells["population"], fail)
    hourly_wage = _parse_wage(cells["hourly_wage"], fail)
    currency = cells["wage_currency"].upper()
    if currency and not is_known_currency(currency):
        message = _("“%(code)s” is not an ISO 4217 currency code (for example BDT).")
        fail("wage_currency", message % {"code": cells["wage_currency"]})
    elif hourly_wage is not None and not currency:
        fail("wage_currency", _("Give the currency of the hourly wage."))

    if not code or len(code) > CODE_MAX_LENGTH:
        return None, errors
    values = {
        "name": cells["name"],
        "name_local": cells["name_local"],
        "level": level if level in LEVEL_RANK else "",
        "population": population,
        "hourly_wage": hourly_wage,
        "wage_currency": currency,
    }
    row = Row(line, code, cells["parent_code"], values, valid=not errors)
    return row, errors


def _parse_population(value: str, fail: Any) -> int | None:
    if not value:
        return None
    if _WHOLE_NUMBER.fullmatch(value):
        if int(value) > POPULATION_MAX:
            fail("population", _("At most %(max)s people.") % {"max": f"{POPULATION_MAX:,}"})
            return None
        return int(value)
    if _NUMBER.fullmatch(value):
        if value.startswith("-") and Decimal(value):
            fail("population", _("A population cannot be negative."))
        else:
            fail("population", _("A population is a whole number of people."))
    else:
        fail("population", _("“%(value)s” is not a number.") % {"value": value})
    return None


def _parse_wage(value: str, fail: Any) -> Decimal | None:
    if not value:
        return None
    if _MONEY.fullmatch(value):
        return Decimal(value)
    if _NUMBER.fullmatch(value):
        if value.startswith("-") and Decimal(value):
            fail("hourly_wage", _("An hourly wage cannot be negative."))
        else:
            message = _("At most 12 digits before the decimal point and 2 after (e.g. 70.50).")
            fail("hourly_wage", message)
    else:
        fail("hourly_wage", _("“%(value)s” is not a number.") % {"value": value})
    return None
