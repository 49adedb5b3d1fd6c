"""Background work for services: journey files too large to import within a request.

The upload is kept in `IMPORT_DIR` (storage the app servers and workers share) until the worker (`manage.py db_worker`) has
imported it; `JourneyImport` carries the progress, then the result or every bad row.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from innohub.core.imports import file_digest, file_kind

from .importer import count_rows, import_journeys
from .models import ImportStatus, JourneyImport

if TYPE_CHECKING:
    from innohub.accounts.models import User

logger = logging.getLogger(__name__)


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
    transaction.on_commit(partial(run_journey_import.enqueue, job.pk))
    return job


@task()
def run_journey_import(import_id: int) -> str:
    """Import a queued journey file: check it (reporting progress), then write it.

    Ends `done` or `failed` however it stops: an error in innohub, a final update that
    fails, or the worker told to stop (SystemExit, KeyboardInterrupt) all leave the import
    `failed` with a reason, and nothing written (the write is one transaction). The stored
    file is removed either way."""
    job = JourneyImport.objects.select_related("by").filter(pk=import_id).first()
    if job is None or job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return "skipped"
    path = Path(job.stored_path)
    try:
        with path.open("rb") as source:
            kind = file_kind(source, job.file_name)
            total = count_rows(source, kind)
            JourneyImport.objects.filter(pk=job.pk).update(
                status=ImportStatus.RUNNING, total_rows=total, progress_rows=0
            )

            def progress(rows: int) -> None:
                # Its own short write: the check holds no transaction (TOOLCHAIN: SQLite).
                JourneyImport.objects.filter(pk=job.pk).update(progress_rows=rows)

            assert job.by is not None
            result = import_journeys(
                source=source, by=job.by, file_name=job.file_name, kind=kind, progress=progress
            )
        JourneyImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE if result.ok else ImportStatus.FAILED,
            progress_rows=result.rows,
            result=result.counts() if result.ok else {},
            errors=[error.as_dict() for error in result.errors],
            finished=timezone.now(),
        )
    except BaseException:  # SystemExit too: a worker told to stop must not leave it running
        logger.exception("Journey import %s failed", import_id)
        _mark_failed(job.pk)
        raise
    finally:
        path.unlink(missing_ok=True)
    return "done" if result.ok else "failed"


def _mark_failed(import_id: int) -> None:
    """Say the import failed, with a reason; if even that cannot be written (the database is
    gone), log it: a later start-up sweep finds the import by its stale state."""
    message = _("The import stopped because of an error in innohub; nothing was written.")
    try:
        JourneyImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED,
            errors=[{"line": 1, "field": "", "message": message}],
            finished=timezone.now(),
        )
    except Exception:
        logger.exception("Journey import %s could not be marked failed", import_id)
