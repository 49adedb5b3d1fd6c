"""Importing observed journeys from CSV or XLSX files (API.md, "POST /journeys/import").

One row per step, in step order, grouped into journeys by `journey_ref`. The file is
streamed, never whole in memory, in two passes:

1. the check: every row is parsed and validated, journeys are fingerprinted, and every bad
   row is collected as `(line, field, message)` (the header is line 1); good journeys go,
   parsed, to a temporary spill file;
2. the write, only when the check found nothing: the spilled journeys, steps and pain
   points are inserted in batches (`COPY` on PostgreSQL, `executemany` on SQLite), in one
   transaction.

The check holds no transaction: on SQLite a write transaction locks the database for
everyone (the worker reports progress meanwhile), so only the short second pass writes.
No TCV is computed here: `innohub.services.tcv` computes it from the steps when asked.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import pickle
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from rules import perm_exists

from innohub.core.audit import record_bulk_import
from innohub.core.units import CENT, MAX_DURATION, MAX_MONEY
from innohub.geo.models import Area

from .checks import exported_id, file_ref_error, has_id_prefix, observed_on_error, pilot_errors
from .limits import ACTOR_MAX, OFFICE_MAX, PAIN_DESCRIPTION_MAX, TITLE_MAX
from .models import (
    Journey,
    JourneyStatus,
    JourneyStep,
    Method,
    PainCategory,
    PainPoint,
    Service,
)
from .steps import count_error, decimal_error, pain_category_error, text_error

if TYPE_CHECKING:
    from innohub.accounts.models import User

COLUMNS = (
    "journey_ref",
    "service",
    "area",
    "observed_on",
    "method",
    "phase",
    "pilot",
    "title",
    "office",
    "documents",
    "elapsed_days",
    "citizen_hours",
    "fees",
    "travel_cost",
    "other_cost",
    "visits",
)
OPTIONAL_COLUMNS = ("actor", "pain_point_category", "pain_point")
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
# The columns that describe the journey, not the step: they repeat on every row and agree.
JOURNEY_COLUMNS = ("service", "area", "observed_on", "method", "phase", "pilot")
PHASES = ("baseline", "after", "none")
METHODS = frozenset(Method.values)
PAIN_CATEGORIES = frozenset(PainCategory.values)

# Files up to this many step rows are imported within the request; larger ones in the
# background (API.md).
MAX_ROWS_IN_REQUEST = 100_000
PROGRESS_EVERY = 10_000
JOURNEY_BATCH = 2_000
LOOKUP_CHUNK = 500

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    skipped_duplicates: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    # The file has more rows than the caller's `max_rows`: nothing was checked to the end,
    # nothing written (the caller imports it in the background instead).
    over_max_rows: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "skipped_duplicates": self.skipped_duplicates}


class FileProblem(Exception):
    """The file cannot be read on from here (not UTF-8, not CSV, not XLSX)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.error = RowError(line, "", message)


# --- Reading the file ------------------------------------------------------------------------


def file_kind(source: IO[bytes], file_name: str = "") -> str:
    """`"xlsx"` for a spreadsheet (by its name or its ZIP signature), else `"csv"`."""
    if file_name.lower().endswith(".xlsx"):
        return "xlsx"
    source.seek(0)
    start = source.read(4)
    source.seek(0)
    return "xlsx" if start == b"PK\x03\x04" else "csv"


def too_large(size: int | None) -> str:
    """Why a file of `size` bytes is refused (larger than `IMPORT_MAX_BYTES`), or ""."""
    limit = settings.IMPORT_MAX_BYTES
    if size is None or size <= limit:
        return ""
    return _(
        "The file is %(size)s; files of at most %(limit)s are accepted. Split it into several "
        "files: each journey's rows must stay together in one file."
    ) % {"size": filesizeformat(size), "limit": filesizeformat(limit)}


def file_digest(source: IO[bytes]) -> str:
    """SHA-256 of the file, read in chunks."""
    source.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: source.read(1 << 20), b""):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


