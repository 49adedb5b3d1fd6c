"""The check pass: the file read once, every row validated, each journey whose rows are all
good handed on parsed. A fast path takes the common row (text cells, all good) quickly; any
doubt falls back to the full check, which says what is wrong: the fast path is a pure
speed-up of the same rules (tests/services/importer/test_fast_path.py)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.imports import (
    REPLACEMENT,
    FileProblem,
    RowError,
    cell_text,
    check_header,
    has_content,
    not_utf8_message,
    records,
    undecodable,
    width_error,
)
from innohub.core.units import MAX_DURATION, MAX_MONEY
from innohub.geo.models import Area

from ..checks import file_ref_error, observed_on_error, pilot_errors
from ..limits import ACTOR_MAX, OFFICE_MAX, PAIN_DESCRIPTION_MAX, TITLE_MAX
from ..models import Method, Service
from ..steps import pain_category_error, text_error
from .cells import CACHE_LIMIT, count_cached, decimal_text_cached, parse_count, parse_decimal
from .format import (
    ALL_COLUMNS,
    COLUMNS,
    JOURNEY_COLUMNS,
    METHODS,
    OPTIONAL_COLUMNS,
    PAIN_CATEGORIES,
    PHASES,
    PROGRESS_EVERY,
)

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Lookups:
    """What rows refer to, looked up once per distinct value."""

    today: date
    services: dict[str, int | None] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
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
ParsedStep = tuple[str, str, str, int, str, str, str, str, str, int, str, str]
# title, office, actor, documents, days, hours, fees, travel, other, visits, pp cat, pp text


@dataclass
class ParsedJourney:
    line: int
    ref: str
    service_id: int
    area_id: int
    observed_on: date
    method: str
    steps: list[ParsedStep] = field(default_factory=list)


class Reader:
    """Reads the file once, validating, and yields each journey whose rows are all good."""

    def __init__(
        self,
        source: IO[bytes],
        kind: str,
        lookups: Lookups,
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

    def journeys(self) -> Iterator[ParsedJourney]:
        try:
            yield from self._journeys(records(self.source, self.kind))
        except FileProblem as problem:
            self.errors.append(problem.error)

    def _journeys(self, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[ParsedJourney]:
        first = next(rows, None)
        if first is None:
            self.error(1, "", _("The file is empty: it needs a header row and at least one row."))
            return
        index, header_errors = check_header(first[1], required=COLUMNS, optional=OPTIONAL_COLUMNS)
        if header_errors:
            self.errors.extend(header_errors)
            return
        column_at = {position: name for name, position in index.items()}
        width = len(first[1])
        positions = [index.get(name, width) for name in ALL_COLUMNS]
        pick = itemgetter(*positions)
        current: ParsedJourney | None = None
        current_ok = True
        current_keys: tuple[str, ...] = ()
        current_ref = None
        journey_faults: list[tuple[str, str]] = []
        current_raw_keys: tuple[Any, ...] | None = None
        journey_keys: tuple[str, ...] = ()
        finished_refs: set[str] = set()
        text_cells = self.kind == "csv"  # a CSV reader's cells are all text
        for line, cells in rows:
            if text_cells:
                joined = "".join(cells)
                if not joined or joined.isspace():
                    continue  # a blank line is not a step
                if not joined.isascii() and REPLACEMENT in joined and (bad := undecodable(cells)):
                    self.rows += 1
                    for position in bad:
                        self.error(line, column_at.get(position, ""), not_utf8_message())
                    current_ok = False
                    continue
            elif not has_content(cells):
                continue
            self.rows += 1
            if self.max_rows is not None and self.rows > self.max_rows:
                self.over_max_rows = True
                return
            if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
                self.progress(self.rows)
            if len(cells) > width or (self.kind == "csv" and len(cells) != width):
                self.errors.append(width_error(line, found=len(cells), expected=width))
                continue
            if len(cells) == width:
                # A missing optional column reads the empty cell appended here.
                cells.append("")
                values = pick(cells)
            else:  # a spreadsheet row without its trailing empty cells
                values = tuple(
                    "" if p >= len(cells) or cells[p] is None else cells[p] for p in positions
                )
            ref = cell_text(values[0])
            raw_keys = tuple(values[1:7])
            if raw_keys != current_raw_keys:
                # Only a row whose cells differ from the previous one's is normalised again.
                journey_keys = tuple(cell_text(v) for v in raw_keys)
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

    def _journey(self, line: int, ref: str, values: tuple[Any, ...]) -> ParsedJourney | None:
        ok = True
        if message := file_ref_error(ref):
            self.error(line, "journey_ref", message)
            ok = False

        service_text = cell_text(values[1])
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

        area_text = cell_text(values[2])
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

        method = cell_text(values[4])
        if method not in METHODS:
            self.error(
                line,
                "method",
                _("“%(value)s” is not a method: use one of %(choices)s.")
                % {"value": method[:50], "choices": ", ".join(Method.values)},
            )
            ok = False

        phase = cell_text(values[5])
        if phase not in PHASES:
            self.error(
                line,
                "phase",
                _("“%(value)s” is not a phase: use baseline, after or none.")
                % {"value": phase[:50]},
            )
            ok = False
            phase = ""
        for name, message in pilot_errors(phase=phase, pilot=cell_text(values[6])).items():
            self.error(line, name, message)
            ok = False
        if not ok:
            return None
        assert service_id is not None and area_id is not None and observed_on is not None
        return ParsedJourney(
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
            text = cell_text(value)
            day = None
            if DATE.fullmatch(text):
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

    def _step_fast(self, values: tuple[Any, ...]) -> ParsedStep | None:
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
                    number, message = parse_count(cell)
                else:
                    parsed, message = parse_decimal(cell, maximum=maximum)
                    number = None if parsed is None else str(parsed)
                if message or number is None:
                    return None
                if cell.__class__ is str:
                    if len(cache) > CACHE_LIMIT:
                        cache.clear()
                    cache[cell] = number
            numbers.append(number)
        documents, days, hours, fees, travel, other, visits = numbers
        return (title, office, actor, documents, days, hours, fees, travel, other, visits,
                category, pain)  # fmt: skip

    def _step(self, line: int, values: tuple[Any, ...]) -> ParsedStep | None:
        ok = True
        texts: list[str] = []
        for name, position, longest, required in (
            ("title", 7, TITLE_MAX, True),
            ("office", 8, OFFICE_MAX, False),
            ("actor", 16, ACTOR_MAX, False),
            ("pain_point_category", 17, None, False),
            ("pain_point", 18, PAIN_DESCRIPTION_MAX, False),
        ):
            text = cell_text(values[position])
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
            count, message = count_cached(values[position], self.count_cache)
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
            number, message = decimal_text_cached(
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
