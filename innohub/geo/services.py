"""Writes for areas: the ISO 3166 loader, the CSV import and single creates."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innohub.core.audit import record_bulk_import

from .models import (
    CODE_MAX_LENGTH,
    LEVEL_RANK,
    POPULATION_MAX,
    Area,
    Level,
    is_known_currency,
    level_label,
    placement_error,
)

if TYPE_CHECKING:  # the user model lives above this app: type with Django's base
    from django.contrib.auth.models import AbstractUser

DATA_DIR = Path(__file__).resolve().parent / "data"

# Depth in pycountry's subdivision hierarchy → our level (the country itself is above).
LEVELS_BY_DEPTH = [Level.DIVISION, Level.DISTRICT, Level.SUBDISTRICT, Level.UNION]

# Query parameters per `code IN (...)`, well under every backend's limit.
LOOKUP_CHUNK = 500
BATCH_SIZE = 500


def normalise_text(value: str) -> str:
    """Trimmed, and in Unicode NFC, so that the same Bangla name typed two ways is one name."""
    return unicodedata.normalize("NFC", value.strip())


# --- Loading a country from ISO 3166 -----------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    country: str
    created: int
    updated: int
    unchanged: int


def _shipped_data(country: str) -> dict[str, tuple[str, int | None]]:
    """`code → (name_local, population)` from `data/<country>_areas.csv`, if innohub has one."""
    path = DATA_DIR / f"{country.lower()}_areas.csv"
    if not path.exists():
        return {}
    data: dict[str, tuple[str, int | None]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            population = row["population"].strip()
            data[row["code"].strip()] = (
                normalise_text(row["name_local"]),
                int(population) if population else None,
            )
    return data


def _pycountry_depth(subdivision: Any, by_code: dict[str, Any]) -> int:
    depth, parent_code = 0, subdivision.parent_code
    while parent_code in by_code:
        depth += 1
        parent_code = by_code[parent_code].parent_code
        if depth > len(LEVELS_BY_DEPTH):
            break
    return depth


@transaction.atomic
def load_country(*, code: str) -> LoadResult:
    """Create or update a country and its ISO 3166-2 subdivisions, by code.

    Levels follow pycountry's hierarchy (top → division, next → district, next →
    subdistrict). Bangla names and populations come from the data file shipped for the
    country (`data/bd_areas.csv`); an empty value there leaves the area's own value alone.
    Idempotent: an area that already has these values is not written again. Refuses an
    unknown ISO 3166-1 alpha-2 code (ValidationError on `code`).
    """
    alpha_2 = (code or "").strip().upper()
    country = (
        pycountry.countries.get(alpha_2=alpha_2) if re.fullmatch(r"[A-Z]{2}", alpha_2) else None
    )
    if country is None:
        raise ValidationError(
            {
                "code": _(
                    "“%(code)s” is not an ISO 3166-1 country code: use two letters, such as BD."
                )
                % {"code": code}
            }
        )
    subdivisions = list(pycountry.subdivisions.get(country_code=alpha_2) or [])
    by_code = {sub.code: sub for sub in subdivisions}
    depths = {sub.code: _pycountry_depth(sub, by_code) for sub in subdivisions}
    if any(depth >= len(LEVELS_BY_DEPTH) for depth in depths.values()):
        raise ValidationError(
            {
                "code": _("%(code)s has more levels of subdivisions than innohub knows.")
                % {"code": alpha_2}
            }
        )

    # (code, name, level, parent code), every parent before its children.
    wanted: list[tuple[str, str, str, str | None]] = [(alpha_2, country.name, Level.COUNTRY, None)]
    for sub in sorted(subdivisions, key=lambda s: (depths[s.code], s.code)):
        parent_code = sub.parent_code if sub.parent_code in by_code else alpha_2
        wanted.append((sub.code, sub.name, LEVELS_BY_DEPTH[depths[sub.code]], parent_code))

    shipped = _shipped_data(alpha_2)
    existing = _areas_by_code(entry[0] for entry in wanted)
    areas: dict[str, Area] = {}
    created = updated = unchanged = 0
    for area_code, name, level, parent_code in wanted:
        parent = areas[parent_code] if parent_code else None
        values: dict[str, Any] = {"name": name, "level": str(level)}
        name_local, population = shipped.get(area_code, ("", None))
        if name_local:
            values["name_local"] = name_local
        if population is not None:
            values["population"] = population
        area = existing.get(area_code)
        same = (
            area is not None
            and area.parent_id == (parent.pk if parent else None)
            and all(getattr(area, key) == value for key, value in values.items())
        )
        if area is None:
            area = Area(code=area_code, parent=parent, **values)
            created += 1
        elif same:
            unchanged += 1
        else:
            area.parent = parent
            for key, value in values.items():
                setattr(area, key, value)
            updated += 1
        if not same:
            area.clean()
            area.save()
        areas[area_code] = area
    return LoadResult(country=alpha_2, created=created, updated=updated, unchanged=unchanged)


# --- Importing areas from a CSV file -------------------------------------------------------

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
# Up to 12 digits before the point and 2 after (API.md's size for money).
_MONEY = re.compile(r"\d{1,12}(\.\d{1,2})?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class RowError:
    """One problem in an import file: its line (the header is line 1), column and reason."""

    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
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


def import_areas_csv(
    *, file: IO[str] | IO[bytes] | bytes | str, by: AbstractUser | None, file_name: str = ""
) -> ImportResult:
    """Import areas (any level) from a CSV file, all or nothing.

    Columns `code,name,name_local,level,parent_code,population,hourly_wage,wage_currency`
    (`name_local`, `population`, `hourly_wage`, `wage_currency` may be empty; `parent_code`
    only for a country). The whole file is checked first and every bad row is reported as
    (line — the header is line 1 —, column, reason); if there is any, nothing is written.
    A parent is an area already in innohub or on an earlier line. An existing code with the
    same values is left unchanged, with other values it is updated (moving an area moves
    everything below it). One transaction and one audit entry (`BulkImport`). `by` None is
    the command line; a person needs the rights to add and change areas (else PermissionDenied).
    """
    if by is not None and not by.has_perm("geo.import_areas"):
        raise PermissionDenied(_("Only programme managers and administrators import areas."))
    try:
        content = file if isinstance(file, bytes | str) else file.read()
    except UnicodeDecodeError:
        return ImportResult(errors=[RowError(1, "", str(NOT_UTF8))])
    raw = content.encode("utf-8") if isinstance(content, str) else content

    rows, errors, readable = _parse(raw)
    if not readable:
        return ImportResult(errors=errors)
    try:
        with transaction.atomic():
            plan, cross_errors = _check(rows)
            if errors or cross_errors:
                return ImportResult(errors=_in_file_order(errors + cross_errors))
            result = _write(plan)
            record_bulk_import(
                kind="geo.areas",
                by=by,
                content=raw,
                file_name=file_name.replace("\x00", ""),
                rows=len(rows),
                counts={
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    except IntegrityError:
        # Someone else created one of these codes between our checks and our writes.
        message = _("The areas changed while this file was imported: import it again.")
        return ImportResult(errors=[RowError(1, "", message)])
    return result


NOT_UTF8 = gettext_lazy("The file is not UTF-8 text: save it as “CSV UTF-8” and import it again.")


def _in_file_order(errors: list[RowError]) -> list[RowError]:
    order = {column: index for index, column in enumerate(("", *COLUMNS))}
    return sorted(errors, key=lambda error: (error.line, order.get(error.column, len(order))))


def _decode(raw: bytes) -> tuple[str, set[int]]:
    """The text, and the numbers of the lines that are not valid UTF-8 (decoded with U+FFFD
    in place of the bad bytes, so that the rest of the file can still be checked)."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8"), set()
    except UnicodeDecodeError:
        bad = set()
        # bytes.splitlines() breaks lines where the csv reader does (\n, \r\n, \r).
        for number, line in enumerate(raw.splitlines(), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad.add(number)
        return raw.decode("utf-8", errors="replace"), bad


def _check_header(header: list[str]) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            message = _("The column “%(column)s” appears twice.") % {"column": column}
            errors.append(RowError(1, column, message))
        elif not column:
            message = _("A column has no name: is there a comma too many in the header?")
            errors.append(RowError(1, column, message))
        elif column not in COLUMNS:
            message = _("Unknown column “%(column)s”: the columns are %(columns)s.") % {
                "column": column,
                "columns": ", ".join(COLUMNS),
            }
            errors.append(RowError(1, column, message))
        seen.add(column)
    for column in COLUMNS:
        if column not in seen:
            message = _("The column “%(column)s” is missing.") % {"column": column}
            errors.append(RowError(1, column, message))
    return errors


def _parse(raw: bytes) -> tuple[list[_Row], list[RowError], bool]:
    """The rows, the problems found within single rows, and whether the rows could be read
    at all (False for an empty file or a bad header: then there is nothing more to check)."""
    text, bad_lines = _decode(raw)
    if not text.strip():
        return [], [RowError(1, "", _("The file is empty."))], False
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except csv.Error as exc:
        message = _("The header is not valid CSV: %(error)s") % {"error": exc}
        return [], [RowError(1, "", message)], False
    errors = _check_header(header)
    if 1 in bad_lines:
        errors.insert(0, RowError(1, "", str(NOT_UTF8)))
    if errors:
        return [], errors, False

    rows: list[_Row] = []
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # An unclosed quote swallows the rest of the file: nothing after it can be read.
            message = _("This line is not valid CSV: %(error)s") % {"error": exc}
            errors.append(RowError(start, "", message))
            break
        end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is not an area
        if len(cells) != len(header):
            message = _("This line has %(found)d values; the header has %(expected)d.") % {
                "found": len(cells),
                "expected": len(header),
            }
            errors.append(RowError(start, "", message))
            continue
        undecodable = not bad_lines.isdisjoint(range(start, end + 1))
        row, row_errors = _parse_row(start, dict(zip(header, cells, strict=True)), undecodable)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        return [], [RowError(2, "", _("The file has a header but no areas."))], False
    return rows, errors, True


def _parse_row(
    line: int, record: dict[str, str], undecodable: bool
) -> tuple[_Row | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    cells: dict[str, str] = {}
    for column in COLUMNS:
        value = normalise_text(record[column])
        if "\x00" in value:
            fail(column, _("Contains the NUL character, which text may not contain."))
            value = ""
        elif undecodable and "\ufffd" in value:
            fail(column, str(NOT_UTF8))
            value = ""
        cells[column] = value
    if undecodable and not errors:
        fail("", str(NOT_UTF8))
    failed = {error.column for error in errors}

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
    row = _Row(line, code, cells["parent_code"], values, valid=not errors)
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


def _areas_by_code(codes: Iterable[str]) -> dict[str, Area]:
    """The areas with these codes, in a few queries however many codes there are."""
    wanted = sorted(set(codes))
    found: dict[str, Area] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        found.update((area.code, area) for area in Area.objects.filter(code__in=chunk))
    return found


@dataclass
class _Plan:
    new: list[_Row]
    changed: list[tuple[_Row, Area]]
    unchanged: int
    existing: dict[str, Area]


def _check(rows: list[_Row]) -> tuple[_Plan, list[RowError]]:
    """The checks across rows and against innohub: duplicates, parents, levels."""
    codes = [row.code for row in rows] + [row.parent_code for row in rows if row.parent_code]
    existing = _areas_by_code(codes)
    # The level each code will have once the file is in: the file's word wins.
    final_level = {code: area.level for code, area in existing.items()}
    first_line: dict[str, int] = {}
    for row in rows:
        if row.level and row.code not in first_line:
            final_level[row.code] = row.level
        first_line.setdefault(row.code, row.line)

    errors: list[RowError] = []
    plan = _Plan(new=[], changed=[], unchanged=0, existing=existing)
    earlier: set[str] = set()
    for row in rows:
        if first_line[row.code] != row.line:
            message = _("“%(code)s” appears twice in the file (first on line %(first)d).")
            errors.append(
                RowError(
                    row.line, "code", message % {"code": row.code, "first": first_line[row.code]}
                )
            )
            continue
        earlier.add(row.code)
        problem = _placement_problem(row, earlier, existing, final_level)
        if problem is not None:
            errors.append(problem)
            continue
        if not row.valid:
            continue
        area = existing.get(row.code)
        if area is None:
            plan.new.append(row)
        elif _differs(row, area, existing):
            plan.changed.append((row, area))
        else:
            plan.unchanged += 1
    errors.extend(_check_existing_children(plan.changed, final_level))
    return plan, errors


def _placement_problem(
    row: _Row, earlier: set[str], existing: dict[str, Area], final_level: dict[str, str]
) -> RowError | None:
    parent = row.parent_code
    if parent == row.code:
        return RowError(row.line, "parent_code", _("An area cannot sit under itself."))
    if parent and parent not in earlier and parent not in existing:
        message = _(
            "Unknown parent code “%(code)s”: it is neither in innohub nor on an earlier line."
        )
        return RowError(row.line, "parent_code", message % {"code": parent})
    parent_level = final_level.get(parent) if parent else None
    if not row.level or (parent and parent_level is None):
        return None  # an unknown level was reported already
    problem = placement_error(level=row.level, parent_level=parent_level)
    if problem:
        return RowError(row.line, "level" if parent else "parent_code", problem)
    return None


def _differs(row: _Row, area: Area, existing: dict[str, Area]) -> bool:
    if row.parent_code and row.parent_code not in existing:
        return True  # its new parent is created by this file
    parent = existing.get(row.parent_code) if row.parent_code else None
    if area.parent_id != (parent.pk if parent else None):
        return True
    # Compared as values: a wage of 70 is the 70.00 already stored.
    return any(getattr(area, key) != value for key, value in row.values.items())


def _check_existing_children(
    changed: list[tuple[_Row, Area]], final_level: dict[str, str]
) -> list[RowError]:
    """An existing area whose level goes down must stay above its sub-areas in innohub."""
    lowered = {area.pk: row for row, area in changed if row.level != area.level}
    errors: list[RowError] = []
    ids = sorted(lowered)
    reported: set[int] = set()
    for start in range(0, len(ids), LOOKUP_CHUNK):
        children = Area.objects.filter(parent_id__in=ids[start : start + LOOKUP_CHUNK])
        for code, level, parent_id in children.values_list("code", "level", "parent_id"):
            row = lowered[parent_id]
            child_level = final_level.get(code, level)
            if parent_id in reported or LEVEL_RANK[child_level] > LEVEL_RANK[row.level]:
                continue
            reported.add(parent_id)
            message = _(
                "%(code)s has sub-areas at level %(child_level)s in innohub (such as "
                "%(child)s): a %(level)s cannot hold them."
            ) % {
                "code": row.code,
                "child_level": level_label(child_level),
                "child": code,
                "level": level_label(row.level),
            }
            errors.append(RowError(row.line, "level", message))
    return errors


def _write(plan: _Plan) -> ImportResult:
    """Create, then update, then move. A new area's parent must have an id before the area
    is created, so new areas are created a generation at a time (parents first)."""
    areas = dict(plan.existing)
    generation: dict[str, int] = {}
    for row in plan.new:
        generation[row.code] = generation.get(row.parent_code, -1) + 1
    created = 0
    for depth in range(max(generation.values(), default=-1) + 1):
        rows = [row for row in plan.new if generation[row.code] == depth]
        batch = [
            Area(
                code=row.code,
                parent_id=areas[row.parent_code].pk if row.parent_code else None,
                **row.values,
            )
            for row in rows
        ]
        Area.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        areas.update((area.code, area) for area in batch)
        _write_paths(batch)
        created += len(batch)

    staying: list[tuple[Area, dict[str, Any]]] = []
    moving: list[_Row] = []
    for row, area in plan.changed:
        parent_id = areas[row.parent_code].pk if row.parent_code else None
        if area.parent_id == parent_id:
            staying.append((area, row.values))
        else:
            moving.append(row)
    _write_changes(staying)

    # A move rewrites the paths of everything below (TreeNode.save); read each area fresh,
    # since an earlier move may have rewritten its path or its new parent's.
    for row in moving:
        area = Area.objects.get(code=row.code)
        for key, value in row.values.items():
            setattr(area, key, value)
        area.parent = Area.objects.get(code=row.parent_code) if row.parent_code else None
        area.save()

    return ImportResult(created=created, updated=len(plan.changed), unchanged=plan.unchanged)


def _write_changes(changes: list[tuple[Area, dict[str, Any]]]) -> None:
    """Only the fields that changed, one UPDATE per field and new value (per 500 areas):
    a new wage for every union of a district is one query, not one per union, and far
    cheaper than a bulk_update, whose every row is a CASE branch of every field."""
    now = timezone.now()
    ids_by_change: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for area, values in changes:
        for key, value in values.items():
            if getattr(area, key) != value:
                ids_by_change[(key, value)].append(area.pk)
    for (key, value), ids in ids_by_change.items():
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = Area.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK])
            chunk.update(**{key: value, "modified": now})