def _csv_records(source: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    source.seek(0)
    # utf-8-sig: spreadsheets save "CSV UTF-8" with a byte-order mark.
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
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
            except UnicodeDecodeError as exc:
                raise FileProblem(
                    start,
                    _(
                        "The file is not UTF-8 text from about here on: save it as "
                        "“CSV UTF-8” and import it again."
                    ),
                ) from exc
            end = reader.line_num
            yield start, cells
    finally:
        text.detach()  # the caller owns the file: do not close it with the wrapper


def _xlsx_records(source: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl  # only spreadsheets need it

    source.seek(0)
    unreadable = _("The file is not a readable XLSX workbook: save it again as .xlsx.")
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(1, unreadable) from exc
    number = 0
    try:
        if not workbook.worksheets:
            return
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet: report where reading stopped
                raise FileProblem(number + 1, unreadable) from exc
            number += 1
            cells = list(row)
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells.pop()  # read-only sheets pad rows to the widest one
            yield number, cells
    finally:
        workbook.close()


def _records(source: IO[bytes], kind: str) -> Iterator[tuple[int, list[Any]]]:
    return _xlsx_records(source) if kind == "xlsx" else _csv_records(source)


def count_rows(source: IO[bytes], kind: str, *, stop_after: int | None = None) -> int:
    """How many step rows (not blank, not the header) the file has, for showing progress;
    counting stops once it passes `stop_after`. A workbook whose sheet declares its size
    (Excel and LibreOffice write it) is taken at its word, blank rows at its end included:
    reading a sheet costs as much as importing it."""
    if kind == "xlsx" and (declared := _declared_rows(source)) is not None:
        return declared
    count = 0
    try:
        for line, cells in _records(source, kind):
            if line == 1 or not _has_content(cells):
                continue
            count += 1
            if stop_after is not None and count > stop_after:
                break
    except FileProblem:
        pass  # the import itself reports it, with its line
    finally:
        source.seek(0)
    return count


def _declared_rows(source: IO[bytes]) -> int | None:
    """The step rows a workbook's first sheet declares (its dimension, less the header), or
    None when it declares none or cannot be read."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
        try:
            sheets = workbook.worksheets
            rows = sheets[0].max_row if sheets else None
        finally:
            workbook.close()
    except Exception:  # a damaged file: counting row by row reports nothing either
        rows = None
    finally:
        source.seek(0)
    return None if rows is None else max(rows - 1, 0)


def _has_content(cells: list[Any]) -> bool:
    return any(cell is not None and str(cell).strip() for cell in cells)


# --- Cells -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as trimmed NFC text (spreadsheets give numbers and dates as such)."""
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


def _decimal(value: Any, *, maximum: Decimal) -> tuple[Decimal | None, str]:
    if isinstance(value, bool):
        return None, _("Give a number, not true or false.")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = _text(value)
        if text == "":
            return None, _("Give a number (0 when nothing was spent).")
        if not _NUMBER.fullmatch(text):
            return None, _("“%(value)s” is not a number.") % {"value": text[:50]}
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, _("“%(value)s” is not a number.") % {"value": text[:50]}
    if message := decimal_error(number, maximum=maximum):
        return None, message
    return number.quantize(CENT), ""


# Values repeat (fees of "50", "0" hours): parse each distinct text once per import.
_CACHE_LIMIT = 100_000


def _decimal_text(value: Any, *, maximum: Decimal, cache: dict) -> tuple[str | None, str]:
    """`_decimal` as the canonical text the database takes ("10.50"), memoised for texts."""
    if value.__class__ is str:
        key = (value, maximum)
        found = cache.get(key)
        if found is None:
            number, message = _decimal(value, maximum=maximum)
            found = (None if number is None else str(number), message)
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            cache[key] = found
        return found
    number, message = _decimal(value, maximum=maximum)
    return (None if number is None else str(number)), message


def _count_cached(value: Any, cache: dict) -> tuple[int | None, str]:
    if value.__class__ is str:
        found = cache.get(value)
        if found is None:
            found = _count(value)
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            cache[value] = found
        return found
    return _count(value)


def _count(value: Any) -> tuple[int | None, str]:
    if isinstance(value, bool):
        return None, _("Give a whole number, not true or false.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _text(value)
        if text == "":
            return None, _("Give a whole number (0 for none).")
        if not _INTEGER.fullmatch(text):
            if _NUMBER.fullmatch(text):
                return None, _("Give a whole number.")
            return None, _("“%(value)s” is not a number.") % {"value": text[:50]}
        number = int(text)
    if message := count_error(number):
        return None, message
    return number, ""


# --- One pass over the file --------------------------------------------------------------------


@dataclass
class _Lookups:
    """What rows refer to, looked up once per distinct value."""

    today: date
    services: dict[str, int | None] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Lookups:
        lookups = cls(today=timezone.localdate())
        # Every area code at once: a country has thousands, not millions.
        lookups.areas = dict(Area.objects.values_list("code", "pk"))
        return lookups

    def service(self, text: str) -> int | None:
        if text not in self.services:
            pk = int(text) if text.isdigit() and len(text) < 19 else None
            exists = pk is not None and Service.objects.filter(pk=pk).exists()
            self.services[text] = pk if exists else None
        return self.services[text]


# A parsed step row: the values the models take.
# Decimals are their canonical text ("10.50"): what the database takes, and what "the same
# value" compares (10 equals 10.00).
_Step = tuple[str, str, str, int, str, str, str, str, str, int, str, str]
# title, office, actor, documents, days, hours, fees, travel, other, visits, pp cat, pp text


@dataclass
class _Journey:
    line: int
    ref: str
    service_id: int
    area_id: int
    observed_on: date
    method: str
    steps: list[_Step] = field(default_factory=list)


class _Reader:
    """Reads the file once, validating, and yields each journey whose rows are all good."""

    def __init__(
        self,
        source: IO[bytes],
        kind: str,
        lookups: _Lookups,
        *,
        progress: Callable[[int], None] | None = None,
        max_rows: int | None = None,
    ) -> None:
        self.source, self.kind, self.lookups, self.progress = source, kind, lookups, progress
        self.max_rows = max_rows
        self.over_max_rows = False
        self.errors: list[RowError] = []
        self.rows = 0
        # Texts already found good, per kind of number: the fast path's memory.
        self.good_counts: dict[str, int] = {}
        self.good_durations: dict[str, str] = {}
        self.good_money: dict[str, str] = {}
        # (position in the row, its cache, its maximum or None for a count), in row order.
        self.number_cells: tuple[tuple[int, dict[str, Any], Decimal | None], ...] = (
            (9, self.good_counts, None),
            (10, self.good_durations, MAX_DURATION),
            (11, self.good_durations, MAX_DURATION),
            (12, self.good_money, MAX_MONEY),
            (13, self.good_money, MAX_MONEY),
            (14, self.good_money, MAX_MONEY),
            (15, self.good_counts, None),
        )
        self.decimal_cache: dict[tuple[str, Decimal], tuple[str | None, str]] = {}
        self.count_cache: dict[str, tuple[int | None, str]] = {}

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, str(message)))

    def journeys(self) -> Iterator[_Journey]:
        records = _records(self.source, self.kind)
        try:
            yield from self._journeys(records)
        except FileProblem as problem:
            self.errors.append(problem.error)

    def _header(self, cells: list[Any]) -> dict[str, int] | None:
        names = [_text(cell).lower() for cell in cells]
        index: dict[str, int] = {}
        ok = True
        for position, name in enumerate(names):
            if name == "" and position == len(names) - 1:
                continue
            if name not in ALL_COLUMNS:
                self.error(1, name, _("Unknown column “%(name)s”.") % {"name": name[:50]})
                ok = False
            elif name in index:
                self.error(1, name, _("The column “%(name)s” appears twice.") % {"name": name})
                ok = False
            else:
                index[name] = position
        for name in COLUMNS:
            if name not in index:
                self.error(1, name, _("The column “%(name)s” is missing.") % {"name": name})
                ok = False
        return index if ok else None

    def _journeys(self, records: Iterator[tuple[int, list[Any]]]) -> Iterator[_Journey]:
        first = next(records, None)
        if first is None:
            self.error(1, "", _("The file is empty: it needs a header row and at least one row."))
            return
        index = self._header(first[1])
        if index is None:
            return
        width = len(first[1])
        positions = [index.get(name, width) for name in ALL_COLUMNS]
        pick = itemgetter(*positions)
        current: _Journey | None = None
        current_ok = True
        current_keys: tuple[str, ...] = ()
        current_ref = None
        journey_faults: list[tuple[str, str]] = []
        current_raw_keys: tuple[Any, ...] | None = None
        journey_keys: tuple[str, ...] = ()
        finished_refs: set[str] = set()
        text_cells = self.kind == "csv"  # a CSV reader's cells are all text
        for line, cells in records:
            if text_cells:
                joined = "".join(cells)
                if not joined or joined.isspace():
                    continue  # a blank line is not a step
            elif not _has_content(cells):
                continue
            self.rows += 1
            if self.max_rows is not None and self.rows > self.max_rows:
                self.over_max_rows = True
                return
            if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
                self.progress(self.rows)
            if len(cells) > width or (self.kind == "csv" and len(cells) != width):
                self.error(
                    line,
                    "",
                    _("This line has %(found)d values; the header has %(expected)d.")
                    % {"found": len(cells), "expected": width},
                )
                continue
            if len(cells) == width:
                # A missing optional column reads the empty cell appended here.
                cells.append("")
                values = pick(cells)
            else:  # a spreadsheet row without its trailing empty cells
                values = tuple(
                    "" if p >= len(cells) or cells[p] is None else cells[p] for p in positions
                )
            ref = _text(values[0])
            raw_keys = tuple(values[1:7])
            if raw_keys != current_raw_keys:
                # Only a row whose cells differ from the previous one's is normalised again.
                journey_keys = tuple(_text(v) for v in raw_keys)
                current_raw_keys = raw_keys
            if ref != current_ref:
                if current is not None and current_ok:
                    yield current
                if current_ref is not None:
                    finished_refs.add(current_ref)
                current, current_ok, current_ref, current_keys = None, True, ref, journey_keys
                before = len(self.errors)
                if ref in finished_refs:
                    self.error(
                        line,
                        "journey_ref",
                        _(
                            "The rows of journey “%(ref)s” must be together: it came back "
                            "after another journey."
                        )
                        % {"ref": ref[:100]},
                    )
                    parsed = None
                else:
                    parsed = self._journey(line, ref, values)
                # Each later row of this journey repeats these columns: it has the same faults.
                journey_faults = [(e.field, e.message) for e in self.errors[before:]]
                if parsed is None:
                    current_ok = False
                else:
                    current = parsed
            elif journey_keys == current_keys:
                for name, message in journey_faults:
                    self.error(line, name, message)
            else:
                for name, mine, theirs in zip(
                    JOURNEY_COLUMNS, journey_keys, current_keys, strict=True
                ):
                    if mine != theirs:
                        self.error(
                            line,
                            name,
                            _(
                                "“%(value)s” differs from “%(first)s” on the journey's first "
                                "row: the journey columns must agree on every row."
                            )
                            % {"value": mine[:50], "first": theirs[:50]},
                        )
                current_ok = False
            step = self._step_fast(values) or self._step(line, values)
            if step is None:
                current_ok = False
            elif current is not None and current_ok:
                current.steps.append(step)
        if current is not None and current_ok:
            yield current

    def _journey(self, line: int, ref: str, values: tuple[Any, ...]) -> _Journey | None:
        ok = True
        if message := file_ref_error(ref):
            self.error(line, "journey_ref", message)
            ok = False

        service_text = _text(values[1])
        service_id = self.lookups.service(service_text)
        if service_id is None:
            self.error(
                line,
                "service",
                _("No service has the id “%(value)s”.") % {"value": service_text[:50]}
                if service_text
                else _("Give the service's id."),
            )
            ok = False

        area_text = _text(values[2])
        area_id = self.lookups.areas.get(area_text)
        if area_id is None:
            self.error(
                line,
                "area",
                _("No area has the code “%(value)s”.") % {"value": area_text[:50]}
                if area_text
                else _("Give the area's code."),
            )
            ok = False

        observed_on = self._date(line, values[3])
        ok = ok and observed_on is not None

        method = _text(values[4])
        if method not in METHODS:
            self.error(
                line,
                "method",
                _("“%(value)s” is not a method: use one of %(choices)s.")
                % {"value": method[:50], "choices": ", ".join(Method.values)},
            )
            ok = False

        phase = _text(values[5])
        if phase not in PHASES:
            self.error(
                line,
                "phase",
                _("“%(value)s” is not a phase: use baseline, after or none.")
                % {"value": phase[:50]},
            )
            ok = False
            phase = ""
        for name, message in pilot_errors(phase=phase, pilot=_text(values[6])).items():
            self.error(line, name, message)
            ok = False
        if not ok:
            return None
        assert service_id is not None and area_id is not None and observed_on is not None
        return _Journey(
            line=line,
            ref=ref,
            service_id=service_id,
            area_id=area_id,
            observed_on=observed_on,
            method=method,
        )

    def _date(self, line: int, value: Any) -> date | None:
        if isinstance(value, datetime):
            day: date | None = value.date()
        elif isinstance(value, date):
            day = value
        else:
            text = _text(value)
            day = None
            if _DATE.fullmatch(text):
                try:
                    day = date.fromisoformat(text)
                except ValueError:
                    day = None
            if day is None:
                self.error(
                    line,
                    "observed_on",
                    _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text[:50]}
                    if text
                    else _("Give the day the journey began (YYYY-MM-DD)."),
                )
                return None
        assert day is not None
        if message := observed_on_error(day, today=self.lookups.today):
            self.error(line, "observed_on", message)
            return None
        return day

    def _step_fast(self, values: tuple[Any, ...]) -> _Step | None:
        """The common case, quickly: a row of text cells that are all good. None when in any
        doubt: `_step` then checks the row again and says what is wrong."""
        try:
            title, office = values[7].strip(), values[8].strip()
            actor, category, pain = values[16].strip(), values[17].strip(), values[18].strip()
        except AttributeError:  # a spreadsheet's number or date
            return None
        joined = title + office + actor + category + pain
        if not joined.isascii():
            title, office, actor, category, pain = (
                unicodedata.normalize("NFC", text)
                for text in (title, office, actor, category, pain)
            )
        if (
            not title
            or "\x00" in joined
            or len(title) > TITLE_MAX
            or len(office) > OFFICE_MAX
            or len(actor) > ACTOR_MAX
            or len(pain) > PAIN_DESCRIPTION_MAX
            or (category and category not in PAIN_CATEGORIES)
            or (pain and not category)
        ):
            return None
        numbers: list[Any] = []
        for position, cache, maximum in self.number_cells:
            cell = values[position]
            number = cache.get(cell) if cell.__class__ is str else None
            if number is None:
                if maximum is None:
                    number, message = _count(cell)
                else:
                    parsed, message = _decimal(cell, maximum=maximum)
                    number = None if parsed is None else str(parsed)
                if message or number is None:
                    return None
                if cell.__class__ is str:
                    if len(cache) > _CACHE_LIMIT:
                        cache.clear()
                    cache[cell] = number
            numbers.append(number)
        documents, days, hours, fees, travel, other, visits = numbers
        return (title, office, actor, documents, days, hours, fees, travel, other, visits,
                category, pain)  # fmt: skip

    def _step(self, line: int, values: tuple[Any, ...]) -> _Step | None:
        ok = True
        texts: list[str] = []
        for name, position, longest, required in (
            ("title", 7, TITLE_MAX, True),
            ("office", 8, OFFICE_MAX, False),
            ("actor", 16, ACTOR_MAX, False),
            ("pain_point_category", 17, None, False),
            ("pain_point", 18, PAIN_DESCRIPTION_MAX, False),
        ):
            text = _text(values[position])
            if message := text_error(text, max_length=longest, required=required):
                self.error(line, name, message)
                ok = False
            texts.append(text)
        title, office, actor, category, pain = texts
        if category and "\x00" not in category and (message := pain_category_error(category)):
            self.error(line, "pain_point_category", message)
            ok = False
        elif pain and not category:
            self.error(line, "pain_point_category", _("Give the pain point's category."))
            ok = False

        numbers: list[Any] = []
        for name, position in (("documents", 9), ("visits", 15)):
            count, message = _count_cached(values[position], self.count_cache)
            if message:
                self.error(line, name, message)
                ok = False
            numbers.append(count)
        for name, position, maximum in (
            ("elapsed_days", 10, MAX_DURATION),
            ("citizen_hours", 11, MAX_DURATION),
            ("fees", 12, MAX_MONEY),
            ("travel_cost", 13, MAX_MONEY),
            ("other_cost", 14, MAX_MONEY),
        ):
            number, message = _decimal_text(
                values[position], maximum=maximum, cache=self.decimal_cache
            )
            if message:
                self.error(line, name, message)
                ok = False
            numbers.append(number)
        if not ok:
            return None
        documents, visits, days, hours, fees, travel, other = numbers
        return (title, office, actor, documents, days, hours, fees, travel, other, visits,
                category, pain)  # fmt: skip


