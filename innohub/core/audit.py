"""Recording bulk imports in the audit trail."""

from __future__ import annotations

import hashlib

from .models import BulkImport


def record_bulk_import(
    *, kind: str, by, content: bytes, file_name: str = "", rows: int, counts: dict[str, int]
) -> BulkImport:
    """Leave one audit entry for an import (who, when, the file's SHA-256, what it did)."""
    return BulkImport.objects.create(
        kind=kind,
        by=by if by is not None and by.is_authenticated else None,
        file_name=file_name[:255],
        digest=hashlib.sha256(content).hexdigest(),
        rows=rows,
        counts=counts,
    )
