"""A pilot's impact: the citizen's burden before and after it, with its uncertainty.

`impact(baseline, after, annual_volume=...)` answers `GET /pilots/{id}/impact` of API.md:
per phase the number of journeys and their mean days, citizen hours, cost and visits; the
reduction (baseline - after) and what it is in per cent of the baseline; Welch's 95%
interval for the reduction; and the reduction times the pilot's citizens a year.

Pure arithmetic on journeys' TCV (`innohub.services.tcv.Tcv`), no database: the pilot page,
the API and reports ask it alike. Welch's interval needs Student's t quantile, computed
here (the regularised incomplete beta function and a bisection) so that the product does not
depend on SciPy; the tests hold it to `scipy.stats.ttest_ind(equal_var=False)`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist
from typing import Any

from innohub.services.tcv import Tcv

MEASURES = ("days", "hours", "cost", "visits")
SAVINGS = {"days": "citizen_days", "hours": "citizen_hours", "cost": "cost", "visits": "visits"}
CONFIDENCE = 0.95
CENT = Decimal("0.01")


def impact(baseline: Sequence[Tcv], after: Sequence[Tcv], *, annual_volume: int) -> dict[str, Any]:
    """The impact of a pilot from its baseline and after journeys, in API.md's shape. Means,
    reductions and savings are Decimals to the hundredth; a figure that cannot be drawn (a
    phase without journeys, a baseline of zero, fewer than 2 journeys for an interval) is
    None."""
    before_values = {measure: _values(baseline, measure) for measure in MEASURES}
    after_values = {measure: _values(after, measure) for measure in MEASURES}
    reduction: dict[str, Decimal | None] = {}
    reduction_pct: dict[str, Decimal | None] = {}
    ci95: dict[str, list[Decimal] | None] = {}
    savings: dict[str, Decimal | None] = {}
    for measure in MEASURES:
        b, a = before_values[measure], after_values[measure]
        if not b or not a:
            reduction[measure] = reduction_pct[measure] = savings[SAVINGS[measure]] = None
            ci95[measure] = None
            continue
        difference = _mean(b) - _mean(a)
        reduction[measure] = _cents(difference)
        baseline_mean = _mean(b)
        reduction_pct[measure] = (
            _cents(100 * difference / baseline_mean) if baseline_mean != 0 else None
        )
        savings[SAVINGS[measure]] = _cents(difference * annual_volume)
        interval = welch_interval([float(x) for x in b], [float(x) for x in a])
        ci95[measure] = None if interval is None else [_cents(Decimal(repr(v))) for v in interval]
    return {
        "baseline": _phase(before_values, len(baseline)),
        "after": _phase(after_values, len(after)),
        "reduction": reduction,
        "reduction_pct": reduction_pct,
        "ci95": ci95,
        "annual_savings": savings,
    }


def annual_saving(
    baseline: tuple[Decimal, int], after: tuple[Decimal, int], *, annual_volume: int
) -> Decimal | None:
    """A year's saving in one measure from each phase's (total, number of journeys), drawn as
    `impact` draws it: (mean before - mean after) x citizens a year, to the hundredth. For
    figures summed in the database over many pilots (an action plan's citizen-days saved)."""
    (before_total, before_n), (after_total, after_n) = baseline, after
    if not before_n or not after_n:
        return None
    difference = Decimal(before_total) / before_n - Decimal(after_total) / after_n
    return _cents(difference * annual_volume)


def welch_interval(
    before: Sequence[float], after: Sequence[float], *, confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """Welch's t interval for mean(before) - mean(after); None when either has fewer than 2
    values, the difference itself twice when neither varies."""
    if len(before) < 2 or len(after) < 2:
        return None
    difference = statistics.fmean(before) - statistics.fmean(after)
    share_before = statistics.variance(before) / len(before)
    share_after = statistics.variance(after) / len(after)
    error2 = share_before + share_after
    if error2 == 0:
        return (difference, difference)
    spread = share_before**2 / (len(before) - 1) + share_after**2 / (len(after) - 1)
    p = (1 + confidence) / 2
    # Variances so small that their squares underflow: freedom beyond any t table, where t
    # is the normal distribution.
    quantile = t_quantile(p, error2**2 / spread) if spread > 0 else NormalDist().inv_cdf(p)
    half = quantile * math.sqrt(error2)
    return (difference - half, difference + half)


def t_quantile(p: float, freedom: float) -> float:
    """Student's t quantile: the t with P(T <= t) = p, for 0.5 <= p < 1 and freedom > 0."""
    if not 0.5 <= p < 1 or freedom <= 0:
        raise ValueError("t_quantile needs 0.5 <= p < 1 and positive degrees of freedom")
    low, high = 0.0, 1.0
    while _t_cdf(high, freedom) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if _t_cdf(middle, freedom) < p:
            low = middle
        else:
            high = middle
        if high - low <= 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def _t_cdf(t: float, freedom: float) -> float:
    """P(T <= t) for t >= 0."""
    x = freedom / (freedom + t * t)
    return 1 - 0.5 * _incomplete_beta(x, freedom / 2, 0.5)


def _incomplete_beta(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by its continued fraction."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(x, a, b) / a
    return 1 - front * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    # Lentz's method for the continued fraction of the incomplete beta function.
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return result


def _values(journeys: Sequence[Tcv], measure: str) -> list[Decimal]:
    return [Decimal(getattr(journey, measure)) for journey in journeys]


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _phase(values: dict[str, list[Decimal]], n: int) -> dict[str, Any]:
    return {"n": n} | {
        measure: _cents(_mean(values[measure])) if n else None for measure in MEASURES
    }
