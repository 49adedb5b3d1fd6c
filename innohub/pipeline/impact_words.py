"""A pilot's impact in words a reviewer understands, for the pilot page and reports:
"Citizens now make 1.30 fewer visits (95% CI 0.90 to 1.70): about 52,000 trips saved a
year." Where the journeys cannot tell a change from chance, it says so, and how many more
journeys each phase would need.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.core.numbers import figure
from innohub.services.tcv import Tcv

from .impact import CONFIDENCE, MEASURES, SAVINGS, impact, t_quantile

MINIMUM_PER_PHASE = 2
MAX_JOURNEYS = 1_000_000


def journeys_needed(
    before: Sequence[float], after: Sequence[float], *, confidence: float = CONFIDENCE
) -> int | None:
    """How many journeys each phase would need for Welch's interval to leave out zero, were
    the means and spreads to stay as observed (at least 2); None when no number would tell
    (equal means), there is nothing to go on (fewer than 2 a phase), or it would take more
    than a million."""
    if len(before) < MINIMUM_PER_PHASE or len(after) < MINIMUM_PER_PHASE:
        return None
    difference = abs(statistics.fmean(before) - statistics.fmean(after))
    if difference == 0:
        return None
    v1, v2 = statistics.variance(before), statistics.variance(after)
    if v1 + v2 == 0:
        return MINIMUM_PER_PHASE

    def tells(n: int) -> bool:
        a, b = v1 / n, v2 / n
        freedom = (a + b) ** 2 / ((a * a + b * b) / (n - 1))
        return difference > t_quantile((1 + confidence) / 2, freedom) * math.sqrt(a + b)

    low, high = MINIMUM_PER_PHASE - 1, MINIMUM_PER_PHASE
    while not tells(high):  # double until it tells, then halve the gap
        if high > MAX_JOURNEYS:
            return None
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if tells(middle) else (middle, high)
    return high


def impact_in_words(
    baseline: Sequence[Tcv], after: Sequence[Tcv], *, annual_volume: int, currency: str
) -> list[str]:
    """One sentence per measure (days, hours, cost, visits), or one saying there are too few
    journeys to tell."""
    if len(baseline) < MINIMUM_PER_PHASE or len(after) < MINIMUM_PER_PHASE:
        return [
            _(
                "Too few journeys to tell yet: each phase needs at least %(minimum)s "
                "(baseline %(baseline)s, after %(after)s)."
            )
            % {
                "minimum": figure(MINIMUM_PER_PHASE),
                "baseline": figure(len(baseline)),
                "after": figure(len(after)),
            }
        ]
    result = impact(baseline, after, annual_volume=annual_volume)
    return [_sentence(measure, result, baseline, after, currency=currency) for measure in MEASURES]


def _sentence(
    measure: str,
    result: dict[str, Any],
    baseline: Sequence[Tcv],
    after: Sequence[Tcv],
    *,
    currency: str,
) -> str:
    reduction: Decimal = result["reduction"][measure]
    low, high = result["ci95"][measure]
    if low > 0 or high < 0:  # the interval leaves out zero: a change, told
        grew = high < 0
        amount = _amount(abs(reduction), measure, currency)
        interval = {
            "amount": amount,
            "low": _amount(-high if grew else low, measure, currency),
            "high": _amount(-low if grew else high, measure, currency),
        }
        if grew:
            return _GREW[measure]() % interval
        saved = abs(result["annual_savings"][SAVINGS[measure]])
        return _SAVED[measure]() % {
            **interval,
            "saved": _whole(saved, measure, currency),
        }
    label = _MEASURE_NAMES[measure]()
    if low == high == 0:
        return _("No change in %(measure)s: every journey measured the same.") % {"measure": label}
    needed = journeys_needed(
        [float(getattr(tcv, measure)) for tcv in baseline],
        [float(getattr(tcv, measure)) for tcv in after],
    )
    values = {
        "measure": label,
        "low": _amount(low, measure, currency),
        "high": _amount(high, measure, currency),
    }
    if needed is None:
        return (
            _(
                "No change in %(measure)s can be seen (95%% CI of the reduction %(low)s to %(high)s)."
            )
            % values
        )
    more = max(1, needed - min(len(baseline), len(after)))
    return ngettext(
        "The change in %(measure)s cannot yet be told from chance (95%% CI of the reduction "
        "%(low)s to %(high)s): about %(more)s more journey in each phase would tell.",
        "The change in %(measure)s cannot yet be told from chance (95%% CI of the reduction "
        "%(low)s to %(high)s): about %(more)s more journeys in each phase would tell.",
        more,
    ) % {**values, "more": figure(more)}


def _amount(value: Decimal, measure: str, currency: str) -> str:
    text = figure(value, 2)
    return f"{text}\u00a0{currency}" if measure == "cost" and currency else text


def _whole(value: Decimal, measure: str, currency: str) -> str:
    text = figure(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{text}\u00a0{currency}" if measure == "cost" and currency else text


_MEASURE_NAMES = {
    "days": lambda: _("days"),
    "hours": lambda: _("citizen hours"),
    "cost": lambda: _("cost"),
    "visits": lambda: _("visits"),
}
_SAVED = {
    "days": lambda: _(
        "Citizens now wait %(amount)s fewer days for the service (95%% CI %(low)s to "
        "%(high)s): about %(saved)s citizen-days saved a year."
    ),
    "hours": lambda: _(
        "Citizens now spend %(amount)s fewer hours of their own time (95%% CI %(low)s to "
        "%(high)s): about %(saved)s hours saved a year."
    ),
    "cost": lambda: _(
        "Citizens now pay %(amount)s less (95%% CI %(low)s to %(high)s): about %(saved)s "
        "saved a year."
    ),
    "visits": lambda: _(
        "Citizens now make %(amount)s fewer visits (95%% CI %(low)s to %(high)s): about "
        "%(saved)s trips saved a year."
    ),
}
_GREW = {
    "days": lambda: _(
        "Citizens now wait %(amount)s more days (95%% CI %(low)s to %(high)s): the burden grew."
    ),
    "hours": lambda: _(
        "Citizens now spend %(amount)s more hours of their own time (95%% CI %(low)s to "
        "%(high)s): the burden grew."
    ),
    "cost": lambda: _(
        "Citizens now pay %(amount)s more (95%% CI %(low)s to %(high)s): the burden grew."
    ),
    "visits": lambda: _(
        "Citizens now make %(amount)s more visits (95%% CI %(low)s to %(high)s): the burden grew."
    ),
}
