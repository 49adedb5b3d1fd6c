"""The write pass: the journeys the check kept, inserted in batches with the values the ORM
would send (`COPY` on PostgreSQL, `executemany` on SQLite), each batch inside the caller's
transaction, its journeys staged under their import (`staging`)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection
from django.db.models import Model
from django.utils import timezone

from .. import pilot_link
from ..checks import has_id_prefix
from ..models import TOTAL_FIELDS, Journey, JourneyStatus, JourneyStep, PainPoint
from ..pilot_link import Link
from ..tcv import tcv_of_values
from ..totals import stored_values
from .rows import ParsedJourney

if TYPE_CHECKING:
    from innohub.accounts.models import User

ANALYZE_AFTER = 10_000


def analyze() -> None:
    with connection.cursor() as cursor:
        for model in (Journey, JourneyStep):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def batches(spill: IO[bytes], *, skip: set[int]) -> Iterator[list[ParsedJourney]]:
    """The spilled journeys, a batch at a time, without those to skip (already in innohub)."""
    while True:
        try:
            batch: list[ParsedJourney] = pickle.load(spill)  # noqa: S301 - our own temporary file
        except EOFError:
            return
        batch = [journey for journey in batch if journey.line not in skip]
        if batch:
            yield batch


# Most rows are steps: journeys, steps and pain points skip the ORM's per-object work and are
# inserted with the values the ORM would send (dates and times through the backend's own
# adapters, decimals as their text, as Django sends them).
_JOURNEY_FIELDS = ("created", "modified", "service", "area", "observer", "ref", "observed_on",
                   "method", "status", "notes", "staged_by", "source_import",
                   *TOTAL_FIELDS)  # fmt: skip
_STEP_FIELDS = ("journey", "position", "title", "office", "actor", "documents", "elapsed_days",
                "citizen_hours", "fees", "travel_cost", "other_cost", "visits")  # fmt: skip
_PAIN_FIELDS = ("journey_step", "category", "description")
# Rows per multi-row INSERT … RETURNING of journeys: well under every backend's parameter limit.
_RETURNING_CHUNK = 500


def _table_and_columns(model: type[Model], fields: tuple[str, ...]) -> tuple[str, str]:
    """Quoted table and column names, from the model; refuses to run if the model has a
    required column the insert would leave out (a new field must be added here, not guessed)."""
    columns = {f.name: str(f.column) for f in model._meta.concrete_fields if not f.primary_key}
    missing = {f.name for f in model._meta.concrete_fields if not f.primary_key and not f.null}
    missing -= set(fields)
    if missing:
        raise ImproperlyConfigured(f"The importer does not fill {sorted(missing)}.")
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(columns[name]) for name in fields)


def _insert(model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """`executemany` on SQLite, `COPY` on PostgreSQL."""
    table, names = _table_and_columns(model, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY goes past Django's cursor: its errors are made Django's (IntegrityError).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            # Table and column names come from the model, never from the file.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


def _insert_returning_ids(
    model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> list[int]:
    """The new rows' ids, in the rows' order: on SQLite a multi-row INSERT … RETURNING id
    (whose order the ORM's own bulk_create relies on too), on PostgreSQL ids from the sequence
    and COPY."""
    table, names = _table_and_columns(model, fields)
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    if connection.vendor == "postgresql":
        # Ids taken from the table's own sequence (safe with concurrent writers), then COPY:
        # a long multi-row INSERT costs more to build and parse than the rows themselves.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({pk}, {names}) FROM STDIN") as copy,
            ):
                for new_id, row in zip(ids, rows, strict=True):
                    copy.write_row((new_id, *row))
        return ids
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _RETURNING_CHUNK):
            chunk = rows[start : start + _RETURNING_CHUNK]
            values = ", ".join([one] * len(chunk))
            sql = f"INSERT INTO {table} ({names}) VALUES {values} RETURNING {pk}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            ids.extend(row[0] for row in cursor.fetchall())
    if len(ids) != len(rows):
        raise IntegrityError("The database did not return an id per journey.")
    return ids


@dataclass
class PreparedBatch:
    """A batch's rows as they will be inserted, made before its transaction begins (on SQLite
    the database is locked from then until its end): journeys in the batch's order, each step
    and pain point by its journey's index in the batch until the journeys have ids."""

    journeys: list[tuple[Any, ...]]
    steps: list[tuple[Any, ...]]  # (journey index, position, *cells)
    pains: dict[tuple[int, int], tuple[str, str]]  # (journey index, position) → pain point
    links: dict[int, Link]  # journey index → the pilot it counts for


