"""The KPIs of a consultation or an organisation, exactly as docs/api.md says ("Citizen
engagement"), from the counters kept on write (`rollups.py`): no contribution is read.

- `response_rate_pct` = 100 x findings with a response / findings (None without findings);
- `median_days_to_response` = the median, over findings with a response, of the first
  response's `responded_on` minus the consultation's `closes_on`, in days (negative when it
  came before the close); None without any;
- `satisfaction` = {n, mean} over contributions that gave one, or None.
Decimals have two places, rounded half up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .models import CHANNELS, Counts, channel_counts

CENT = Decimal("0.01")
SUPPRESS_BELOW = 5  # groups of fewer citizens are not shown on public pages (MODEL.md)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def median_of(histogram: dict[str, int]) -> Decimal | None:
    """The median of the values a histogram ({"12": 3, "-2": 1}) counts."""
    pairs = sorted((int(days), int(n)) for days, n in histogram.items() if int(n) > 0)
    total = sum(n for _days, n in pairs)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle one, or the middle two
    found: list[int] = []
    seen = 0
    for days, n in pairs:
        while wanted and wanted[0] < seen + n:
            found.append(days)
            wanted.pop(0)
        seen += n
    return cents(Decimal(sum(found)) / len(found))


def figures(counts: Counts) -> dict[str, Any]:
    """The KPIs of `counts` (a Consultation or an OrganisationEngagement)."""
    findings, answered = counts.findings, counts.findings_with_response
    rate = cents(Decimal(100 * answered) / findings) if findings else None
    satisfaction = None
    if counts.satisfaction_n:
        satisfaction = {
            "n": counts.satisfaction_n,
            "mean": cents(Decimal(counts.satisfaction_sum) / counts.satisfaction_n),
        }
    return {
        "contributions": counts.contributions,
        "by_channel": channel_counts(counts),
        "findings": findings,
        "findings_with_response": answered,
        "response_rate_pct": rate,
        "median_days_to_response": median_of(counts.response_days),
        "satisfaction": satisfaction,
    }


def shown(n: int) -> int | None:
    """A count of citizens as a public page shows it: None (suppressed) under 5."""
    return n if n >= SUPPRESS_BELOW else None


def public_figures(counts: Counts) -> dict[str, Any]:
    """What a public page shows: counts of citizens under 5 are suppressed (None), and the
    mean satisfaction with them."""
    found = figures(counts)
    satisfaction = found["satisfaction"]
    return {
        "contributions": shown(found["contributions"]),
        "by_channel": {channel: shown(found["by_channel"][channel]) for channel in CHANNELS},
        "satisfaction": satisfaction if satisfaction and shown(satisfaction["n"]) else None,
        "findings": found["findings"],
        "findings_with_response": found["findings_with_response"],
    }
