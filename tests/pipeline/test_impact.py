"""A pilot's impact (API.md `GET /pilots/{id}/impact`): means, reductions, Welch's interval
held to SciPy's, and the cases with too little to tell."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from innohub.pipeline.impact import impact, t_quantile, welch_interval
from innohub.services.tcv import Tcv


def journey(days="0", hours="0", cost="0", visits=0) -> Tcv:
    return Tcv(
        days=Decimal(days), hours=Decimal(hours), cost=Decimal(cost), visits=visits, documents=0
    )


@pytest.mark.parametrize("p", [0.5, 0.9, 0.975, 0.995])
@pytest.mark.parametrize("freedom", [1, 1.5, 2, 3.7, 10, 29.2, 120, 10_000])
def test_the_t_quantile_is_scipys(p, freedom):
    assert t_quantile(p, freedom) == pytest.approx(stats.t.ppf(p, freedom), rel=1e-9, abs=1e-9)


def test_the_t_quantile_refuses_what_it_cannot_answer():
    for p, freedom in ((0.4, 3), (1, 3), (0.975, 0)):
        with pytest.raises(ValueError):
            t_quantile(p, freedom)


# Days, hours, cost and visits as journeys store them: hundredths.
samples = st.lists(
    st.integers(0, 1_000_000).map(lambda cents: cents / 100), min_size=2, max_size=40
)


# SciPy warns of precision loss where a phase's values are (nearly) all equal; it then still
# answers, and so must we.
@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")
@settings(max_examples=200, deadline=None)
@given(before=samples, after=samples)
def test_welchs_interval_is_scipys(before, after):
    ours = welch_interval(before, after)
    assert ours is not None
    if statistics.variance(before) == 0 and statistics.variance(after) == 0:
        difference = sum(before) / len(before) - sum(after) / len(after)
        assert ours == pytest.approx((difference, difference))
        return
    theirs = stats.ttest_ind(before, after, equal_var=False).confidence_interval(0.95)
    assert ours[0] == pytest.approx(theirs.low, rel=1e-7, abs=1e-7)
    assert ours[1] == pytest.approx(theirs.high, rel=1e-7, abs=1e-7)


def test_variances_too_small_to_square_still_give_an_interval():
    low, high = welch_interval([0.0, 5e-324], [0.0, 0.0])
    assert low <= high and abs(low) < 1e-300 and abs(high) < 1e-300


def test_a_pilot_that_saves_visits_in_api_md_shape():
    baseline = [journey("10", "6", "1000", 4), journey("14", "8", "1400", 3)]
    after = [journey("3", "2", "300", 1), journey("5", "2", "500", 2), journey("4", "2", "400", 1)]
    result = impact(baseline, after, annual_volume=40_000)

    assert result["baseline"] == {
        "n": 2,
        "days": Decimal("12.00"),
        "hours": Decimal("7.00"),
        "cost": Decimal("1200.00"),
        "visits": Decimal("3.50"),
    }
    assert result["after"]["n"] == 3 and result["after"]["visits"] == Decimal("1.33")
    assert result["reduction"]["days"] == Decimal("8.00")
    assert result["reduction"]["visits"] == Decimal("2.17")  # 3.5 - 4/3
    assert result["reduction_pct"]["days"] == Decimal("66.67")
    assert result["annual_savings"] == {
        "citizen_days": Decimal("320000.00"),
        "citizen_hours": Decimal("200000.00"),
        "cost": Decimal("32000000.00"),
        "visits": Decimal("86666.67"),
    }
    low, high = result["ci95"]["days"]
    theirs = stats.ttest_ind([10, 14], [3, 5, 4], equal_var=False).confidence_interval(0.95)
    assert (low, high) == (
        Decimal(repr(float(theirs.low))).quantize(Decimal("0.01")),
        Decimal(repr(float(theirs.high))).quantize(Decimal("0.01")),
    )


def test_fewer_than_two_journeys_in_a_phase_give_no_interval():
    result = impact([journey("10")], [journey("3"), journey("4")], annual_volume=100)
    assert result["ci95"] == {"days": None, "hours": None, "cost": None, "visits": None}
    assert result["reduction"]["days"] == Decimal("6.50")  # the means still differ


def test_a_phase_without_journeys_gives_no_reduction():
    result = impact([journey("10"), journey("12")], [], annual_volume=100)
    assert result["after"] == {"n": 0, "days": None, "hours": None, "cost": None, "visits": None}
    assert set(result["reduction"].values()) == {None}
    assert set(result["annual_savings"].values()) == {None}


def test_a_zero_baseline_has_no_percentage_but_a_reduction():
    result = impact(
        [journey(cost="0"), journey(cost="0")],
        [journey(cost="50"), journey(cost="70")],
        annual_volume=10,
    )
    assert result["reduction"]["cost"] == Decimal("-60.00")  # the pilot made it dearer
    assert result["reduction_pct"]["cost"] is None


def test_identical_phases_without_variance_give_a_point_interval():
    same = [journey("5", visits=2), journey("5", visits=2)]
    result = impact(same, list(same), annual_volume=1000)
    assert result["reduction"]["days"] == Decimal("0.00")
    assert result["ci95"]["days"] == [Decimal("0.00"), Decimal("0.00")]
    assert result["ci95"]["visits"] == [Decimal("0.00"), Decimal("0.00")]
    assert result["reduction_pct"]["days"] == Decimal("0.00")