def prepare_batch(
    batch: list[ParsedJourney], *, by: User, staged_by: int | None, source: int | None = None
) -> PreparedBatch:
    """The rows of a batch of journeys, staged under the import `staged_by` (invisible until
    it publishes) or, None, seen; `source` is the import that writes them, kept after."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    final = str(JourneyStatus.FINAL)
    journeys = [
        (
            now,
            now,
            item.service_id,
            item.area_id,
            by.pk,
            "" if has_id_prefix(item.ref) else item.ref,
            ops.adapt_datefield_value(item.observed_on),
            item.method,
            final,
            "",
            staged_by,
            source,
            *_totals(item),
        )
        for item in batch
    ]
    steps: list[tuple[Any, ...]] = []
    pains: dict[tuple[int, int], tuple[str, str]] = {}
    for index, item in enumerate(batch):
        for position, step in enumerate(item.steps):
            steps.append((index, position, *step[:10]))
            if step[10]:
                pains[(index, position)] = (step[10], step[11])
    links = {
        index: Link(item.pilot_id, item.phase)
        for index, item in enumerate(batch)
        if item.pilot_id is not None
    }
    return PreparedBatch(journeys, steps, pains, links)


def _totals(item: ParsedJourney) -> tuple[str, ...]:
    """The journey's stored TCV (`totals`), from its parsed (checked) steps, as the text
    Django sends."""
    total = tcv_of_values(
        (step[4], step[5], step[6], step[7], step[8], step[9], step[3]) for step in item.steps
    )
    values = stored_values(total)
    return tuple(str(values[name]) for name in TOTAL_FIELDS)


def insert_batch(prepared: PreparedBatch) -> int:
    """Insert a prepared batch: its journeys, steps and pain points; answers how many
    journeys. Keep it short: on SQLite it runs while the database is locked. The services
    are bumped once, when the import ends (`staging.bump_services_written`)."""
    journey_ids = _insert_returning_ids(Journey, _JOURNEY_FIELDS, prepared.journeys)
    _insert(JourneyStep, _STEP_FIELDS, [(journey_ids[row[0]], *row[1:]) for row in prepared.steps])
    if prepared.pains:
        _insert_pain_points_by_position(
            {
                (journey_ids[index], position): pain
                for (index, position), pain in prepared.pains.items()
            }
        )
    if prepared.links and (linker := pilot_link.linker()) is not None:
        linker.write_many({journey_ids[index]: link for index, link in prepared.links.items()})
    return len(journey_ids)


def _insert_pain_points_by_position(pains: dict[tuple[int, int], tuple[str, str]]) -> None:
    """Each pain point onto its new step, found by (journey id, position)."""
    if connection.vendor != "postgresql":
        # The steps' ids, for their pain points: one query for the batch.
        with_pains = sorted({pk for pk, _position in pains})
        found = JourneyStep.objects.filter(
            journey_id__gte=with_pains[0], journey_id__lte=with_pains[-1]
        ).values_list("pk", "journey_id", "position")
        _insert(
            PainPoint,
            _PAIN_FIELDS,
            [
                (step_pk, pain[0], pain[1])
                for step_pk, journey_pk, position in found
                if (pain := pains.get((journey_pk, position))) is not None
            ],
        )
        return
    # PostgreSQL: one INSERT … SELECT joins the steps on the database's side, so the steps'
    # ids never travel to Python and back.
    table, names = _table_and_columns(PainPoint, _PAIN_FIELDS)
    steps = connection.ops.quote_name(JourneyStep._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Table and column names come from the models, never from the file.
            f"INSERT INTO {table} ({names}) "  # noqa: S608
            f"SELECT step.id, pain.category, pain.description FROM {steps} step JOIN "
            "unnest(%s::bigint[], %s::integer[], %s::text[], %s::text[]) "
            "AS pain(journey_id, position, category, description) "
            "ON step.journey_id = pain.journey_id AND step.position = pain.position",
            [
                [journey_id for journey_id, _position in pains],
                [position for _journey_id, position in pains],
                [category for category, _text in pains.values()],
                [text for _category, text in pains.values()],
            ],
        )
