"""The check pass: the file read once, every row validated, each journey whose rows are all
good handed on parsed. The journey's columns are checked here, its step cells by
`step_cells.StepCells` (a fast path, then the full check when in doubt)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.imports import (
    REPLACEMENT,
    FileProblem,
    RowError,
    RowErrors,
    cell_text,
    check_header,
    has_content,
    not_utf8_message,
    records,
    undecodable,
    width_error,
)
from innohub.geo.models import Area

from .. import pilot_link
from ..checks import file_ref_error, observed_on_error
from ..models import Method, Service
from ..pilot_link import PilotFacts
from .format import (
    ALL_COLUMNS,
    COLUMNS,
    JOURNEY_COLUMNS,
    METHODS,
    OPTIONAL_COLUMNS,
    PHASES,
    PROGRESS_EVERY,
)
from .step_cells import ParsedStep, StepCells

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Lookups:
    """What rows refer to, looked up once per distinct value."""

    today: date
    by: Any = None  # the person importing: whether they may link journeys to a pilot
    services: dict[str, int | None] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)
    areas_any_case: dict[str, int] = field(default_factory=dict)
    area_paths: dict[int, str] = field(default_factory=dict)
    pilots: dict[int, PilotFacts | None] = field(default_factory=dict)

    @classmethod
    def load(cls, *, by: Any = None) -> Lookups:
        lookups = cls(today=timezone.localdate(), by=by)
        # Every area code at once: a country has thousands, not millions.
        for code, pk, path in Area.objects.order_by("pk").values_list("code", "pk", "path"):
            lookups.areas[code] = pk
            lookups.areas_any_case.setdefault(code.upper(), pk)
            lookups.area_paths[pk] = path
        return lookups

    def pilot(self, pk: int) -> PilotFacts | None:
        """What the link rules read of pilot `pk` (None: no such pilot), once per pilot."""
        if pk not in self.pilots:
            found = pilot_link.linker()
            self.pilots[pk] = None if found is None else found.facts(pk, by=self.by)
        return self.pilots[pk]

    def area(self, text: str) -> int | None:
        """The area with this code: the exact code first, then in any case (SETTLED.md), as
        `geo.selectors.area_from_ref` finds it for pages and the API."""
        return self.areas.get(text) or self.areas_any_case.get(text.upper())

    def service(self, text: str) -> int | None:
        if text not in self.services:
            pk = int(text) if text.isdigit() and len(text) < 19 else None
            exists = pk is not None and Service.objects.filter(pk=pk).exists()
            self.services[text] = pk if exists else None
        return self.services[text]


@dataclass
class ParsedJourney:
    line: int
    ref: str
    service_id: int
    area_id: int
    observed_on: date
    method: str
    steps: list[ParsedStep] = field(default_factory=list)
    pilot_id: int | None = None
    phase: str = "none"


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
        # Every error counted, the first MAX_ERRORS kept: a file of bad rows costs no more.
        self.errors = RowErrors()
        self.rows = 0
        self.step_cells = StepCells()

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
                faults: list[RowError] = []
                if ref in finished_refs:
                    message = _(
                        "The rows of journey “%(ref)s” must be together: it came back after "
                        "another journey."
                    ) % {"ref": ref[:100]}
                    faults.append(RowError(line, "journey_ref", message))
                    parsed = None
                else:
                    parsed = self._journey(line, ref, values, faults)
                self.errors.extend(faults)
                # Each later row of this journey repeats these columns: it has the same faults.
                journey_faults = [(e.field, e.message) for e in faults]
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
            step = self.step_cells.fast(values)
            if step is None:
                step, problems = self.step_cells.check(line, values)
                self.errors.extend(problems)
            if step is None:
                current_ok = False
            elif current is not None and current_ok:
                current.steps.append(step)
        if current is not None and current_ok:
            yield current

    def _journey(
        self, line: int, ref: str, values: tuple[Any, ...], faults: list[RowError]
    ) -> ParsedJourney | None:
        """The journey of a journey's first row, or None; its problems go to `faults`."""

        def error(column: str, message: str) -> None:
            faults.append(RowError(line, column, str(message)))

        ok = True
        if message := file_ref_error(ref):
            error("journey_ref", message)
            ok = False

        service_text = cell_text(values[1])
        service_id = self.lookups.service(service_text)
        if service_id is None:
            error(
                "service",
                _("No service has the id “%(value)s”.") % {"value": service_text[:50]}
                if service_text
                else _("Give the service's id."),
            )
            ok = False

        area_text = cell_text(values[2])
        area_id = self.lookups.area(area_text)
        if area_id is None:
            error(
                "area",
                _("No area has the code “%(value)s”.") % {"value": area_text[:50]}
                if area_text
                else _("Give the area's code."),
            )
            ok = False

        observed_on = self._date(line, values[3], faults)
        ok = ok and observed_on is not None

        method = cell_text(values[4])
        if method not in METHODS:
            error(
                "method",
                _("“%(value)s” is not a method: use one of %(choices)s.")
                % {"value": method[:50], "choices": ", ".join(Method.values)},
            )
            ok = False

        phase = cell_text(values[5])
        pilot_id: int | None = None
        if phase not in PHASES:
            error(
                "phase",
                _("“%(value)s” is not a phase: use baseline, after or none.")
                % {"value": phase[:50]},
            )
            ok = False
        else:
            pilot_text = cell_text(values[6])
            for name, message in pilot_link.shape_errors(phase=phase, pilot=pilot_text).items():
                error(name, message)
                ok = False
            if ok and pilot_text:
                pilot_id = self._pilot(pilot_text, phase, service_id, area_id, observed_on, error)
                ok = pilot_id is not None
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
            pilot_id=pilot_id,
            phase=phase or "none",
        )

    def _pilot(
        self,
        text: str,
        phase: str,
        service_id: int | None,
        area_id: int | None,
        observed_on: date | None,
        error: Callable[[str, str], None],
    ) -> int | None:
        """The id of the pilot the journey counts for, if it may (else None, and why)."""
        pk = int(text) if text.isdigit() and len(text) < 19 else None
        facts = self.lookups.pilot(pk) if pk is not None else None
        if facts is None:
            error("pilot", _("No pilot has the id “%(value)s”.") % {"value": text[:50]})
            return None
        if not facts.may_link:
            error(
                "pilot",
                _(
                    "Only pilot %(id)s's lead, its mentor, the innovation team and programme "
                    "managers count journeys for it."
                )
                % {"id": facts.id},
            )
            return None
        found = pilot_link.linker()
        if found is None or service_id is None or area_id is None or observed_on is None:
            return None
        problems = found.errors(
            facts,
            phase=phase,
            service_id=service_id,
            area_path=self.lookups.area_paths[area_id],
            observed_on=observed_on,
        )
        for name, message in problems.items():
            error(name, message)
        return None if problems else facts.id

    def _date(self, line: int, value: Any, faults: list[RowError]) -> date | None:
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
                message = (
                    _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text[:50]}
                    if text
                    else _("Give the day the journey began (YYYY-MM-DD).")
                )
                faults.append(RowError(line, "observed_on", message))
                return None
        assert day is not None
        if problem := observed_on_error(day, today=self.lookups.today):
            faults.append(RowError(line, "observed_on", str(problem)))
            return None
        return day
