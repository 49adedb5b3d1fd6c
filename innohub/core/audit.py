"""Recording bulk imports in the audit trail."""

from __future__ import annotations

import hashlib

from .models import BulkImport


def record_bulk_import(
    *,
    kind: str,
    by,
    rows: int,
    counts: dict[str, int],
    file_name: str = "",
    content: bytes | None = None,
    digest: str | None = None,
) -> BulkImport:
    """Leave one audit entry for an import: who, when, the file's SHA-256, what it did.

    Give the file's `content`, or its `digest` when the file was streamed and hashed on the
    way (a large file is never held in memory whole). Exactly one of the two.
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
    )
