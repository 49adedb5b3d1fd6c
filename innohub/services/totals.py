"""Each journey's TCV stored on it, and each service's version of its journeys (ADR 0015).

`Journey.tcv_days`, `tcv_hours`, `tcv_cost`, `tcv_visits` and `tcv_documents` hold the sum
that `innohub.services.tcv` makes of the journey's steps, so that distributions and lists read
one row per journey, never the steps. They are written here only, in the transaction of every
write to a journey's steps: `journeys.py` (record, edit, add, replace), the admin, and the
importer's bulk insert (`stored_values` of the steps it inserts). `drift` recomputes them from
the steps and says where they differ (`manage.py check_journey_totals`).

`Service.journeys_version` is bumped, in the same transactions, by every write that can change
the service's figures, which count final journeys only (a final journey recorded, edited,
moved, deleted or its steps changed, a draft finished, an import's journeys written and
published): the cached distribution of `selectors.tcv_distribution` is keyed by it. The same
`bump` computes again the service's catalogue figures (`Service.observed_journeys`,
`mean_days`, `mean_cost`, `mean_visits`) from its journeys' stored totals: one grouped query
over one service's journeys, never a running sum that a missed path could leave wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F

from . import tcv
from .models import CATALOGUE_FIGURES, Journey, JourneyStatus, JourneyStep, Service
from .tcv import Tcv

# The step columns TCV is made of, in the order `tcv.tcv_of_values` takes them.
STEP_COLUMNS = (
    "elapsed_days",
    "citizen_hours",
    "fees",
    "travel_cost",
    "other_cost",
    "visits",
    "documents",
)


def stored_values(total: Tcv) -> dict[str, Any]:
    """The journey fields that store `total`."""
    return {
        "tcv_days": total.days,
        "tcv_hours": total.hours,
        "tcv_cost": total.cost,
        "tcv_visits": total.visits,
        "tcv_documents": total.documents,
    }


def stored_tcv(journey: Journey) -> Tcv:
    """The journey's TCV as stored."""
    return Tcv(
        days=Decimal(journey.tcv_days),
        hours=Decimal(journey.tcv_hours),
        cost=Decimal(journey.tcv_cost),
        visits=int(journey.tcv_visits),
        documents=int(journey.tcv_documents),
    )


def tcvs_by_journey(journey_ids: Iterable[int]) -> dict[int, Tcv]:
    """The TCV of each journey, computed from its steps (one query); zero for none."""
    ids = list(journey_ids)
    steps: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    rows = JourneyStep.objects.filter(journey_id__in=ids).values_list("journey_id", *STEP_COLUMNS)
    for journey_id, *values in rows:
        steps[journey_id].append(tuple(values))
    return {pk: tcv.tcv_of_values(steps.get(pk, ())) for pk in ids}


def store(journey: Journey) -> Tcv:
    """Store the journey's TCV, computed from its steps as they are now (on the instance
    too). Call it inside the transaction that changed the steps."""
    total = tcvs_by_journey([journey.pk])[journey.pk]
    values = stored_values(total)
    Journey.with_staged.filter(pk=journey.pk).update(**values)
    for name, value in values.items():
        setattr(journey, name, value)
    return total


def refresh(journey: Journey) -> Tcv:
    """`store`, and bump the service's version if the journey is final: a draft's steps
    count in no figure (an officer recording step by step leaves the figures cached)."""
    total = store(journey)
    if journey.status == JourneyStatus.FINAL:
        bump(journey.service_id)
    return total


def bump(*service_ids: int) -> None:
    """The services' journeys changed: their cached figures are stale, and their catalogue
    figures are computed again. Inside the transaction of the change."""
    ids = {pk for pk in service_ids if pk is not None}
    if not ids:
        return
    # The update first: it locks the services' rows, so a concurrent change waits for this
    # transaction and then counts its journeys too (each statement sees what is committed).
    Service.objects.filter(pk__in=ids).update(journeys_version=F("journeys_version") + 1)
    services = [Service(pk=pk, **figures) for pk, figures in catalogue_figures(ids).items()]
    Service.objects.bulk_update(services, CATALOGUE_FIGURES)  # one query (CASE on the id)


def catalogue_figures(service_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each service's number of final journeys and their mean days, cost and visits (None
    without journeys), to the hundredth: one grouped query over the services' journeys."""
    ids = set(service_ids)
    figures: dict[int, dict[str, Any]] = {
        pk: {"observed_journeys": 0, "mean_days": None, "mean_cost": None, "mean_visits": None}
        for pk in ids
    }
    rows = (
        Journey.objects.filter(service_id__in=ids, status=JourneyStatus.FINAL)
        .order_by()
        .values("service_id")
        .annotate(
            n=Count("id"), days=Avg("tcv_days"), cost=Avg("tcv_cost"), visits=Avg("tcv_visits")
        )
    )
    for row in rows:
        figures[row["service_id"]] = {
            "observed_journeys": row["n"],
            "mean_days": _hundredths(row["days"]),
            "mean_cost": _hundredths(row["cost"]),
            "mean_visits": _hundredths(row["visits"]),
        }
    return figures


def _hundredths(value: Any) -> Decimal:
    # SQLite averages decimals as floats, PostgreSQL as exact numerics: both to the hundredth.
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Drift:
    journey_id: int
    stored: Tcv
    computed: Tcv


def drift(*, chunk: int = 2_000) -> Iterator[Drift]:
    """Every journey (staged ones too) whose stored TCV differs from its steps', by id, a
    chunk of journeys per pair of queries."""
    after = 0
    journeys = Journey.with_staged.order_by("pk")
    while True:
        rows = list(journeys.filter(pk__gt=after).only("pk", *stored_values(Tcv()))[:chunk])
        if not rows:
            return
        computed = tcvs_by_journey(row.pk for row in rows)
        for row in rows:
            if (stored := stored_tcv(row)) != computed[row.pk]:
                yield Drift(journey_id=row.pk, stored=stored, computed=computed[row.pk])
        after = rows[-1].pk


def repair(journey_ids: Iterable[int]) -> int:
    """Store the TCV computed from the steps for these journeys (what `drift` found), and bump
    their services; answers how many."""
    ids = list(journey_ids)
    for pk, total in tcvs_by_journey(ids).items():
        Journey.with_staged.filter(pk=pk).update(**stored_values(total))
    bump(*Journey.with_staged.filter(pk__in=ids).values_list("service_id", flat=True).distinct())
    return len(ids)


def catalogue_drift(*, chunk: int = 500) -> Iterator[int]:
    """The services whose stored catalogue figures differ from their journeys', by id."""
    after = 0
    while True:
        rows = list(
            Service.objects.filter(pk__gt=after)
            .order_by("pk")
            .values("pk", *CATALOGUE_FIGURES)[:chunk]
        )
        if not rows:
            return
        computed = catalogue_figures(row["pk"] for row in rows)
        for row in rows:
            if {name: row[name] for name in CATALOGUE_FIGURES} != computed[row["pk"]]:
                yield row["pk"]
        after = rows[-1]["pk"]
