"""The TCV arithmetic of API.md: exact, never negative, independent of step order."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innohub.services.tcv import (
    Tcv,
    distribution,
    opportunity_cost,
    summarise,
    tcv_of,
    tcv_of_values,
)


@dataclass
class S:
    elapsed_days: Decimal = Decimal("0")
    citizen_hours: Decimal = Decimal("0")
    fees: Decimal = Decimal("0")
    travel_cost: Decimal = Decimal("0")
    other_cost: Decimal = Decimal("0")
    visits: int = 0
    documents: int = 0


def decimals(max_value: str) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal("0"), max_value=Decimal(max_value), places=2)


steps = st.builds(
    S,
    elapsed_days=decimals("99999.99"),
    citizen_hours=decimals("99999.99"),
    fees=decimals("999999999999.99"),
    travel_cost=decimals("999999999999.99"),
    other_cost=decimals("999999999999.99"),
    visits=st.integers(0, 10_000),
    documents=st.integers(0, 10_000),
)


def test_the_retired_teachers_pension_journey():
    # a2i's example: many visits, travel and an overnight stay, 28 working days.
    journey = [
        S(Decimal("1"), Decimal("6"), Decimal("0"), Decimal("450"), Decimal("120"), 1, 21),
        S(Decimal("20"), Decimal("3"), Decimal("200"), Decimal("450"), Decimal("800"), 2, 0),
        S(Decimal("7"), Decimal("5.5"), Decimal("0"), Decimal("450.50"), Decimal("0"), 1, 0),
    ]
    assert tcv_of(journey) == Tcv(
        days=Decimal("28"),
        hours=Decimal("14.5"),
        cost=Decimal("2470.50"),
        visits=4,
        documents=21,
    )


def test_no_steps_is_zero():
    assert tcv_of([]) == Tcv()


@given(st.lists(steps, max_size=30))
def test_totals_are_the_sums_of_the_steps_exactly(journey):
    tcv = tcv_of(journey)
    assert tcv.days == sum((s.elapsed_days for s in journey), Decimal("0"))
    assert tcv.hours == sum((s.citizen_hours for s in journey), Decimal("0"))
    assert tcv.cost == sum((s.fees + s.travel_cost + s.other_cost for s in journey), Decimal("0"))
    assert tcv.visits == sum(s.visits for s in journey)
    assert tcv.documents == sum(s.documents for s in journey)
    # Exact to the cent: nothing became a float on the way.
    assert tcv.cost == tcv.cost.quantize(Decimal("0.01"))


@given(st.lists(steps, max_size=30))
def test_the_importers_sums_of_plain_values_are_tcv_of(journey):
    values = [
        (
            str(s.elapsed_days),  # the importer's cells are text
            str(s.citizen_hours),
            str(s.fees),
            str(s.travel_cost),
            str(s.other_cost),
            s.visits,
            s.documents,
        )
        for s in journey
    ]
    assert tcv_of_values(values) == tcv_of(journey)


@given(st.lists(steps, max_size=30), st.randoms())
def test_invariant_to_step_order(journey, rnd):
    shuffled = list(journey)
    rnd.shuffle(shuffled)
    assert tcv_of(shuffled) == tcv_of(journey)


@given(st.lists(steps, max_size=30))
def test_never_negative(journey):
    tcv = tcv_of(journey)
    assert min(tcv.days, tcv.hours, tcv.cost) >= 0
    assert min(tcv.visits, tcv.documents) >= 0


def test_a_negative_step_is_refused():
    with pytest.raises(ValueError, match="never negative"):
        tcv_of([S(fees=Decimal("-1"))])


def test_opportunity_cost_is_hours_times_wage_and_not_part_of_cost():
    journey = [S(citizen_hours=Decimal("14.5"), fees=Decimal("100"))]
    tcv = tcv_of(journey)
    assert opportunity_cost(hours=tcv.hours, hourly_wage=Decimal("70.00")) == Decimal("1015.00")
    assert tcv.cost == Decimal("100")
    assert opportunity_cost(hours=tcv.hours, hourly_wage=None) is None


def test_summary_matches_pythons_inclusive_quantiles():
    values = [Decimal(v) for v in ("3", "1", "4", "1", "5", "9", "2", "6")]
    summary = summarise(values)
    assert summary is not None
    assert summary.mean == Decimal("3.88")  # 31 / 8 = 3.875, rounded half up
    assert summary.median == Decimal("3.50")
    expected_p90 = statistics.quantiles(sorted(values), n=10, method="inclusive")[8]
    assert summary.p90 == Decimal(expected_p90).quantize(Decimal("0.01"))
    assert summary.p90 == Decimal("6.90")


def test_summary_of_one_and_of_none():
    one = summarise([Decimal("2.5")])
    assert one is not None and one.mean == one.median == one.p90 == Decimal("2.50")
    assert summarise([]) is None


@given(st.lists(decimals("99999.99"), min_size=1, max_size=50))
def test_summary_lies_within_the_data(values):
    summary = summarise(values)
    assert summary is not None
    low, high = min(values), max(values)
    for figure in (summary.mean, summary.median, summary.p90):
        assert low - Decimal("0.005") <= figure <= high + Decimal("0.005")
    assert summary.median <= summary.p90 + Decimal("0.01")


def test_distribution_reports_opportunity_cost_only_for_journeys_with_a_wage():
    tcvs = [Tcv(hours=Decimal("2")), Tcv(hours=Decimal("4")), Tcv(hours=Decimal("10"))]
    result = distribution(tcvs, hourly_wages=[Decimal("50"), None, Decimal("50")])
    assert result.n == 3
    assert result.hours is not None and result.hours.mean == Decimal("5.33")
    assert result.opportunity_cost is not None
    assert result.opportunity_cost.mean == Decimal("300.00")  # (100 + 500) / 2
    assert distribution(tcvs).opportunity_cost is None
    assert distribution([]).days is None
