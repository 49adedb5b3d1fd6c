"""Staging (ADR 0014): an import writes its journeys in short transactions, each batch committed
on its own, as journeys staged by its `JourneyImport` (`Journey.staged_by`), which nothing but
the importer sees; one short transaction then publishes them all, or they are discarded.

On SQLite a write transaction locks the whole database: one transaction for a million rows
held it ~40 s, and officers recording journeys meanwhile met "database is locked". Here each
write holds it for one transaction (STAGE_JOURNEYS journeys), the publish for one UPDATE (~0.7 s for
200,000 journeys).

PostgreSQL needs none of it: an open transaction's rows are already invisible and block no
other writer, while publishing there rewrites every staged journey (a new row version and an
entry in each of its indexes: +12% on `make bench-import`). There the batches are written
unstaged in one transaction, which the publish (then a no-op) ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from django.db import connection, transaction

from innohub.core import jobs

from .. import pilot_link
from ..models import Journey, JourneyImport, JourneyStep, PainPoint
from ..totals import bump
from .rows import ParsedJourney
from .write import batches, insert_batch, prepare_batch

if TYPE_CHECKING:
    from innohub.accounts.models import User

# Journeys staged per transaction (about 5 steps each).
STAGE_JOURNEYS = 6_000
# Staged journeys deleted per transaction (with their steps and pain points: ~6 rows each).
DISCARD_CHUNK = 2_000


def stages_in_short_transactions() -> bool:
    """Whether this database needs staging: SQLite, whose writers lock one another out."""
    return connection.vendor != "postgresql"


def stage(
    spill: IO[bytes], *, job: JourneyImport, by: User, skip: set[int], staged: bool = True
) -> int:
    """Write the spilled journeys (but those in `skip`) a batch per transaction, staged under
    `job`; answers how many. Each batch first renews the job's lease: a worker that no longer
    holds the job (cancelled, queued again) raises LeaseLost and writes nothing more.
    With `staged` False the journeys are written as seen, for a caller whose own transaction
    holds the batches (PostgreSQL) and whose end checks the lease (`jobs.finish`)."""
    created = 0
    for batch in _joined(batches(spill, skip=skip)):
        # Made before the transaction: on SQLite the database is locked from its start.
        rows = prepare_batch(batch, by=by, staged_by=job.pk if staged else None, source=job.pk)
        with transaction.atomic():
            if staged:
                jobs.hold(job)
            created += insert_batch(rows)
    return created


def _joined(spilled: Iterator[list[ParsedJourney]]) -> Iterator[list[ParsedJourney]]:
    """The spill's batches joined into transactions of about STAGE_JOURNEYS journeys: each
    commit costs (and the lease is renewed) once a transaction, while one transaction of
    this size holds SQLite's lock about a quarter of a second."""
    joined: list[ParsedJourney] = []
    for batch in spilled:
        joined += batch
        if len(joined) >= STAGE_JOURNEYS:
            yield joined
            joined = []
    if joined:
        yield joined


def publish(*, job: JourneyImport) -> int:
    """Make every journey `job` staged seen, in one UPDATE: run it inside the transaction that
    ends the job. Raises IntegrityError if a journey published meanwhile took one of their
    references (the unique constraint leaves staged journeys out until now)."""
    return Journey.with_staged.filter(staged_by=job.pk).update(staged_by=None)


def bump_services_written(*, job: JourneyImport) -> None:
    """Bump the services whose journeys `job` wrote, once they are seen (published, or
    written unstaged on PostgreSQL): their cached figures go stale and their catalogue
    figures count the new journeys. Inside the transaction that ends the job."""
    written = Journey.objects.filter(source_import=job.pk).order_by()
    bump(*written.values_list("service_id", flat=True).distinct())


def discard_staged(*, import_id: int) -> int:
    """Delete what the import `import_id` staged and did not publish (its journeys, their
    steps and pain points), in short transactions; answers how many journeys. Plain DELETEs:
    the ORM's delete would load every row and write a history row for each journey."""
    discarded = 0
    staged = Journey.with_staged.filter(staged_by=import_id)
    while True:
        with transaction.atomic():
            ids = list(staged.order_by("pk").values_list("pk", flat=True)[:DISCARD_CHUNK])
            if not ids:
                return discarded
            _delete_journeys(ids)
        discarded += len(ids)


def _delete_journeys(ids: list[int]) -> None:
    quote = connection.ops.quote_name
    journeys, steps, pains = (
        quote(model._meta.db_table) for model in (Journey, JourneyStep, PainPoint)
    )
    journey_pk, step_pk = (quote(str(model._meta.pk.column)) for model in (Journey, JourneyStep))
    of_journey = quote(JourneyStep._meta.get_field("journey").column)
    of_step = quote(PainPoint._meta.get_field("journey_step").column)
    marks = ", ".join(["%s"] * len(ids))
    pilot_link.forget(ids)
    # Table and column names come from the models; the ids are parameters.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {pains} WHERE {of_step} IN "  # noqa: S608
            f"(SELECT {step_pk} FROM {steps} WHERE {of_journey} IN ({marks}))",
            ids,
        )
        cursor.execute(f"DELETE FROM {steps} WHERE {of_journey} IN ({marks})", ids)  # noqa: S608
        cursor.execute(f"DELETE FROM {journeys} WHERE {journey_pk} IN ({marks})", ids)  # noqa: S608
