"""Keeping the roll-ups current (models.py): a write to a pilot, an idea, a person trained or
a scale-up marks its pair of organisation and area; once the transaction commits, each
marked pair is counted again from its own rows (a handful of indexed queries over one
office's pilots, not the nation's), under a lock on its `Standing` row so that two writers
of one pair cannot leave an older count behind. A pair whose old organisation or area a
write changed is counted again too. Bulk loads that skip Django's signals end with
`rebuild()` (`manage.py refresh_insights`), which counts every pair again.

Counting (SETTLED.md, "Counting"): pilots by their own organisation and area, ideas by
their proposer's (stored on the idea), people trained by theirs when they completed.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from innohub.pipeline.models import Idea, Pilot, ScaleUp, Status
from innohub.training.models import Trained

from .models import MonthFigures, NationalMonth, Standing, pair_key

log = logging.getLogger(__name__)

Pair = tuple[int | None, int | None]
# Pilots that count as pilots (docs/api.md: pilots = ongoing + completed + discontinued).
COUNTED = (Status.ONGOING, Status.COMPLETED, Status.DISCONTINUED)
# A pair's standing counted from its pilots (the rest: ideas, people trained, replicated).
PILOT_FIGURES = (
    "draft", "submitted", "approved", "ongoing", "completed", "discontinued", "citizens_reached",
    "budget", "spent", "other_currency_pilots", "scaled",
)  # fmt: skip
FLOWS = ("trained", "ideas", "pilots_started", "completed", "replications", "scale_ups")


def currency() -> str:
    return str(getattr(settings, "CURRENCY", "BDT"))


# --- Marking pairs, counting them after the commit ------------------------------------------


class _Batch:
    """The pairs one transaction marked, counted again by one callback after its commit."""

    def __init__(self) -> None:
        self.pairs: set[Pair] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        for organisation_id, area_id in sorted(self.pairs, key=pair_key_of):
            try:
                refresh(organisation_id, area_id)
            except Exception:  # the write is committed; a stale pair is mended by the rebuild
                log.exception(
                    "insights: counting %s again failed", pair_key(organisation_id, area_id)
                )


def touch(organisation_id: int | None, area_id: int | None) -> None:
    """Count this pair again once the current transaction commits (at once outside one).
    One batch a transaction; a batch of a transaction that rolled back is dropped with it
    (Django forgets its callbacks), and the next mark starts a new one."""
    batch: _Batch | None = getattr(connection, "_innohub_insights_batch", None)
    live = (
        batch is not None
        and not batch.done
        and connection.in_atomic_block
        and any(item[1] is batch for item in connection.run_on_commit)
    )
    if not live:
        batch = _Batch()
        connection._innohub_insights_batch = batch  # type: ignore[attr-defined]
    assert batch is not None
    batch.pairs.add((organisation_id, area_id))
    if not live:
        transaction.on_commit(batch)


def pair_key_of(pair: Pair) -> str:
    return pair_key(*pair)


def _in_pair(organisation_id: int | None, area_id: int | None) -> Q:
    return Q(
        **{"organisation__isnull": True}
        if organisation_id is None
        else {"organisation_id": organisation_id},
        **{"area__isnull": True} if area_id is None else {"area_id": area_id},
    )


def _by_month(queryset: QuerySet, field: str) -> Counter[datetime.date]:
    rows = (
        queryset.annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    counted: Counter[datetime.date] = Counter()
    for month, n in rows:
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counted[month.replace(day=1)] += n
    return counted


def _pilot_figures() -> dict[str, Any]:
    """A place's pilots by stage, and the money and reach of those that count as pilots."""
    money = currency()
    counted = Q(status__in=COUNTED)
    return {
        **{stage: Count("id", filter=Q(status=stage)) for stage in Status.values},
        "citizens_reached": Coalesce(Sum("citizens_reached", filter=counted), 0),
        "budget": Sum("budget", filter=counted & Q(currency=money)),
        "spent": Sum("spent", filter=counted & Q(currency=money)),
        "other_currency_pilots": Count("id", filter=counted & ~Q(currency=money)),
    }


