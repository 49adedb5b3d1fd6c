"""Journey files through the API (docs/api.md): `POST /journeys/import`,
`GET /journeys/imports/{id}`, `GET /journeys/export`, `GET /journeys/exports/{id}` and its
`/download`.

Mounted before the journeys router, so that `/journeys/import` is not read as a journey id.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from innohub.accounts.auth import signed_in
from innohub.api.errors import ErrorOut
from innohub.api.types import QueryRef
from innohub.core.errors import Conflict
from innohub.core.imports import MAX_ERRORS
from innohub.core.jobs import JobStatus
from innohub.core.models import MAX_ID

from . import downloads, exporter, selectors
from .importer import MAX_ROWS_IN_REQUEST, file_too_large, import_journeys
from .models import JourneyExport, JourneyImport
from .tasks import NOT_IMPORTED, queue_journey_import


class ImportedOut(Schema):
    created: int
    skipped_duplicates: int


class RowErrorOut(Schema):
    line: int | None = None
    field: str
    message: str


class ImportErrorOut(Schema):
    detail: str
    errors: list[RowErrorOut] = Field(
        [], description=f"The first {MAX_ERRORS:,} problems, in file order."
    )
    errors_total: int = Field(0, description="How many problems there are in all.")


class ImportProgressOut(Schema):
    """A background job's shape (`id, status, rows_done, rows_total, download, error`) and the
    import's own fields. `progress_rows` and `total_rows` are the first names of `rows_done`
    and `rows_total`, kept for the programs that read them."""

    id: int
    status: Literal["queued", "running", "done", "failed"]
    rows_done: int
    rows_total: int
    download: str | None = Field(None, description="Imports make no file: always null.")
    error: str | None = Field(None, description="Why the import failed, when it failed.")
    file_name: str
    progress_rows: int
    total_rows: int
    created: datetime.datetime
    finished: datetime.datetime | None
    result: ImportedOut | None
    errors: list[RowErrorOut] = Field(
        description=f"The first {MAX_ERRORS:,} problems, in file order."
    )
    errors_total: int = Field(description="How many problems there are in all.")

    @staticmethod
    def resolve_result(job: JourneyImport) -> dict[str, int] | None:
        return job.result or None

    @staticmethod
    def resolve_progress_rows(job: JourneyImport) -> int:
        return job.rows_done

    @staticmethod
    def resolve_total_rows(job: JourneyImport) -> int:
        return job.rows_total

    @staticmethod
    def resolve_download(job: JourneyImport) -> None:
        return None

    @staticmethod
    def resolve_error(job: JourneyImport) -> str | None:
        return job.error_display or None


NOT_VALID = NOT_IMPORTED


IMPORT_OPERATION: dict[str, Any] = {
    "path": "/import",
    "response": {
        200: ImportedOut,
        202: dict[str, int],
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ImportErrorOut,
    },
    "summary": "Import journeys from a CSV or XLSX file",
    "description": (
        "One row per step; all or nothing; every bad row is listed with its line (the header "
        f"is line 1), column and reason. Files over {MAX_ROWS_IN_REQUEST:,} rows answer 202 "
        '`{"import": id}`; follow them at `/journeys/imports/{id}`.'
    ),
}


def import_file(request: HttpRequest, file: File[UploadedFile]) -> object:
    user = signed_in(request)
    source = file.file
    assert source is not None  # ninja hands over a received upload
    name = (file.name or "").replace("\x00", "")
    if problem := file_too_large(file.size):
        return Status(
            422,
            {
                "detail": _(NOT_VALID),
                "errors": [{"field": "file", "message": problem}],
                "errors_total": 1,
            },
        )
    result = import_journeys(source=source, by=user, file_name=name, max_rows=MAX_ROWS_IN_REQUEST)
    if result.over_max_rows:  # a large file: in the background
        job = queue_journey_import(by=user, source=source, file_name=name)
        return Status(202, {"import": job.pk})
    if not result.ok:
        return Status(
            422,
            {
                "detail": _(NOT_VALID),
                "errors": [error.as_dict() for error in result.errors],
                "errors_total": result.errors_total,
            },
        )
    return result.counts()


PROGRESS_OPERATION: dict[str, Any] = {
    "path": "/imports/{import_id}",
    "response": {200: ImportProgressOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    "summary": "A background import's progress, then its result or its errors",
}


def import_progress(request: HttpRequest, import_id: int) -> JourneyImport:
    job = selectors.journey_import_for(import_id=import_id, user=request.user)
    if job is None:
        raise Http404
    return job


class ExportFilters(Schema):
    format: Literal["csv", "xlsx"] = "csv"
    service: int | None = Field(None, ge=1, le=MAX_ID)
    area: QueryRef = None


class ExportQueuedOut(Schema):
    export: int = Field(description="Follow it at `/journeys/exports/{export}`.")


EXPORT_OPERATION: dict[str, Any] = {
    "path": "/export",
    "response": {200: None, 202: ExportQueuedOut, 401: ErrorOut, 422: ErrorOut},
    "summary": "Export final journeys as CSV or XLSX, in the import's columns",
    "description": (
        f"Up to {exporter.MAX_ROWS_DIRECT:,} rows: the file, sent once it is whole (with its "
        'Content-Length). More: 202 `{"export": id}`; the task worker builds the file, and '
        "`/journeys/exports/{id}` says when it can be downloaded."
    ),
    "openapi_extra": {
        "responses": {
            200: {
                "description": "The file",
                "content": {content_type: {} for content_type in exporter.CONTENT_TYPES.values()},
            }
        }
    },
}


def export_file(request: HttpRequest, filters: Query[ExportFilters]) -> object:
    user = signed_in(request)
    answer = downloads.export_or_queue(
        user=user, fmt=filters.format, service=filters.service, area=filters.area
    )
    if isinstance(answer, JourneyExport):
        return Status(202, {"export": answer.pk})
    return answer


class ExportProgressOut(Schema):
    """A background job's shape (`id, status, rows_done, rows_total, download, error`), the
    `rows` of API.md, and the export's own fields."""

    id: int
    status: Literal["queued", "running", "done", "failed"]
    rows: int = Field(description="Rows written so far; once done, the rows of the file.")
    rows_done: int
    rows_total: int
    download: str | None = Field(
        description="The file's URL once done, until it expires; else null."
    )
    error: str | None
    format: Literal["csv", "xlsx"]
    created: datetime.datetime
    finished: datetime.datetime | None
    expires: datetime.datetime | None

    @staticmethod
    def resolve_rows(job: JourneyExport) -> int:
        return job.rows_done

    @staticmethod
    def resolve_download(job: JourneyExport) -> str | None:
        return reverse("api:journey_export_download", args=[job.pk]) if job.downloadable else None

    @staticmethod
    def resolve_error(job: JourneyExport) -> str | None:
        return job.error_display or None


