"""Importing areas of any level from a CSV file (the admin's upload, `manage.py import_areas`).

The file is streamed through `innohub.core.imports` (records, the header check, row errors,
the digest). What is the areas' own: reading the file and each row's checks (`rows`), the
checks across rows and against innohub (`plan`), and the write (`write`), in one transaction
with one audit entry.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from innohub.core.audit import record_bulk_import, record_refused_import
from innohub.core.imports import (
    ImportResult,
    RowError,
    RowErrors,
    file_digest,
    first_errors,
    not_utf8_message,
)

from .plan import check
from .rows import COLUMNS, read
from .write import write

if TYPE_CHECKING:  # the user model lives above this app: type with Django's base
    from django.contrib.auth.models import AbstractUser


@dataclass
class AreaImportResult(ImportResult):
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def import_areas_csv(
    *, file: IO[str] | IO[bytes] | bytes | str, by: AbstractUser | None, file_name: str = ""
) -> AreaImportResult:
    """Import areas (any level) from a CSV file, all or nothing.

    Columns `code,name,name_local,level,parent_code,population,hourly_wage,wage_currency`
    (`name_local`, `population`, `hourly_wage`, `wage_currency` may be empty; `parent_code`
    only for a country). The whole file is checked first and every bad row is reported as
    (line — the header is line 1 —, field, reason); if there is any, nothing is written.
    A parent is an area already in innohub or on an earlier line. An existing code with the
    same values is left unchanged, with other values it is updated (moving an area moves
    everything below it). One transaction and one audit entry (`BulkImport`). `by` None is
    the command line; a person needs the rights to add and change areas (else PermissionDenied).
    """
    if by is not None and not by.has_perm("geo.import_areas"):
        raise PermissionDenied(_("Only programme managers and administrators import areas."))
    try:
        source = _binary(file)
    except UnicodeDecodeError:  # a file opened as text in another encoding
        return AreaImportResult(errors=[RowError(1, "", not_utf8_message())])

    rows, count, found, readable = read(source)

    def refused(*problems: RowErrors | Sequence[RowError]) -> AreaImportResult:
        errors, total = first_errors(*problems, columns=COLUMNS)
        record_refused_import(
            kind="geo.areas",
            by=by,
            source=source,
            file_name=file_name,
            rows=count,
            errors_total=total,
        )
        return AreaImportResult(rows=count, errors=errors, errors_total=total)

    if not readable:
        return refused(found)
    try:
        with transaction.atomic():
            plan, cross_errors = check(rows)
            if found or cross_errors:
                result = None  # nothing written; the refusal is recorded after this transaction
            else:
                result = AreaImportResult(
                    rows=count,
                    created=write(plan),
                    updated=len(plan.changed),
                    unchanged=plan.unchanged,
                )
                record_bulk_import(
                    kind="geo.areas",
                    by=by,
                    digest=file_digest(source),
                    file_name=file_name.replace("\x00", ""),
                    rows=count,
                    counts=result.counts(),
                )
    except IntegrityError:
        # Someone else created one of these codes between our checks and our writes.
        message = _("The areas changed while this file was imported: import it again.")
        return AreaImportResult(rows=count, errors=[RowError(1, "", message)])
    return result if result is not None else refused(found, cross_errors)


def _binary(file: IO[str] | IO[bytes] | bytes | str) -> IO[bytes]:
    """The file as bytes the reader can stream and seek. Text (a str, a file opened as text)
    is encoded back to UTF-8; a stream that cannot seek is read into memory first."""
    if isinstance(file, str):
        return io.BytesIO(file.encode())
    if isinstance(file, bytes):
        return io.BytesIO(file)
    if isinstance(file.read(0), str) or not file.seekable():
        content = file.read()
        return io.BytesIO(content.encode() if isinstance(content, str) else content)
    return cast(IO[bytes], file)  # read(0) gave bytes
