"""A cell as the value a model takes: numbers parsed from text (or a spreadsheet's own
numbers), then judged by the step rules of `innohub.services.steps`.

Values repeat in a file (fees of "50", "0" hours): each distinct text is parsed once per
import and kept in a bounded cache.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from innohub.core.imports import cell_text
from innohub.core.units import CENT

from ..steps import count_error, decimal_error

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
INTEGER = re.compile(r"[+-]?\d+")


def parse_decimal(value: Any, *, maximum: Decimal) -> tuple[Decimal | None, str]:
    if isinstance(value, bool):
        return None, _("Give a number, not true or false.")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = cell_text(value)
        if text == "":
            return None, _("Give a number (0 when nothing was spent).")
        if not NUMBER.fullmatch(text):
            return None, _("“%(value)s” is not a number.") % {"value": text[:50]}
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, _("“%(value)s” is not a number.") % {"value": text[:50]}
    if message := decimal_error(number, maximum=maximum):
        return None, message
    return number.quantize(CENT), ""


# Values repeat (fees of "50", "0" hours): parse each distinct text once per import.
CACHE_LIMIT = 100_000


def decimal_text_cached(value: Any, *, maximum: Decimal, cache: dict) -> tuple[str | None, str]:
    """`_decimal` as the canonical text the database takes ("10.50"), memoised for texts."""
    if value.__class__ is str:
        key = (value, maximum)
        found = cache.get(key)
        if found is None:
            number, message = parse_decimal(value, maximum=maximum)
            found = (None if number is None else str(number), message)
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            cache[key] = found
        return found
    number, message = parse_decimal(value, maximum=maximum)
    return (None if number is None else str(number)), message


def count_cached(value: Any, cache: dict) -> tuple[int | None, str]:
    if value.__class__ is str:
        found = cache.get(value)
        if found is None:
            found = parse_count(value)
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            cache[value] = found
        return found
    return parse_count(value)


def parse_count(value: Any) -> tuple[int | None, str]:
    if isinstance(value, bool):
        return None, _("Give a whole number, not true or false.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = cell_text(value)
        if text == "":
            return None, _("Give a whole number (0 for none).")
        if not INTEGER.fullmatch(text):
            if NUMBER.fullmatch(text):
                return None, _("Give a whole number.")
            return None, _("“%(value)s” is not a number.") % {"value": text[:50]}
        number = int(text)
    if message := count_error(number):
        return None, message
    return number, ""
