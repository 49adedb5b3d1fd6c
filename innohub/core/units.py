"""Money, durations and counts as docs/api.md's conventions size them, for every app.

Money is a `Decimal` with 2 places and up to 12 digits before the point, in the currency of
the object that owns it; durations (days, hours) have 2 places and up to 5 before the point;
a count per step (documents, visits) is a whole number up to 10,000.
"""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")

MONEY_WHOLE_DIGITS, MONEY_PLACES = 12, 2
MONEY_DIGITS = MONEY_WHOLE_DIGITS + MONEY_PLACES
MAX_MONEY = Decimal("999999999999.99")

DURATION_WHOLE_DIGITS, DURATION_PLACES = 5, 2
DURATION_DIGITS = DURATION_WHOLE_DIGITS + DURATION_PLACES
MAX_DURATION = Decimal("99999.99")

MAX_COUNT_PER_STEP = 10_000
