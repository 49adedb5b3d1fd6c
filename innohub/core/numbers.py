"""Numbers written as the page's language writes them, for display: grouped digits, the
language's decimal sign, a true minus, Bangla digits on Bangla pages. The `figures` template
filters and the messages of domain code (`services.second_look`) both use these.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language

BANGLA_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
MINUS = "\u2212"  # a minus sign, not a hyphen
NBSP = "\u00a0"


def localise_digits(text: str) -> str:
    """Bangla digits on Bangla pages; the text as it is in other languages."""
    if (get_language() or "").split("-")[0] == "bn":
        return text.translate(BANGLA_DIGITS)
    return text


def figure(value: Any, places: int | None = None) -> str:
    """A number grouped and written as the page's language writes it ("" for none)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    text = number_format(number, use_l10n=True, force_grouping=True)
    return localise_digits(text.replace("-", MINUS))
