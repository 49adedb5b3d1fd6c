"""TCV — the Time, Cost and Visits a citizen spends to get a public service. The one place
that computes it (docs/api.md, "Services and TCV"); pure functions, no database.

Units: `days` calendar days (Σ elapsed_days), `hours` hours of the citizen's own time
(Σ citizen_hours), `cost` money in the service's currency (Σ fees + travel_cost + other_cost),
`visits` trips to government offices, `documents` documents asked for. Opportunity cost
(hours * hourly wage) is reported beside the cost and never added into it.

Arithmetic is exact in `Decimal`. Statistics (means, quantiles) are rounded half-up to two
decimal places at the end, never in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

CENT = Decimal("0.01")
ZERO = Decimal("0")


class StepLike(Protocol):
    elapsed_days: Decimal
    citizen_hours: Decimal
    fees: Decimal
    travel_cost: Decimal
    other_cost: Decimal
    visits: int
    documents: int


@dataclass(frozen=True)
class Tcv:
    days: Decimal = ZERO
    hours: Decimal = ZERO
    cost: Decimal = ZERO
    visits: int = 0
    documents: int = 0

    def __add__(self, other: Tcv) -> Tcv:
        return Tcv(
            days=self.days + other.days,
            hours=self.hours + other.hours,
            cost=self.cost + other.cost,
            visits=self.visits + other.visits,
            documents=self.documents + other.documents,
        )


def step_tcv(step: StepLike) -> Tcv:
    """One step's contribution. Refuses (ValueError) a negative number: the forms, API and
    importer refuse them first; this is the last line."""
    values = (step.elapsed_days, step.citizen_hours, step.fees, step.travel_cost, step.other_cost)
    if any(Decimal(v) < 0 for v in values) or step.visits < 0 or step.documents < 0:
        raise ValueError("A step's time, cost, visits and documents are never negative.")
    return Tcv(
        days=Decimal(step.elapsed_days),
        hours=Decimal(step.citizen_hours),
        cost=Decimal(step.fees) + Decimal(step.travel_cost) + Decimal(step.other_cost),
        visits=int(step.visits),
        documents=int(step.documents),
    )


def tcv_of(steps: Iterable[StepLike]) -> Tcv:
    """The TCV of a journey or process map: the sum over its steps (zero for none)."""
    total = Tcv()
    for step in steps:
        total = total + step_tcv(step)
    return total


def tcv_of_values(
    steps: Iterable[
        tuple[Decimal | str, Decimal | str, Decimal | str, Decimal | str, Decimal | str, int, int]
    ],
) -> Tcv:
    """`tcv_of` for steps given as plain values, (elapsed_days, citizen_hours, fees,
    travel_cost, other_cost, visits, documents), already checked (never negative): the same
    sums without an object a step, for the importer's million rows."""
    days = hours = cost = ZERO
    visits = documents = 0
    for elapsed, own, fees, travel, other, trips, papers in steps:
        days += Decimal(elapsed)
        hours += Decimal(own)
        cost += Decimal(fees) + Decimal(travel) + Decimal(other)
        visits += trips
        documents += papers
    return Tcv(days=days, hours=hours, cost=cost, visits=visits, documents=documents)


def opportunity_cost(*, hours: Decimal, hourly_wage: Decimal | None) -> Decimal | None:
    """What the citizen's hours are worth at the area's wage, to the cent; None without a wage."""
    if hourly_wage is None:
        return None
    return (hours * hourly_wage).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Summary:
    mean: Decimal
    median: Decimal
    p90: Decimal


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def summarise(values: Sequence[Decimal | int]) -> Summary | None:
    """Mean, median and 90th percentile of `values`; None when there are none.

    The percentile interpolates linearly between closest ranks, as Python's
    `statistics.quantiles(method="inclusive")` does (with one value, it is that value).
    """
    data = sorted(Decimal(v) for v in values)
    if not data:
        return None
    return summary_at(len(data), sum(data, ZERO), {rank: data[rank] for rank in ranks(len(data))})


def ranks(n: int) -> tuple[int, ...]:
    """The positions (from 0, in ascending order of value) whose values the median and the
    90th percentile of `n` values are made of: all a database has to find."""
    if n < 1:
        return ()
    middle = (n // 2,) if n % 2 else (n // 2 - 1, n // 2)
    j = 9 * (n - 1) // 10
    return tuple(sorted({*middle, j, min(j + 1, n - 1)}))


def summary_at(n: int, total: Decimal, at: Mapping[int, Decimal]) -> Summary:
    """The summary of `n` values (n ≥ 1) that add up to `total`, given the values `at` the
    positions `ranks(n)` names: what `summarise` gives for them all, to the cent.

    The median is `statistics.median`'s; the percentile is `statistics.quantiles(n=10,
    method="inclusive")[8]`, written out: position 9(n-1)/10, linear between its neighbours.
    """
    mean = total / n
    median = at[n // 2] if n % 2 else (at[n // 2 - 1] + at[n // 2]) / 2
    if n == 1:
        p90 = at[0]
    else:
        j, delta = divmod(9 * (n - 1), 10)
        p90 = (at[j] * (10 - delta) + at[j + 1] * delta) / 10
    return Summary(mean=_round(mean), median=_round(median), p90=_round(p90))


@dataclass(frozen=True)
class Distribution:
    n: int
    days: Summary | None
    hours: Summary | None
    cost: Summary | None
    visits: Summary | None
    opportunity_cost: Summary | None


def distribution(
    tcvs: Sequence[Tcv], *, hourly_wages: Sequence[Decimal | None] | None = None
) -> Distribution:
    """The distribution of TCV over journeys. `hourly_wages` (one per journey, the wage of
    its area) gives the opportunity cost's distribution, over the journeys that have a wage;
    None when no journey has one."""
    opportunity: list[Decimal] = []
    if hourly_wages is not None:
        for tcv, wage in zip(tcvs, hourly_wages, strict=True):
            cost = opportunity_cost(hours=tcv.hours, hourly_wage=wage)
            if cost is not None:
                opportunity.append(cost)
    return Distribution(
        n=len(tcvs),
        days=summarise([t.days for t in tcvs]),
        hours=summarise([t.hours for t in tcvs]),
        cost=summarise([t.cost for t in tcvs]),
        visits=summarise([t.visits for t in tcvs]),
        opportunity_cost=summarise(opportunity) if opportunity else None,
    )