# --- Same content? ---------------------------------------------------------------------------


def _fingerprint(
    *, service_id: int, area_id: int, observed_on: date, method: str, status: str,
    steps: list[_Step],
) -> bytes:  # fmt: skip
    """What "the same journey" means: equal values (10 equals 10.00), in step order."""
    # str(): a choices member's repr is not its value.
    canonical = repr(
        (service_id, area_id, observed_on.isoformat(), str(method), str(status), steps)
    )
    return hashlib.blake2b(canonical.encode(), digest_size=16).digest()


def _money_text(value: Any) -> str:
    return str(Decimal(value).quantize(CENT))


def _existing_fingerprints(
    by_ref: dict[tuple[int, str], int], by_id: dict[int, int]
) -> dict[int, bytes]:
    """The fingerprint of each journey already in innohub that a file's journey names,
    keyed by the file journey's first line. Three queries per chunk of journeys, values only
    (re-importing a large file is as common as importing it)."""
    found: dict[int, bytes] = {}

    def add(journeys: QuerySet[Journey], line_of: Callable[[int, int, str], int | None]) -> None:
        heads = list(
            journeys.values_list(
                "pk", "service_id", "area_id", "observed_on", "method", "status", "ref"
            )
        )
        if not heads:
            return
        ids = [head[0] for head in heads]
        pains: dict[int, list[tuple[str, str]]] = {}
        for step_id, category, description in (
            PainPoint.objects.filter(journey_step__journey_id__in=ids)
            .order_by("id")
            .values_list("journey_step_id", "category", "description")
        ):
            pains.setdefault(step_id, []).append((category, description))
        steps: dict[int, list[_Step]] = {}
        for values in (
            JourneyStep.objects.filter(journey_id__in=ids)
            .order_by("journey_id", "position", "id")
            .values_list(
                "pk", "journey_id", "title", "office", "actor", "documents", "elapsed_days",
                "citizen_hours", "fees", "travel_cost", "other_cost", "visits",
            )
        ):  # fmt: skip
            step_id, journey_id, title, office, actor, documents = values[:6]
            days, hours, fees, travel, other, visits = values[6:]
            category, text = "", ""
            step_pains = pains.get(step_id, [])
            if len(step_pains) == 1:
                category, text = step_pains[0][0], _text(step_pains[0][1])
            elif step_pains:  # several pain points never equal one row's one
                category = "\x1d".join(pain[0] for pain in step_pains)
            steps.setdefault(journey_id, []).append(
                (_text(title), _text(office), _text(actor), documents, _money_text(days),
                 _money_text(hours), _money_text(fees), _money_text(travel),
                 _money_text(other), visits, category, text)
            )  # fmt: skip
        for pk, service_id, area_id, observed_on, method, status, ref in heads:
            line = line_of(pk, service_id, ref)
            if line is not None:
                found[line] = _fingerprint(
                    service_id=service_id,
                    area_id=area_id,
                    observed_on=observed_on,
                    method=method,
                    status=status,
                    steps=steps.get(pk, []),
                )

    refs_by_service: dict[int, list[str]] = {}
    for service_id, ref in by_ref:
        refs_by_service.setdefault(service_id, []).append(ref)
    for service_id, refs in refs_by_service.items():
        for start in range(0, len(refs), LOOKUP_CHUNK):
            add(
                # `ref <> ''` spelled out: PostgreSQL then uses the partial unique index on
                # (service, ref), which it cannot prove applicable from a long IN list.
                Journey.objects.filter(
                    service_id=service_id, ref__in=refs[start : start + LOOKUP_CHUNK]
                ).exclude(ref=""),
                lambda _pk, service, ref: by_ref.get((service, ref)),
            )
    ids = list(by_id)
    for start in range(0, len(ids), LOOKUP_CHUNK):
        add(
            Journey.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK]),
            lambda pk, _service, _ref: by_id.get(pk),
        )
    return found