def _write_paths(new_areas: list[Area]) -> None:
    """The materialised paths of freshly created areas whose parents already have theirs:
    the parent's path and the area's own id, set in the database a chunk at a time (a
    bulk_update would send every path back as a CASE branch)."""
    parent = Area.objects.filter(pk=OuterRef("parent_id"))
    own_id = Cast("id", output_field=CharField())
    for parented in (True, False):
        ids = [area.pk for area in new_areas if (area.parent_id is not None) == parented]
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = Area.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK])
            if parented:
                chunk.update(
                    path=Concat(
                        Subquery(parent.values("path")[:1]),
                        own_id,
                        Value("/"),
                        output_field=CharField(),
                    ),
                    depth=Subquery(parent.values("depth")[:1]) + 1,
                )
            else:
                chunk.update(
                    path=Concat(Value("/"), own_id, Value("/"), output_field=CharField()),
                    depth=0,
                )


# --- Single areas ------------------------------------------------------------------------


@transaction.atomic
def create_area(
    *,
    by: AbstractUser,
    code: str,
    name: str,
    level: str,
    parent: Area | None = None,
    name_local: str = "",
    population: int | None = None,
    hourly_wage: Decimal | None = None,
    wage_currency: str = "",
) -> Area:
    """Create one area. Refuses (ValidationError, by field) a code in use or longer than 32
    characters, a level not below the parent's, a non-country without a parent, a wage
    without a currency; PermissionDenied unless `by` may add areas."""
    if not by.has_perm("geo.add_area"):
        raise PermissionDenied(_("Only programme managers and administrators add areas."))
    area = Area(
        code=normalise_text(code),
        name=normalise_text(name),
        name_local=normalise_text(name_local),
        level=level,
        parent=parent,
        population=population,
        hourly_wage=hourly_wage,
        wage_currency=wage_currency.strip().upper(),
    )
    area.full_clean()
    area.save()
    return area