@transaction.atomic
def refresh(organisation_id: int | None, area_id: int | None) -> Standing:
    """Count one pair again from its own rows, and write its standing and its months."""
    key = pair_key(organisation_id, area_id)
    Standing.objects.get_or_create(
        key=key, defaults={"organisation_id": organisation_id, "area_id": area_id}
    )
    standing = Standing.objects.select_for_update().get(key=key)
    place = _in_pair(organisation_id, area_id)
    pilots = Pilot.objects.filter(place)
    figures = pilots.aggregate(**_pilot_figures())
    for name in (
        "draft",
        "submitted",
        "approved",
        "ongoing",
        "completed",
        "discontinued",
        "citizens_reached",
        "other_currency_pilots",
    ):
        setattr(standing, name, figures[name])
    standing.budget = figures["budget"] or 0
    standing.spent = figures["spent"] or 0
    standing.replicated = pilots.filter(
        Exists(Pilot.objects.filter(replicates=OuterRef("pk")))
    ).count()
    standing.scaled = pilots.filter(scale_up__isnull=False).count()
    ideas = Idea.objects.filter(place)
    trained = Trained.objects.filter(place)
    standing.ideas = ideas.count()
    standing.trained = trained.count()
    standing.save()

    months: dict[str, Counter[datetime.date]] = {
        "trained": _by_month(trained, "on"),
        "ideas": _by_month(ideas, "created"),
        "pilots_started": _by_month(
            pilots.filter(status__in=COUNTED, started_on__isnull=False), "started_on"
        ),
        "completed": _by_month(
            pilots.filter(status=Status.COMPLETED, ended_on__isnull=False), "ended_on"
        ),
        "replications": _by_month(pilots.filter(replicates__isnull=False), "created"),
        "scale_ups": _by_month(ScaleUp.objects.filter(pilot__in=pilots), "decided_on"),
    }
    before = {
        row["month"]: row for row in MonthFigures.objects.filter(key=key).values("month", *FLOWS)
    }
    MonthFigures.objects.filter(key=key).delete()
    every = sorted(set().union(*months.values()))
    _add_to_nation(
        {
            month: {
                name: months[name][month] - before.get(month, {}).get(name, 0) for name in FLOWS
            }
            for month in set(every) | set(before)
        }
    )
    MonthFigures.objects.bulk_create(
        MonthFigures(
            key=key,
            organisation_id=organisation_id,
            area_id=area_id,
            month=month,
            **{name: months[name][month] for name in FLOWS},
        )
        for month in every
    )
    return standing


def _add_to_nation(changes: dict[datetime.date, dict[str, int]]) -> None:
    """Add what one pair's recount changed to the nation's months, month by month in order
    (two writers lock the rows in one order: no deadlock). A month not there yet is made in
    a savepoint: a writer that lost the race to make it adds to the winner's row."""
    for month in sorted(changes):
        change = {name: n for name, n in changes[month].items() if n}
        if not change:
            continue
        added = {name: F(name) + n for name, n in change.items()}
        if NationalMonth.objects.filter(month=month).update(**added):
            continue
        try:
            with transaction.atomic():
                NationalMonth.objects.create(month=month, **change)
        except IntegrityError:
            NationalMonth.objects.filter(month=month).update(**added)


def pairs_in_use() -> set[Pair]:
    """Every pair something counts in (three grouped queries)."""
    pairs: set[Pair] = set()
    for model in (Pilot, Idea, Trained):
        pairs.update(model.objects.values_list("organisation_id", "area_id").distinct())
    return pairs


def rebuild(pairs: Iterable[Pair] | None = None) -> int:
    """Count pairs again: the given ones one by one, or every pair at once (after a bulk
    load) with grouped queries over whole tables, dropping rows nothing counts in."""
    if pairs is None:
        return rebuild_all()
    wanted = set(pairs)
    for organisation_id, area_id in sorted(wanted, key=pair_key_of):
        refresh(organisation_id, area_id)
    return len(wanted)


