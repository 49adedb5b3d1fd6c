"""Exporting final journeys in the import's own shape (docs/api.md, "GET /journeys/export"), so
that an export imported into an empty innohub recreates the same journeys and TCV.

Rows are produced journey by journey from keyset-paginated batches (steps and pain points
prefetched per batch), so that memory stays flat however many journeys there are. An export of
at most MAX_ROWS_DIRECT rows is built within the request (into a temporary file, sent only
once whole: a response never claims success for a file cut short); a larger one by the task
worker (`tasks.run_journey_export`) into a file kept for the person who asked.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from innohub.geo.models import Area

from .checks import ID_PREFIX
from .importer import ALL_COLUMNS
from .models import Journey, JourneyStatus, JourneyStep, Service

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
    the first is written.
    """
    yield list(ALL_COLUMNS)
    steps = Prefetch(
        "steps",
        queryset=JourneyStep.objects.order_by("position", "id").prefetch_related("pain_points"),
    )
    base = journeys.select_related("area").prefetch_related(steps).order_by("pk")
    last = 0
    while True:
        batch = list(base.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        for journey in batch:
            ref = journey.ref or f"{ID_PREFIX}{journey.pk}"
            head = [
                ref,
                journey.service_id,
                journey.area.code,
                journey.observed_on.isoformat(),
                journey.method,
                "none",  # no pilots exist yet
                "",
            ]
            for step in journey.steps.all():
                pains = list(step.pain_points.all())
                pain = pains[0] if pains else None
                yield [
                    *head,
                    step.title,
                    step.office,
                    step.documents,
                    step.elapsed_days,
                    step.citizen_hours,
                    step.fees,
                    step.travel_cost,
                    step.other_cost,
                    step.visits,
                    step.actor,
                    pain.category if pain else "",
                    pain.description if pain else "",
                ]
        last = batch[-1].pk


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
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Text stays text: a title starting with "=" is not a formula (it would run
                # in the reader's spreadsheet, and would not come back as typed).
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(target)


def csv_bytes(journeys: QuerySet[Journey]) -> bytes:
    out = io.BytesIO()
    write_file(journeys, "csv", out)
    return out.getvalue()
