"""Figures as people read them in the page's language: `{{ value|figure }}`,
`{{ value|money:currency }}`, `{{ value|change:base }}`.

Digits are grouped (1,234,567.50 in English; 12,34,567.50 in Bangla, by lakh; 1 234 567,50 in
French), with the language's decimal sign, and in Bangla digits on Bangla pages. For display
only: form fields, codes and files keep plain digits.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext as _

from innohub.core import numbers
from innohub.core.numbers import NBSP

register = template.Library()


@register.filter
def figure(value: Any, places: int | None = None) -> str:
    """A number grouped and written as the page's language writes it ("" for none)."""
    return numbers.figure(value, places)


@register.filter
def money(value: Any, currency: str = "") -> str:
    """An amount with its currency beside it, kept on one line: `3,120.00 BDT`."""
    if value is None or value == "":
        return ""
    amount = figure(value)
    return f"{amount}{NBSP}{currency}" if currency else amount


@register.filter
def signed(value: Any) -> str:
    """A difference with its sign (a true minus sign): +4, -23, ±0."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number > 0:
        return "+" + figure(number)
    if number < 0:
        return figure(number)
    return "±" + figure(number)


@register.filter
def change(value: Any, base: Any) -> str:
    """A difference and what it is of `base` in per cent: "-23 (-62%)"; the difference
    alone when the base is zero or missing."""
    if value is None or value == "":
        return ""
    text = signed(value)
    try:
        whole = Decimal(str(base))
    except (InvalidOperation, TypeError):
        return text
    if not whole:
        return text
    percent = (Decimal(str(value)) * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _("%(difference)s (%(percent)s%%)") % {
        "difference": text,
        "percent": signed(percent) if percent else figure(0),
    }
