"""The impact of a pilot in words: told changes, a burden that grew, changes chance could
explain (with how many more journeys would tell), and too few journeys."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from innohub.core.numbers import BANGLA_DIGITS
from innohub.pipeline.impact_words import impact_in_words, journeys_needed
from innohub.services.tcv import Tcv


def journey(days="0", hours="0", cost="0", visits=0) -> Tcv:
    return Tcv(
        days=Decimal(days), hours=Decimal(hours), cost=Decimal(cost), visits=visits, documents=0
    )


BASELINE = [
    journey("20", "8", "1000", 4),
    journey("24", "10", "1200", 5),
    journey("22", "9", "1100", 3),
]
AFTER = [journey("5", "2", "300", 1), journey("7", "3", "500", 1), journey("6", "2", "400", 2)]


def test_a_told_reduction_reads_as_a_saving_a_year():
    days, hours, cost, visits = impact_in_words(
        BASELINE, AFTER, annual_volume=40_000, currency="BDT"
    )
    assert days.startswith("Citizens now wait 16.00 fewer days for the service (95% CI ")
    assert days.endswith("about 640,000 citizen-days saved a year.")
    assert hours.startswith("Citizens now spend 6.67 fewer hours of their own time")
    assert cost.startswith("Citizens now pay 700.00\u00a0BDT less (95% CI ")
    assert cost.endswith("about 28,000,000\u00a0BDT saved a year.")
    assert visits.startswith("Citizens now make 2.67 fewer visits (95% CI ")
    assert visits.endswith("about 106,667 trips saved a year.")


def test_a_burden_that_grew_says_so():
    sentences = impact_in_words(AFTER, BASELINE, annual_volume=10, currency="BDT")
    assert sentences[0].startswith("Citizens now wait 16.00 more days (95% CI ")
    assert sentences[0].endswith("the burden grew.")
    low, high = sentences[0].split("CI ")[1].split(")")[0].split(" to ")
    assert 0 < Decimal(low) < 16 < Decimal(high)  # the interval of the increase, positive


def test_a_change_chance_could_explain_says_how_many_more_journeys_would_tell():
    baseline = [journey(visits=2), journey(visits=5), journey(visits=3)]
    after = [journey(visits=1), journey(visits=4), journey(visits=3)]
    visits = impact_in_words(baseline, after, annual_volume=10, currency="BDT")[3]
    needed = journeys_needed([2, 5, 3], [1, 4, 3])
    assert needed == 42  # Welch's t at 42 a phase; the normal approximation would say 41
    assert visits == (
        "The change in visits cannot yet be told from chance (95% CI of the reduction "
        f"{visits.split('reduction ')[1].split(')')[0]}): about 39 more journeys in each "
        "phase would tell."
    )


def test_equal_phases_and_too_few_journeys():
    same = [journey("5"), journey("5")]
    assert impact_in_words(same, same, annual_volume=1, currency="")[0] == (
        "No change in days: every journey measured the same."
    )
    spread = [journey("4"), journey("6")]
    assert impact_in_words(spread, spread, annual_volume=1, currency="")[0].startswith(
        "No change in days can be seen (95% CI of the reduction "
    )
    assert impact_in_words([journey("4")], AFTER, annual_volume=1, currency="") == [
        "Too few journeys to tell yet: each phase needs at least 2 (baseline 1, after 3)."
    ]
    assert journeys_needed([1], [1, 2]) is None


def test_a_bangla_reader_reads_bangla_digits():
    with translation.override("bn"):
        days = impact_in_words(BASELINE, AFTER, annual_volume=40_000, currency="BDT")[0]
    assert "16.00".translate(BANGLA_DIGITS) in days and "16.00" not in days


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ([2, 5, 3], [1, 4, 3]),
        ([4, 5], [1, 1]),
        ([30, 26, 34, 31], [8, 10, 7, 40]),
        ([1, 2], [1.5, 2.2]),
    ],
)
def test_journeys_needed_is_where_welchs_interval_first_leaves_out_zero(before, after):
    """Held to SciPy's t quantile: at the answer the interval leaves out zero, one fewer not."""
    import statistics

    from scipy import stats

    def tells(n):
        a, b = statistics.variance(before) / n, statistics.variance(after) / n
        freedom = (a + b) ** 2 / ((a * a + b * b) / (n - 1))
        half = stats.t.ppf(0.975, freedom) * (a + b) ** 0.5
        return abs(statistics.fmean(before) - statistics.fmean(after)) > half

    needed = journeys_needed(before, after)
    assert needed is not None
    assert tells(needed)
    assert needed == 2 or not tells(needed - 1)


def test_the_sentence_never_asks_for_0_more_journeys():
    # 2 journeys a phase whose interval still holds zero, though the normal approximation
    # would call 2 enough: at least one more is asked for.
    words = impact_in_words(
        [journey(visits=4), journey(visits=5)], [journey(visits=1), journey(visits=1)],
        annual_volume=100, currency="BDT",
    )  # fmt: skip
    assert "about 0 more" not in words[3] and "about 1 more journey in each phase" in words[3]
