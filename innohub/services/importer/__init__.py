"""Importing observed journeys from CSV or XLSX files (docs/api.md, "POST /journeys/import").

One row per step, in step order, grouped into journeys by `journey_ref`. The file is
streamed, never whole in memory, in two passes:

1. the check (`rows`): every row is parsed (`cells`) and validated, journeys are
   fingerprinted (`duplicates`), and every bad row is collected as `(line, field, message)`
   (the header is line 1); good journeys go, parsed, to a temporary spill file;
2. the write (`write`, `staging`), only when the check found nothing: the spilled journeys,
   steps and pain points are inserted in batches, each in a short transaction of its own, as
   journeys staged under the import's `JourneyImport` that no one else sees; one short
   transaction then publishes them all (ADR 0014), or they are discarded.

No transaction is long: on SQLite a write transaction locks the database for everyone
(officers recording journeys, the worker reporting progress), so each holds it well under
a second.
No TCV is computed here: `innohub.services.tcv` computes it from the steps when asked.
The file plumbing (records, row errors, header, size, digest) is `innohub.core.imports`.
"""

from __future__ import annotations

import gc
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rules import perm_exists

from innohub.core import jobs
from innohub.core.audit import record_bulk_import, record_refused_import
from innohub.core.imports import (
    ImportResult,
    RowError,
    RowErrors,
    file_digest,
    file_kind,
    first_errors,
)

from ..checks import exported_id
from ..models import JourneyImport, JourneyStatus
from .duplicates import existing_fingerprints, fingerprint
from .format import (
    ALL_COLUMNS,
    COLUMNS,
    JOURNEY_BATCH,
    MAX_ROWS_IN_REQUEST,
    count_rows,
    file_too_large,
)
from .rows import Lookups, ParsedJourney, Reader
from .staging import bump_services_written, publish, stage, stages_in_short_transactions
from .write import ANALYZE_AFTER, analyze

if TYPE_CHECKING:
    from innohub.accounts.models import User

__all__ = [
    "ALL_COLUMNS",
    "COLUMNS",
    "MAX_ROWS_IN_REQUEST",
    "NOT_IMPORTED",
    "JourneyImportResult",
    "count_rows",
    "file_too_large",
    "import_journeys",
]


# Why an import failed, on its JourneyImport: stored in English, shown translated
# (`Job.error_display`).
NOT_IMPORTED = gettext_noop("The file has problems: nothing was imported.")


@dataclass
class JourneyImportResult(ImportResult):
    created: int = 0
    skipped_duplicates: int = 0
    # The file has more rows than the caller's `max_rows`: nothing was checked to the end,
    # nothing written (the caller imports it in the background instead).
    over_max_rows: bool = False
    # The import job that wrote the journeys (its journeys are listed by it).
    job_id: int | None = None

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "skipped_duplicates": self.skipped_duplicates}


