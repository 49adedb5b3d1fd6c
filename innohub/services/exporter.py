"""Exporting final journeys in the import's own shape (docs/api.md, "GET /journeys/export"), so
that an export imported into an empty innohub recreates the same journeys and TCV.

Rows are produced journey by journey from keyset-paginated batches (steps and pain points
prefetched per batch), so that memory stays flat however many journeys there are. An export of
at most MAX_ROWS_DIRECT rows is built within the request (into a temporary file, sent only
once whole: a response never claims success for a file cut short); a larger one by the task
worker (`tasks.run_journey_export`) into a file kept for the person who asked.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from innohub.geo.models import Area

from . import pilot_link
from .checks import ID_PREFIX
from .importer import ALL_COLUMNS
from .models import Journey, JourneyStatus, JourneyStep, PainPoint, Service

BATCH = 1_000
# Exports of more rows are built by the worker (API.md, "GET /journeys/export").
MAX_ROWS_DIRECT = 100_000
# A worksheet holds 1,048,576 rows, the header one of them.
XLSX_MAX_ROWS = 1_048_575
PROGRESS_EVERY = 10_000
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def journeys_to_export(*, service: int | None = None, area: str | None = None) -> QuerySet[Journey]:
    """Final journeys (drafts are never exported), of a service id and/or an area code with
    everything below it. Refuses (ValidationError on `service` / `area`) an unknown one."""
    journeys = Journey.objects.filter(status=JourneyStatus.FINAL)
    if service is not None:
        if not Service.objects.filter(pk=service).exists():
            raise ValidationError({"service": _("No service has the id %(id)s.") % {"id": service}})
        journeys = journeys.filter(service_id=service)
    if area:
        within = Area.objects.filter(code=area).only("path").first()
        if within is None:
            raise ValidationError({"area": _("No area has the code “%(code)s”.") % {"code": area}})
        journeys = journeys.filter(area__path__startswith=within.path)
    return journeys


def count_rows(journeys: QuerySet[Journey]) -> int:
    """How many step rows an export of `journeys` has (one per step)."""
    return JourneyStep.objects.filter(journey__in=journeys).count()


def format_error(fmt: str, rows: int) -> str:
    """Why `rows` cannot be exported as `fmt`, or ""."""
    if fmt == "xlsx" and rows > XLSX_MAX_ROWS:
        return _(
            "%(rows)s rows do not fit in a workbook (at most %(limit)s): export them as CSV, "
            "or choose a service or an area."
        ) % {"rows": f"{rows:,}", "limit": f"{XLSX_MAX_ROWS:,}"}
    return ""


def export_rows(journeys: QuerySet[Journey]) -> Iterator[list[Any]]:
    """The header, then one row per step, journeys in id order, steps in step order.

    A step has at most one pain point in a file; where it has more (through the JSON API),
    the first is written. Three queries a batch of BATCH journeys (journeys, their steps,
    their steps' pain points), read as tuples: no model is built for a row.
    """
    yield list(ALL_COLUMNS)
    base = journeys.order_by("pk").values_list(
        "pk", "ref", "service_id", "area__code", "observed_on", "method"
    )
    last = 0
    while True:
        batch = list(base.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        ids = [row[0] for row in batch]
        steps = list(
            JourneyStep.objects.filter(journey_id__in=ids)
            .order_by("journey_id", "position", "id")
            .values_list("journey_id", "id", *_STEP_COLUMNS)
        )
        first_pain: dict[int, tuple[str, str]] = {}
        for step_id, category, description in (
            PainPoint.objects.filter(journey_step__journey_id__in=ids)
            .order_by("id")
            .values_list("journey_step_id", "category", "description")
        ):
            first_pain.setdefault(step_id, (category, description))
        by_journey: dict[int, list[tuple[Any, ...]]] = {}
        for step in steps:
            by_journey.setdefault(step[0], []).append(step)
        links = pilot_link.read_many(ids)
        for pk, ref, service_id, area_code, observed_on, method in batch:
            link = links.get(pk, pilot_link.UNLINKED)
            head = [
                ref or f"{ID_PREFIX}{pk}",
                service_id,
                area_code,
                observed_on.isoformat(),
                method,
                link.phase,
                "" if link.pilot is None else link.pilot,
            ]
            for step in by_journey.get(pk, ()):
                category, description = first_pain.get(step[1], ("", ""))
                yield [*head, *step[2:], category, description]
        last = ids[-1]


# A step's columns in the file's order (title … visits, then actor), as stored.
_STEP_COLUMNS = ("title", "office", "documents", "elapsed_days", "citizen_hours", "fees",
                 "travel_cost", "other_cost", "visits", "actor")  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def write_file(
    journeys: QuerySet[Journey],
    fmt: str,
    target: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the export as `fmt` to `target`, calling `progress(rows written)` now and then;
    answers how many step rows it wrote (the header not counted)."""
    written = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal written
        rows = export_rows(journeys)
        yield next(rows)  # the header
        for values in rows:
            yield values
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(written)

    if fmt == "xlsx":
        _write_xlsx_rows(counted(), target)
    else:
        # A byte-order mark: Excel on Windows reads a CSV without one in the machine's code
        # page and garbles Bangla; every import here (and Excel, LibreOffice) reads it as UTF-8.
        target.write(codecs.BOM_UTF8)
        writer = csv.writer(_Echo())
        buffer: list[str] = []
        for values in counted():
            buffer.append(writer.writerow(values))
            if len(buffer) >= 500:
                target.write("".join(buffer).encode("utf-8"))
                buffer = []
        target.write("".join(buffer).encode("utf-8"))
    return written


def built_file(journeys: QuerySet[Journey], fmt: str) -> IO[bytes]:
    """The whole export in a temporary file (in memory up to 16 MiB), at its start."""
    target = tempfile.SpooledTemporaryFile(max_size=16 * 2**20)  # noqa: SIM115 - the response closes it
    write_file(journeys, fmt, target)
    target.seek(0)
    return target


def _write_xlsx_rows(rows: Iterator[list[Any]], target: IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Journeys"))
    for values in rows:
        for position, value in enumerate(values):
            if value.__class__ is str and value.startswith("="):
                # Text stays text: a title starting with "=" is not a formula (it would run
                # in the reader's spreadsheet, and would not come back as typed). Only such
                # text needs a cell of its own; the rest is appended as values (faster).
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                values[position] = cell
        sheet.append(values)
    workbook.save(target)


def csv_bytes(journeys: QuerySet[Journey]) -> bytes:
    out = io.BytesIO()
    write_file(journeys, "csv", out)
    return out.getvalue()
