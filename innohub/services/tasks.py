"""Background work for services: journey files too large to import or export within a request.

An upload is kept in `IMPORT_DIR` (storage the app servers and workers share) until the worker
(`manage.py worker`) has imported it; `JourneyImport` carries the progress, then the result or
the bad rows. A large export is written by the worker into `JOB_FILE_DIR` (shared too) and kept
`JOB_FILE_DAYS`; `JourneyExport` carries the progress, then the file. Both are jobs of
`innohub.core.jobs`: they always end, and a dead worker's job is run again.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from innohub.core import jobs
from innohub.core.imports import file_digest, file_kind

from . import exporter
from .importer import NOT_IMPORTED, count_rows, import_journeys
from .importer.staging import discard_staged
from .models import JourneyExport, JourneyImport

if TYPE_CHECKING:
    from innohub.accounts.models import User

# NOT_IMPORTED too: callers read it here.
__all__ = [
    "NOT_IMPORTED",
    "queue_journey_export",
    "queue_journey_import",
    "run_journey_export",
    "run_journey_import",
]

# Stored in English, shown translated (`Job.error_display`).
FILE_GONE = gettext_noop(
    "The uploaded file is no longer there (is INNOHUB_IMPORT_DIR shared by the app servers and "
    "the workers?): nothing was imported. Upload the file again."
)
REQUEST_STOPPED = gettext_noop(
    "This file was being imported within a request that stopped before it ended: nothing "
    "was imported. Upload the file again."
)


def import_dir() -> Path:
    return Path(settings.IMPORT_DIR)


def queue_journey_import(*, by: User, source: IO[bytes], file_name: str = "") -> JourneyImport:
    """Keep the file and queue its import; the worker does the rest (`run_journey_import`).

    Promises a `queued` JourneyImport whose task is enqueued once this transaction commits.
    Permission is checked by the import itself, when it runs, and by the caller before.
    """
    directory = import_dir()
    directory.mkdir(parents=True, exist_ok=True)
    kind = file_kind(source, file_name)
    path = directory / f"{uuid.uuid4().hex}.{kind}"
    source.seek(0)
    with path.open("wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)
    source.seek(0)
    job = JourneyImport.objects.create(
        by=by,
        file_name=file_name.replace("\x00", "")[:255],
        digest=file_digest(source),
        stored_path=str(path),
    )
    jobs.enqueue(job)
    return job


@task()
def run_journey_import(import_id: int) -> str:
    """Import a queued journey file: check it (reporting progress), then write it.

    A job of `innohub.core.jobs`: it always ends `done` or `failed` (with a reason), or is
    queued again when its worker stops. Its journeys are staged in short transactions and
    published in the one that ends the import, so no one sees them half-written; a second run
    first discards what the first staged. The stored file, and whatever was staged and not
    published, are removed once the import has ended (`JourneyImport.ended`)."""
    return jobs.run(JourneyImport, import_id, _import_file)


def _import_file(job: JourneyImport) -> None:
    # A job queued again (by the sweep, or given back by a stopped worker) starts afresh.
    discard_staged(import_id=job.pk)
    if not job.stored_path:
        # Only an import within a request has no stored file: its request stopped mid-write
        # (its lease ran out) and its file is gone with it.
        jobs.finish(job, ok=False, error=REQUEST_STOPPED)
        return
    path = Path(job.stored_path)
    if not path.is_file():
        jobs.finish(job, ok=False, error=FILE_GONE)
        return
    with path.open("rb") as source:
        kind = file_kind(source, job.file_name)
        total = count_rows(source, kind)
        jobs.report_progress(job, 0, rows_total=total)

        def progress(rows: int) -> None:
            # Its own short write: the check holds no transaction (TOOLCHAIN: SQLite).
            jobs.report_progress(job, rows)

        assert job.by is not None
        # Ends the job `done` in the transaction that publishes its journeys.
        result = import_journeys(
            source=source,
            by=job.by,
            file_name=job.file_name,
            kind=kind,
            progress=progress,
            job=job,
        )
    if not result.ok:
        jobs.finish(
            job,
            ok=False,
            rows_done=result.rows,
            errors=[error.as_dict() for error in result.errors],
            errors_total=result.errors_total,
            error=NOT_IMPORTED,
        )


# --- Exports -------------------------------------------------------------------------------


def queue_journey_export(
    *, by: User, fmt: str, service: int | None, area: str | None, rows: int
) -> JourneyExport:
    """Queue an export the worker builds into a file (`run_journey_export`); `rows` is the
    count the caller made, shown until the worker counts again."""
    job = JourneyExport.objects.create(
        by=by, format=fmt, service=service, area_code=area or "", rows_total=rows
    )
    jobs.enqueue(job)
    return job


@task()
def run_journey_export(export_id: int) -> str:
    """Write a queued export into a file, reporting progress; the file is offered once the
    export is `done` (never a file cut short), kept `JOB_FILE_DAYS`."""
    return jobs.run(JourneyExport, export_id, _export_file)


def _export_file(job: JourneyExport) -> None:
    if job.file_path:  # a run before this one died while writing
        Path(job.file_path).unlink(missing_ok=True)
    try:
        journeys = exporter.journeys_to_export(service=job.service, area=job.area_code or None)
    except ValidationError as error:  # the service or the area is gone since
        jobs.finish(job, ok=False, error=" ".join(error.messages))
        return
    total = exporter.count_rows(journeys)
    if problem := exporter.format_error(job.format, total):
        jobs.finish(job, ok=False, rows_total=total, error=problem)
        return
    directory = Path(settings.JOB_FILE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"journeys-{job.pk}-{uuid.uuid4().hex}.{job.format}"
    jobs.report_progress(job, 0, rows_total=total, file_path=str(path))
    with path.open("wb") as target:
        written = exporter.write_file(
            journeys, job.format, target, progress=lambda rows: jobs.report_progress(job, rows)
        )
        target.flush()
        os.fsync(target.fileno())  # on disk before anyone is told it is there
    jobs.finish(
        job,
        ok=True,
        rows_done=written,
        expires=timezone.now() + timedelta(days=settings.JOB_FILE_DAYS),
    )
