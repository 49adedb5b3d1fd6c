"""Exporting final journeys in the import's own shape (docs/api.md, "GET /journeys/export"), so
that an export imported into an empty innohub recreates the same journeys and TCV.

Rows are produced journey by journey from keyset-paginated batches (steps and pain points
prefetched per batch), so that memory stays flat however many journeys there are.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from innohub.geo.models import Area

from .checks import ID_PREFIX
from .importer import ALL_COLUMNS
from .models import Journey, JourneyStatus, JourneyStep, Service

BATCH = 1_000
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


def csv_chunks(journeys: QuerySet[Journey]) -> Iterator[bytes]:
    """The export as UTF-8 CSV, streamed (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo())
    buffer: list[str] = []
    for values in export_rows(journeys):
        buffer.append(writer.writerow(values))
        if len(buffer) >= 500:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def write_csv(journeys: QuerySet[Journey], target: IO[bytes]) -> None:
    for chunk in csv_chunks(journeys):
        target.write(chunk)


def write_xlsx(journeys: QuerySet[Journey], target: IO[bytes]) -> None:
    """The export as an XLSX workbook (one sheet), written row by row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Journeys"))
    for values in export_rows(journeys):
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


def xlsx_file(journeys: QuerySet[Journey]) -> IO[bytes]:
    """The XLSX export in a temporary file, positioned at its start."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    write_xlsx(journeys, target)
    target.seek(0)
    return target


def csv_bytes(journeys: QuerySet[Journey]) -> bytes:
    out = io.BytesIO()
    write_csv(journeys, out)
    return out.getvalue()
