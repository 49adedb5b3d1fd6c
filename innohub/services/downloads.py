"""Journey exports as HTTP answers, for the API and the pages alike: a small export as its
file, sent once whole; a large one queued for the worker; a finished one's file."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import FileResponse

from . import exporter
from .models import JourneyExport
from .tasks import queue_journey_export

if TYPE_CHECKING:
    from innohub.accounts.models import User


def export_or_queue(
    *, user: User, fmt: str, service: int | None, area: str | None
) -> FileResponse | JourneyExport:
    """The export as a download when it has at most MAX_ROWS_DIRECT rows, else the queued
    JourneyExport the worker builds. Raises ValidationError naming `service`, `area` or
    `format`."""
    journeys = exporter.journeys_to_export(service=service, area=area)
    rows = exporter.count_rows(journeys)
    if problem := exporter.format_error(fmt, rows):
        raise ValidationError({"format": problem})
    if rows > exporter.MAX_ROWS_DIRECT:
        return queue_journey_export(by=user, fmt=fmt, service=service, area=area, rows=rows)
    # Built whole before the first byte is sent (and sent with its length): a failure is an
    # error answer, never a 200 with a file cut short.
    return FileResponse(
        exporter.built_file(journeys, fmt),
        as_attachment=True,
        filename=f"journeys-{datetime.date.today().isoformat()}.{fmt}",
        content_type=exporter.CONTENT_TYPES[fmt],
    )


def export_file_response(job: JourneyExport) -> FileResponse | None:
    """The file of a finished export, or None when there is none (not done, or expired)."""
    if not job.downloadable:
        return None
    path = Path(job.file_path)
    if not path.is_file():
        return None
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=exporter.CONTENT_TYPES[job.format],
    )
