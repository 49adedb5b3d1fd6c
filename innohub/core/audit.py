"""Recording bulk imports in the audit trail."""

from __future__ import annotations

import hashlib
from typing import IO

from .imports import file_digest
from .models import BulkImport, ImportOutcome


def record_bulk_import(
    *,
    kind: str,
    by,
    rows: int,
    counts: dict[str, int],
    file_name: str = "",
    content: bytes | None = None,
    digest: str | None = None,
    errors_total: int = 0,
) -> BulkImport:
    """Leave one audit entry for an import: who, when, the file's SHA-256, what it did.

    Give the file's `content`, or its `digest` when the file was streamed and hashed on the
    way (a large file is never held in memory whole). Exactly one of the two. With
    `errors_total`, the file was refused for that many errors and nothing was written.
    """
    if (content is None) == (digest is None):
        raise ValueError("Give the file's content or its digest, not both or neither.")
    return BulkImport.objects.create(
        kind=kind,
        by=by if by is not None and by.is_authenticated else None,
        file_name=file_name[:255],
        digest=digest if digest is not None else hashlib.sha256(content or b"").hexdigest(),
        rows=rows,
        counts=counts,
        outcome=ImportOutcome.REFUSED if errors_total else ImportOutcome.IMPORTED,
        errors_total=errors_total,
    )


def record_refused_import(
    *, kind: str, by, source: IO[bytes], file_name: str, rows: int, errors_total: int
) -> BulkImport:
    """A file refused for `errors_total` errors (nothing written) leaves an audit entry too:
    who tried which file (its SHA-256, read from `source`), and how many errors kept it out."""
    return record_bulk_import(
        kind=kind,
        by=by,
        digest=file_digest(source),
        file_name=file_name.replace("\x00", ""),
        rows=rows,
        counts={},
        errors_total=errors_total,
    )