# --- The import --------------------------------------------------------------------------------


def import_journeys(
    *,
    source: IO[bytes],
    by: User,
    file_name: str = "",
    kind: str | None = None,
    progress: Callable[[int], None] | None = None,
    max_rows: int | None = None,
) -> ImportResult:
    """Import the journeys of a CSV or XLSX file (API.md), all or nothing.

    Promises: every bad row is reported as `(line, field, message)` and then nothing is
    written; otherwise every journey is created `final`, observed by `by`, and one audit
    entry (`BulkImport`, kind `services.journeys`) records the file. A journey whose
    `journey_ref` is already in innohub for its service (or whose `id:<id>` names an existing
    journey) with the same values is skipped; with other values it is an error, never an
    overwrite. `id:<id>` of a journey not in innohub creates a journey without a reference.
    `progress(rows_checked)` is called while checking. With `max_rows`, a file of more rows
    is left as it is once that many are read, and the result says `over_max_rows` (the
    caller then imports it in the background): the file is read once, not counted first.
    Refuses (PermissionDenied) a person who may not record journeys.
    """
    if not by.is_authenticated or (
        perm_exists("services.add_journey") and not by.has_perm("services.add_journey")
    ):
        raise PermissionDenied(_("You may not record journeys."))
    with _cyclic_gc_paused():
        return _import(
            source=source,
            by=by,
            file_name=file_name,
            kind=kind,
            progress=progress,
            max_rows=max_rows,
        )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """An import makes millions of small objects and no reference cycles; Python's cyclic
    garbage collector would walk them again and again and find nothing (a tenth of the check
    pass's time in `make bench-import`). Reference counting still frees everything at once;
    the collector is back on when the import ends, however it ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(
    *,
    source: IO[bytes],
    by: User,
    file_name: str,
    kind: str | None,
    progress: Callable[[int], None] | None,
    max_rows: int | None,
) -> ImportResult:
    kind = kind or file_kind(source, file_name)
    lookups = _Lookups.load()

    # Pass 1: check every row. Each good journey goes, parsed, to a spill file (so that the
    # write need not parse again); only its key and fingerprint stay in memory.
    with tempfile.TemporaryFile() as spill:
        reader = _Reader(source, kind, lookups, progress=progress, max_rows=max_rows)
        fingerprints: list[tuple[int, bytes]] = []  # (first line, fingerprint)
        by_ref: dict[tuple[int, str], int] = {}
        by_id: dict[int, int] = {}
        batch: list[_Journey] = []
        for journey in reader.journeys():
            fingerprints.append(
                (
                    journey.line,
                    _fingerprint(
                        service_id=journey.service_id,
                        area_id=journey.area_id,
                        observed_on=journey.observed_on,
                        method=journey.method,
                        status=JourneyStatus.FINAL,
                        steps=journey.steps,
                    ),
                )
            )
            if (journey_id := exported_id(journey.ref)) is not None:
                by_id[journey_id] = journey.line
            else:
                by_ref[(journey.service_id, journey.ref)] = journey.line
            if not reader.errors:  # once there is an error nothing will be written
                batch.append(journey)
                if len(batch) >= JOURNEY_BATCH:
                    pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = []
        if reader.over_max_rows:
            source.seek(0)
            return ImportResult(rows=reader.rows, over_max_rows=True)
        if batch and not reader.errors:
            pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
        del batch
        errors = reader.errors
        if progress is not None:
            progress(reader.rows)

        existing = _existing_fingerprints(by_ref, by_id)
        skip: set[int] = set()
        for line, fingerprint in fingerprints:
            if line not in existing:
                continue
            if existing[line] == fingerprint:
                skip.add(line)
            else:
                errors.append(
                    RowError(
                        line,
                        "journey_ref",
                        _(
                            "This journey is already in innohub with different values: give "
                            "it another reference, or change it there."
                        ),
                    )
                )
        if not errors and reader.rows == 0:
            errors.append(RowError(2, "", _("The file has no rows: add a row per step.")))
        if errors:
            errors.sort(key=lambda e: (e.line, _column_order(e.field)))
            return ImportResult(rows=reader.rows, errors=errors)
        del fingerprints, by_ref, by_id, existing

        # Pass 2: write what the check kept, in one short transaction.
        digest = file_digest(source)
        spill.seek(0)
        try:
            with transaction.atomic():
                created = _write(spill, by=by, skip=skip)
                result = ImportResult(
                    created=created, skipped_duplicates=len(skip), rows=reader.rows
                )
                record_bulk_import(
                    kind="services.journeys",
                    by=by,
                    digest=digest,  # hashed while streaming: files may be large
                    file_name=file_name.replace("\x00", ""),
                    rows=reader.rows,
                    counts=result.counts(),
                )
        except IntegrityError:
            # Someone imported one of these references between the check and the write.
            message = _("Journeys changed while this file was imported: import it again.")
            return ImportResult(rows=reader.rows, errors=[RowError(1, "", message)])
    if result.created >= ANALYZE_AFTER and connection.vendor == "postgresql":
        _analyze()
    return result


# After a bulk load PostgreSQL's statistics still describe the tables before it, and its
# planner then scans a service's journeys instead of using the (service, ref) index when the
# next import looks its references up: refresh them, as PostgreSQL advises after bulk loads.
ANALYZE_AFTER = 10_000


def _analyze() -> None:
    with connection.cursor() as cursor:
        for model in (Journey, JourneyStep):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _column_order(name: str) -> int:
    return ALL_COLUMNS.index(name) + 1 if name in ALL_COLUMNS else 0


def _write(spill: IO[bytes], *, by: User, skip: set[int]) -> int:
    created = 0
    while True:
        try:
            batch: list[_Journey] = pickle.load(spill)  # noqa: S301 - our own temporary file
        except EOFError:
            return created
        batch = [journey for journey in batch if journey.line not in skip]
        if batch:
            created += _write_batch(batch, by=by)


# Most rows are steps: journeys, steps and pain points skip the ORM's per-object work and are
# inserted with the values the ORM would send (dates and times through the backend's own
# adapters, decimals as their text, as Django sends them).
_JOURNEY_FIELDS = ("created", "modified", "service", "area", "observer", "ref", "observed_on",
                   "method", "status", "notes")  # fmt: skip
_STEP_FIELDS = ("journey", "position", "title", "office", "actor", "documents", "elapsed_days",
                "citizen_hours", "fees", "travel_cost", "other_cost", "visits")  # fmt: skip
_PAIN_FIELDS = ("journey_step", "category", "description")
# Rows per multi-row INSERT … RETURNING of journeys: well under every backend's parameter limit.
_RETURNING_CHUNK = 500


def _table_and_columns(model: type[Model], fields: tuple[str, ...]) -> tuple[str, str]:
    """Quoted table and column names, from the model; refuses to run if the model has a
    required column the insert would leave out (a new field must be added here, not guessed)."""
    columns = {f.name: str(f.column) for f in model._meta.concrete_fields if not f.primary_key}
    missing = {f.name for f in model._meta.concrete_fields if not f.primary_key and not f.null}
    missing -= set(fields)
    if missing:
        raise ImproperlyConfigured(f"The importer does not fill {sorted(missing)}.")
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(columns[name]) for name in fields)


def _insert(model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """`executemany` on SQLite, `COPY` on PostgreSQL."""
    table, names = _table_and_columns(model, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            # Table and column names come from the model, never from the file.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


def _insert_returning_ids(
    model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> list[int]:
    """The new rows' ids, in the rows' order: on SQLite a multi-row INSERT … RETURNING id
    (whose order the ORM's own bulk_create relies on too), on PostgreSQL ids from the sequence
    and COPY."""
    table, names = _table_and_columns(model, fields)
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    if connection.vendor == "postgresql":
        # Ids taken from the table's own sequence (safe with concurrent writers), then COPY:
        # a long multi-row INSERT costs more to build and parse than the rows themselves.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY {table} ({pk}, {names}) FROM STDIN") as copy:
                for new_id, row in zip(ids, rows, strict=True):
                    copy.write_row((new_id, *row))
        return ids
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _RETURNING_CHUNK):
            chunk = rows[start : start + _RETURNING_CHUNK]
            values = ", ".join([one] * len(chunk))
            sql = f"INSERT INTO {table} ({names}) VALUES {values} RETURNING {pk}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            ids.extend(row[0] for row in cursor.fetchall())
    if len(ids) != len(rows):
        raise IntegrityError("The database did not return an id per journey.")
    return ids


def _write_batch(batch: list[_Journey], *, by: User) -> int:
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    final = str(JourneyStatus.FINAL)
    journey_ids = _insert_returning_ids(
        Journey,
        _JOURNEY_FIELDS,
        [
            (
                now,
                now,
                item.service_id,
                item.area_id,
                by.pk,
                "" if has_id_prefix(item.ref) else item.ref,
                ops.adapt_datefield_value(item.observed_on),
                item.method,
                final,
                "",
            )
            for item in batch
        ],
    )
    rows: list[tuple[Any, ...]] = []
    pains: dict[tuple[int, int], tuple[str, str]] = {}  # (journey id, position) → pain point
    for pk, item in zip(journey_ids, batch, strict=True):
        for position, step in enumerate(item.steps):
            rows.append((pk, position, *step[:10]))
            if step[10]:
                pains[(pk, position)] = (step[10], step[11])
    _insert(JourneyStep, _STEP_FIELDS, rows)
    if pains:
        _insert_pain_points_by_position(pains)
    return len(journey_ids)


def _insert_pain_points_by_position(pains: dict[tuple[int, int], tuple[str, str]]) -> None:
    """Each pain point onto its new step, found by (journey id, position)."""
    if connection.vendor != "postgresql":
        # The steps' ids, for their pain points: one query for the batch.
        with_pains = sorted({pk for pk, _position in pains})
        found = JourneyStep.objects.filter(
            journey_id__gte=with_pains[0], journey_id__lte=with_pains[-1]
        ).values_list("pk", "journey_id", "position")
        _insert(
            PainPoint,
            _PAIN_FIELDS,
            [
                (step_pk, pain[0], pain[1])
                for step_pk, journey_pk, position in found
                if (pain := pains.get((journey_pk, position))) is not None
            ],
        )
        return
    # PostgreSQL: one INSERT … SELECT joins the steps on the database's side, so the steps'
    # ids never travel to Python and back.
    table, names = _table_and_columns(PainPoint, _PAIN_FIELDS)
    steps = connection.ops.quote_name(JourneyStep._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Table and column names come from the models, never from the file.
            f"INSERT INTO {table} ({names}) "  # noqa: S608
            f"SELECT step.id, pain.category, pain.description FROM {steps} step JOIN "
            "unnest(%s::bigint[], %s::integer[], %s::text[], %s::text[]) "
            "AS pain(journey_id, position, category, description) "
            "ON step.journey_id = pain.journey_id AND step.position = pain.position",
            [
                [journey_id for journey_id, _position in pains],
                [position for _journey_id, position in pains],
                [category for category, _text in pains.values()],
                [text for _category, text in pains.values()],
            ],
        )
