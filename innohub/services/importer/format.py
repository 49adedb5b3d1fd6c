"""The journey file's format (docs/api.md, "POST /journeys/import"): its columns, and how many
rows a file holds."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from innohub.core.imports import FileProblem, has_content, records, too_large
from innohub.core.xlsx import declared_rows

from ..models import Method, PainCategory

COLUMNS = (
    "journey_ref",
    "service",
    "area",
    "observed_on",
    "method",
    "phase",
    "pilot",
    "title",
    "office",
    "documents",
    "elapsed_days",
    "citizen_hours",
    "fees",
    "travel_cost",
    "other_cost",
    "visits",
)
OPTIONAL_COLUMNS = ("actor", "pain_point_category", "pain_point")
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
# The columns that describe the journey, not the step: they repeat on every row and agree.
JOURNEY_COLUMNS = ("service", "area", "observed_on", "method", "phase", "pilot")
PHASES = ("baseline", "after", "none")
METHODS = frozenset(Method.values)
PAIN_CATEGORIES = frozenset(PainCategory.values)

# Files up to this many step rows are imported within the request; larger ones in the
# background (docs/api.md).
MAX_ROWS_IN_REQUEST = 100_000
PROGRESS_EVERY = 10_000
JOURNEY_BATCH = 2_000
LOOKUP_CHUNK = 500


def count_rows(source: IO[bytes], kind: str, *, stop_after: int | None = None) -> int:
    """How many step rows (not blank, not the header) the file has, for showing progress;
    counting stops once it passes `stop_after`. A workbook whose sheet declares its size
    (Excel and LibreOffice write it) is taken at its word, blank rows at its end included:
    reading a sheet costs as much as importing it. Memory does not grow with the file."""
    if kind == "xlsx" and (declared := declared_rows(source)) is not None:
        return max(declared - 1, 0)  # less the header
    count = 0
    try:
        for line, cells in records(source, kind):
            if line == 1 or not has_content(cells):
                continue
            count += 1
            if stop_after is not None and count > stop_after:
                break
    except FileProblem:
        pass  # the import itself reports it, with its line
    finally:
        source.seek(0)
    return count


def file_too_large(size: int | None) -> str:
    """Why a journey file of `size` bytes is refused, with how to split it, or ""."""
    return too_large(
        size,
        advice=_(
            "Split it into several files: each journey's rows must stay together in one file."
        ),
    )