def _grouped(queryset: QuerySet, **figures: Any) -> dict[Pair, dict[str, Any]]:
    rows = queryset.values("organisation_id", "area_id").annotate(**figures).order_by()
    return {(row.pop("organisation_id"), row.pop("area_id")): row for row in rows}


def _grouped_months(queryset: QuerySet, field: str) -> dict[tuple[Pair, datetime.date], int]:
    rows = (
        queryset.annotate(month=TruncMonth(field))
        .values("organisation_id", "area_id", "month")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("organisation_id", "area_id", "month", "n")
    )
    found: dict[tuple[Pair, datetime.date], int] = {}
    for organisation_id, area_id, month, n in rows:
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        key = ((organisation_id, area_id), month.replace(day=1))
        found[key] = found.get(key, 0) + n
    return found


@transaction.atomic
def rebuild_all() -> int:
    """Every pair's standing and months from grouped queries (a dozen, whatever the number
    of pairs), written in bulk in one transaction."""
    pilots = _grouped(
        Pilot.objects.all(),
        **_pilot_figures(),
        scaled=Count("id", filter=Q(scale_up__isnull=False)),
    )
    replicated = _grouped(
        Pilot.objects.filter(Exists(Pilot.objects.filter(replicates=OuterRef("pk")))),
        n=Count("id"),
    )
    ideas = _grouped(Idea.objects.all(), n=Count("id"))
    trained = _grouped(Trained.objects.all(), n=Count("id"))
    pairs = set(pilots) | set(ideas) | set(trained)
    standings = []
    for pair in pairs:
        figures = pilots.get(pair, {})
        standings.append(
            Standing(
                key=pair_key(*pair),
                organisation_id=pair[0],
                area_id=pair[1],
                trained=trained.get(pair, {}).get("n", 0),
                ideas=ideas.get(pair, {}).get("n", 0),
                replicated=replicated.get(pair, {}).get("n", 0),
                **{name: figures.get(name) or 0 for name in PILOT_FIGURES},
            )
        )
    flows = {
        "trained": _grouped_months(Trained.objects.all(), "on"),
        "ideas": _grouped_months(Idea.objects.all(), "created"),
        "pilots_started": _grouped_months(
            Pilot.objects.filter(status__in=COUNTED, started_on__isnull=False), "started_on"
        ),
        "completed": _grouped_months(
            Pilot.objects.filter(status=Status.COMPLETED, ended_on__isnull=False), "ended_on"
        ),
        "replications": _grouped_months(Pilot.objects.filter(replicates__isnull=False), "created"),
        "scale_ups": _grouped_months(
            ScaleUp.objects.annotate(
                organisation_id=F("pilot__organisation_id"), area_id=F("pilot__area_id")
            ),
            "decided_on",
        ),
    }
    months = set().union(*flows.values())
    nation: dict[datetime.date, dict[str, int]] = {}
    for name in FLOWS:
        for (_pair, month), n in flows[name].items():
            sums = nation.setdefault(month, dict.fromkeys(FLOWS, 0))
            sums[name] += n
    Standing.objects.all().delete()
    MonthFigures.objects.all().delete()
    NationalMonth.objects.all().delete()
    NationalMonth.objects.bulk_create(
        NationalMonth(month=month, **sums) for month, sums in sorted(nation.items())
    )
    Standing.objects.bulk_create(standings, batch_size=2_000)
    MonthFigures.objects.bulk_create(
        (
            MonthFigures(
                key=pair_key(*pair),
                organisation_id=pair[0],
                area_id=pair[1],
                month=month,
                **{name: flows[name].get((pair, month), 0) for name in FLOWS},
            )
            for pair, month in months
        ),
        batch_size=2_000,
    )
    return len(pairs)
