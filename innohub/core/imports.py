"""What every file import shares: rows read from CSV or XLSX, one shape of row error, the
header check, the size limit and the file's digest.

An import reads `(line, cells)` records (the header is line 1; a quoted cell over several
physical lines keeps the number of its first), checks the header against its columns, and
reports each problem as a `RowError(line, field, message)`, `field` being the column's name
("" for the whole line or file). The area import and the journey import both build on it;
so will the imports of the apps above (participants, contributions).
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What the UTF-8 decoder puts where bytes are not UTF-8: the reader goes on past them, so
# that every bad line is reported, each on the cell it is in.
REPLACEMENT = "\ufffd"

# An import lists at most this many errors (API.md); `errors_total` counts them all. A file of
# bad rows then costs no more memory, and makes no larger answer, than a file of good ones.
MAX_ERRORS = 1_000


@dataclass(frozen=True)
class RowError:
    """One problem in a file: its line (the header is line 1), its column and the reason."""

    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


class RowErrors:
    """A file's errors as they are found: every one counted (`total`), the first MAX_ERRORS
    kept (`kept`). Reading is in line order, so the kept ones are the file's first."""

    __slots__ = ("kept", "limit", "total")

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.kept: list[RowError] = []
        self.limit = limit
        self.total = 0

    def append(self, error: RowError) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total


@dataclass
class ImportResult:
    """What an import did: `rows` read, and the errors that stopped it (then nothing was
    written): the first MAX_ERRORS in file order, and `errors_total`, how many there were.
    Each import adds its own counts."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_total: int = 0

    def __post_init__(self) -> None:
        self.errors_total = max(self.errors_total, len(self.errors))

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def more_errors(self) -> int:
        """How many errors there are beyond those listed."""
        return self.errors_total - len(self.errors)


class FileProblem(Exception):
    """The file cannot be read on from `line` (not CSV, not a workbook)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.error = RowError(line, "", message)


def not_utf8_message() -> str:
    return _("The file is not UTF-8 text: save it as “CSV UTF-8” and import it again.")


# --- The file ----------------------------------------------------------------------------------


def file_kind(source: IO[bytes], file_name: str = "") -> str:
    """`"xlsx"` for a spreadsheet (by its name or its ZIP signature), else `"csv"`."""
    if file_name.lower().endswith(".xlsx"):
        return "xlsx"
    source.seek(0)
    start = source.read(4)
    source.seek(0)
    return "xlsx" if start == b"PK\x03\x04" else "csv"


def too_large(size: int | None, *, advice: str = "") -> str:
    """Why a file of `size` bytes is refused (larger than `IMPORT_MAX_BYTES`, one setting for
    every import), or "". `advice` says how to split the import's files."""
    limit = settings.IMPORT_MAX_BYTES
    if size is None or size <= limit:
        return ""
    message = _("The file is %(size)s; files of at most %(limit)s are accepted.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }
    return f"{message} {advice}" if advice else message


def file_digest(source: IO[bytes]) -> str:
    """SHA-256 of the file, read in chunks."""
    source.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: source.read(1 << 20), b""):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


# --- Records -------------------------------------------------------------------------------------


def csv_records(source: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """The file's records as `(first line, cells)`, streamed. Bytes that are not UTF-8 read
    as U+FFFD (see `undecodable`); a line that is not CSV raises FileProblem."""
    source.seek(0)
    # utf-8-sig: spreadsheets save "CSV UTF-8" with a byte-order mark.
    text = io.TextIOWrapper(source, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(text)
    end = 0
    try:
        while True:
            start = end + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileProblem(
                    start, _("This line is not valid CSV: %(error)s") % {"error": exc}
                ) from exc
            end = reader.line_num
            yield start, cells
    finally:
        text.detach()  # the caller owns the file: do not close it with the wrapper


def xlsx_records(source: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """The first sheet's rows as `(row number, cells)`, trailing empty cells dropped; cells
    keep the spreadsheet's types (numbers, dates). The archive's sizes are checked before
    anything is parsed, and the sheet is streamed in bounded memory (`innohub.core.xlsx`).
    A damaged workbook, or one that would expand too far, raises FileProblem."""
    from .xlsx import first_sheet_records  # only spreadsheets need openpyxl

    return first_sheet_records(source)


def records(source: IO[bytes], kind: str) -> Iterator[tuple[int, list[Any]]]:
    return xlsx_records(source) if kind == "xlsx" else csv_records(source)


def has_content(cells: Sequence[Any]) -> bool:
    """A record with something in it (a blank line is not a row)."""
    return any(cell is not None and str(cell).strip() for cell in cells)


def undecodable(cells: Sequence[Any]) -> list[int]:
    """The positions of the cells that held bytes that are not UTF-8."""
    return [i for i, cell in enumerate(cells) if isinstance(cell, str) and REPLACEMENT in cell]


# --- Cells -----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as trimmed NFC text (spreadsheets give numbers and dates as such), so that the
    same Bangla name typed two ways is one name."""
    if value.__class__ is str:
        value = value.strip()
        # Most cells are ASCII, which is always NFC: skip the normalisation for them.
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- The header --------------------------------------------------------------------------------


def check_header(
    cells: Sequence[Any], *, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[dict[str, int], list[RowError]]:
    """The position of each column named in the header row (names in any case and order),
    and its problems on line 1: a column without a name, an unknown one, one named twice, a
    required one missing."""
    known = (*required, *optional)
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(cells):
        name = cell_text(cell).lower()
        if name in index:
            message = _("The column “%(column)s” appears twice.") % {"column": name}
            errors.append(RowError(1, name, message))
        elif not name:
            message = _("A column has no name: is there a comma too many in the header?")
            errors.append(RowError(1, name, message))
        elif name not in known:
            message = _("Unknown column “%(column)s”: the columns are %(columns)s.") % {
                "column": name[:50],
                "columns": ", ".join(known),
            }
            errors.append(RowError(1, name[:50], message))
        else:
            index[name] = position
    for name in required:
        if name not in index:
            message = _("The column “%(column)s” is missing.") % {"column": name}
            errors.append(RowError(1, name, message))
    return index, errors


def width_error(line: int, *, found: int, expected: int) -> RowError:
    """A record with more or fewer values than the header names columns."""
    message = _("This line has %(found)d values; the header has %(expected)d.")
    return RowError(line, "", message % {"found": found, "expected": expected})


def in_file_order(errors: Iterable[RowError], columns: Sequence[str]) -> list[RowError]:
    """By line, then in the order of `columns` (problems of the whole line first)."""
    order = {name: position + 1 for position, name in enumerate(columns)}
    return sorted(errors, key=lambda error: (error.line, order.get(error.field, 0)))


def first_errors(
    *found: RowErrors | Sequence[RowError], columns: Sequence[str]
) -> tuple[list[RowError], int]:
    """The errors to list — the first MAX_ERRORS of all those `found`, in file order — and how
    many there are. Each of `found` holds (at least) its own first MAX_ERRORS, so the first of
    them all are among these."""
    listed: list[RowError] = []
    total = 0
    for errors in found:
        if isinstance(errors, RowErrors):
            listed.extend(errors.kept)
            total += errors.total
        else:
            listed.extend(errors)
            total += len(errors)
    return in_file_order(listed, columns)[:MAX_ERRORS], total