def import_journeys(
    *,
    source: IO[bytes],
    by: User,
    file_name: str = "",
    kind: str | None = None,
    progress: Callable[[int], None] | None = None,
    max_rows: int | None = None,
    job: JourneyImport | None = None,
) -> JourneyImportResult:
    """Import the journeys of a CSV or XLSX file (docs/api.md), all or nothing.

    Promises: every bad row is reported as `(line, field, message)` and then nothing is
    written; otherwise every journey is created `final`, observed by `by`, and one audit
    entry (`BulkImport`, kind `services.journeys`) records the file. A journey whose
    `journey_ref` is already in innohub for its service (or whose `id:<id>` names an existing
    journey) with the same values is skipped; with other values it is an error, never an
    overwrite. `id:<id>` of a journey not in innohub creates a journey without a reference.
    `progress(rows_checked)` is called while checking. With `max_rows`, a file of more rows
    is left as it is once that many are read, and the result says `over_max_rows` (the
    caller then imports it in the background): the file is read once, not counted first.
    The write stages the journeys, a batch per short transaction, where no one sees them, and
    one short transaction publishes them (ADR 0014). With `job` (a background import this
    worker holds) they are staged under it and the publish ends it `done`; a result that is
    not ok leaves it to the caller to end `failed`. Without, the write gets a JourneyImport
    of its own (its audit, and what its staged journeys hang on), ended here either way.
    Whatever is not published is discarded when the job ends (`JourneyImport.ended`).
    Refuses (PermissionDenied) a person who may not record journeys.
    """
    if not by.is_authenticated or (
        perm_exists("services.add_journey") and not by.has_perm("services.add_journey")
    ):
        raise PermissionDenied(_("You may not record journeys."))
    with _cyclic_gc_paused():
        return _import(
            source=source,
            by=by,
            file_name=file_name,
            kind=kind,
            progress=progress,
            max_rows=max_rows,
            job=job,
        )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """An import makes millions of small objects and no reference cycles; Python's cyclic
    garbage collector would walk them again and again and find nothing (a tenth of the check
    pass's time in `make bench-import`). Reference counting still frees everything at once;
    the collector is back on when the import ends, however it ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(
    *,
    source: IO[bytes],
    by: User,
    file_name: str,
    kind: str | None,
    progress: Callable[[int], None] | None,
    max_rows: int | None,
    job: JourneyImport | None,
) -> JourneyImportResult:
    kind = kind or file_kind(source, file_name)
    lookups = Lookups.load(by=by)

    # Pass 1: check every row. Each good journey goes, parsed, to a spill file (so that the
    # write need not parse again); only its key and fingerprint stay in memory.
    with tempfile.TemporaryFile() as spill:
        reader = Reader(source, kind, lookups, progress=progress, max_rows=max_rows)
        fingerprints: list[tuple[int, bytes]] = []  # (first line, fingerprint)
        by_ref: dict[tuple[int, str], int] = {}
        by_id: dict[int, int] = {}
        batch: list[ParsedJourney] = []
        for journey in reader.journeys():
            fingerprints.append(
                (
                    journey.line,
                    fingerprint(
                        service_id=journey.service_id,
                        area_id=journey.area_id,
                        observed_on=journey.observed_on,
                        method=journey.method,
                        status=JourneyStatus.FINAL,
                        steps=journey.steps,
                        pilot_id=journey.pilot_id,
                        phase=journey.phase,
                    ),
                )
            )
            if (journey_id := exported_id(journey.ref)) is not None:
                by_id[journey_id] = journey.line
            else:
                by_ref[(journey.service_id, journey.ref)] = journey.line
            if not reader.errors:  # once there is an error nothing will be written
                batch.append(journey)
                if len(batch) >= JOURNEY_BATCH:
                    pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = []
        if reader.over_max_rows:
            source.seek(0)
            return JourneyImportResult(rows=reader.rows, over_max_rows=True)
        if batch and not reader.errors:
            pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
        del batch
        if progress is not None:
            progress(reader.rows)

        existing = existing_fingerprints(by_ref, by_id)
        skip: set[int] = set()
        changed = RowErrors()
        for line, printed in fingerprints:
            if line not in existing:
                continue
            if existing[line] == printed:
                skip.add(line)
            else:
                changed.append(
                    RowError(
                        line,
                        "journey_ref",
                        _(
                            "This journey is already in innohub with different values: give "
                            "it another reference, or change it there."
                        ),
                    )
                )
        if not reader.errors and not changed and reader.rows == 0:
            changed.append(RowError(2, "", _("The file has no rows: add a row per step.")))
        if reader.errors or changed:
            errors, total = first_errors(reader.errors, changed, columns=ALL_COLUMNS)
            record_refused_import(
                kind="services.journeys",
                by=by,
                source=source,
                file_name=file_name,
                rows=reader.rows,
                errors_total=total,
            )
            return JourneyImportResult(rows=reader.rows, errors=errors, errors_total=total)
        del fingerprints, by_ref, by_id, existing

        # Pass 2: stage what the check kept, then publish it.
        write = _Write(
            spill=spill,
            by=by,
            skip=skip,
            rows=reader.rows,
            file_name=file_name.replace("\x00", ""),
            digest=file_digest(source),  # hashed while streaming: files may be large
        )
        spill.seek(0)
        result = write(job) if job is not None else write.in_a_job_of_its_own()
    if result.created >= ANALYZE_AFTER and connection.vendor == "postgresql":
        analyze()
    return result


@dataclass
class _Write:
    """Pass 2 of one file: stage its journeys under a job, then publish them and end the job."""

    spill: IO[bytes]
    by: User
    skip: set[int]
    rows: int
    file_name: str
    digest: str

    def __call__(self, job: JourneyImport) -> JourneyImportResult:
        staged = stages_in_short_transactions()
        try:
            # Without staging, the batches are savepoints of one transaction (PostgreSQL).
            with nullcontext() if staged else transaction.atomic():
                created = stage(self.spill, job=job, by=self.by, skip=self.skip, staged=staged)
                result = JourneyImportResult(
                    created=created,
                    skipped_duplicates=len(self.skip),
                    rows=self.rows,
                    job_id=job.pk,
                )
                with transaction.atomic():  # short: one UPDATE, the audit entry, the job's end
                    if staged:
                        publish(job=job)
                    bump_services_written(job=job)
                    record_bulk_import(
                        kind="services.journeys",
                        by=self.by,
                        digest=self.digest,
                        file_name=self.file_name,
                        rows=self.rows,
                        counts=result.counts(),
                    )
                    jobs.finish(job, ok=True, rows_done=self.rows, result=result.counts())
        except IntegrityError:
            # A journey of one of these references was recorded or imported between the
            # check and the publish (the unique constraint leaves staged journeys out).
            message = _("Journeys changed while this file was imported: import it again.")
            return JourneyImportResult(rows=self.rows, errors=[RowError(1, "", message)])
        return result

    def in_a_job_of_its_own(self) -> JourneyImportResult:
        """An import within a request: its write runs as a job too (held, its lease renewed,
        ended however it stops), so that what it stages is published or discarded like a
        background import's. The job is its audit; the caller's answer is unchanged."""
        created = JourneyImport.objects.create(
            by=self.by,
            file_name=self.file_name[:255],
            digest=self.digest,
            rows_total=self.rows,
            rows_done=self.rows,
        )
        outcome: list[JourneyImportResult] = []

        def work(job: JourneyImport) -> None:
            outcome.append(result := self(job))
            if not result.ok:
                jobs.finish(
                    job,
                    ok=False,
                    errors=[error.as_dict() for error in result.errors],
                    errors_total=result.errors_total,
                    error=NOT_IMPORTED,
                )

        jobs.run(JourneyImport, created.pk, work)
        if outcome:
            return outcome[0]
        # Taken from this process before it ended (an operator cancelled it): say why.
        created.refresh_from_db()
        reason = created.error_display or _(jobs.CRASHED)
        return JourneyImportResult(rows=self.rows, errors=[RowError(1, "", reason)])


# After a bulk load PostgreSQL's statistics still describe the tables before it, and its
# planner then scans a service's journeys instead of using the (service, ref) index when the
# next import looks its references up: refresh them, as PostgreSQL advises after bulk loads.