EXPORT_PROGRESS_OPERATION: dict[str, Any] = {
    "path": "/exports/{export_id}",
    "response": {200: ExportProgressOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    "summary": "A background export's progress, then its download",
}


def export_progress(request: HttpRequest, export_id: int) -> JourneyExport:
    job = selectors.journey_export_for(export_id=export_id, user=request.user)
    if job is None:
        raise Http404
    return job


EXPORT_DOWNLOAD_OPERATION: dict[str, Any] = {
    "path": "/exports/{export_id}/download",
    "url_name": "journey_export_download",
    "response": {
        200: None,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        410: ErrorOut,
        422: ErrorOut,
    },
    "summary": "The file of a finished background export",
    "description": "409 while the export is not done; 410 once its file has expired.",
    "openapi_extra": {
        "responses": {
            200: {
                "description": "The file",
                "content": {content_type: {} for content_type in exporter.CONTENT_TYPES.values()},
            }
        }
    },
}


def export_download(request: HttpRequest, export_id: int) -> HttpResponseBase:
    job = selectors.journey_export_for(export_id=export_id, user=request.user)
    if job is None:
        raise Http404
    if job.status != JobStatus.DONE:
        raise Conflict(
            _("The export is not ready: it is %(status)s.") % {"status": job.get_status_display()}
        )
    if (response := downloads.export_file_response(job)) is None:
        raise HttpError(410, _("This export's file has expired: export the journeys again."))
    return response


def build_router() -> Router:
    """A router with the file operations (tests build their own, since a router belongs to
    one API)."""
    files = Router(tags=["journeys"])
    files.post(**IMPORT_OPERATION)(import_file)
    files.get(**PROGRESS_OPERATION)(import_progress)
    files.get(**EXPORT_OPERATION)(export_file)
    files.get(**EXPORT_PROGRESS_OPERATION)(export_progress)
    files.get(**EXPORT_DOWNLOAD_OPERATION)(export_download)
    return files


router = build_router()
