"""A row's step cells (title … pain point) as the values the models take.

`fast` takes the common row — text cells, all good — quickly, remembering each number text
it found good; `check` is the full check, which says what is wrong. The fast path is a pure
speed-up of the same rules (tests/services/importer/test_fast_path.py): whatever it accepts,
`check` accepts alike.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from innohub.core.imports import RowError, cell_text
from innohub.core.text import text_error
from innohub.core.units import MAX_DURATION, MAX_MONEY

from ..limits import ACTOR_MAX, OFFICE_MAX, PAIN_DESCRIPTION_MAX, TITLE_MAX
from ..steps import pain_category_error
from .cells import CACHE_LIMIT, count_cached, decimal_text_cached, parse_count, parse_decimal
from .format import PAIN_CATEGORIES

# A parsed step row: the values the models take.
# Decimals are their canonical text ("10.50"): what the database takes, and what "the same
# value" compares (10 equals 10.00).
ParsedStep = tuple[str, str, str, int, str, str, str, str, str, int, str, str]
# title, office, actor, documents, days, hours, fees, travel, other, visits, pp cat, pp text


class StepCells:
    """Parses the step cells of rows, with the memory of the texts already found good."""

    def __init__(self) -> None:
        # Texts already found good, per kind of number: the fast path's memory.
        self.good_counts: dict[str, int] = {}
        self.good_durations: dict[str, str] = {}
        self.good_money: dict[str, str] = {}
        # (position in the row, its cache, its maximum or None for a count), in row order.
        self.number_cells: tuple[tuple[int, dict[str, Any], Decimal | None], ...] = (
            (9, self.good_counts, None),
            (10, self.good_durations, MAX_DURATION),
            (11, self.good_durations, MAX_DURATION),
            (12, self.good_money, MAX_MONEY),
            (13, self.good_money, MAX_MONEY),
            (14, self.good_money, MAX_MONEY),
            (15, self.good_counts, None),
        )
        self.decimal_cache: dict[tuple[str, Decimal], tuple[str | None, str]] = {}
        self.count_cache: dict[str, tuple[int | None, str]] = {}

    def fast(self, values: tuple[Any, ...]) -> ParsedStep | None:
        """The common case, quickly: a row of text cells that are all good. None when in any
        doubt: `check` then checks the row again and says what is wrong."""
        try:
            title, office = values[7].strip(), values[8].strip()
            actor, category, pain = values[16].strip(), values[17].strip(), values[18].strip()
        except AttributeError:  # a spreadsheet's number or date
            return None
        joined = title + office + actor + category + pain
        if not joined.isascii():
            title, office, actor, category, pain = (
                unicodedata.normalize("NFC", text)
                for text in (title, office, actor, category, pain)
            )
        if (
            not title
            or "\x00" in joined
            or len(title) > TITLE_MAX
            or len(office) > OFFICE_MAX
            or len(actor) > ACTOR_MAX
            or len(pain) > PAIN_DESCRIPTION_MAX
            or (category and category not in PAIN_CATEGORIES)
            or (pain and not category)
        ):
            return None
        numbers: list[Any] = []
        for position, cache, maximum in self.number_cells:
            cell = values[position]
            number = cache.get(cell) if cell.__class__ is str else None
            if number is None:
                if maximum is None:
                    number, message = parse_count(cell)
                else:
                    parsed, message = parse_decimal(cell, maximum=maximum)
                    number = None if parsed is None else str(parsed)
                if message or number is None:
                    return None
                if cell.__class__ is str:
                    if len(cache) > CACHE_LIMIT:
                        cache.clear()
                    cache[cell] = number
            numbers.append(number)
        documents, days, hours, fees, travel, other, visits = numbers
        return (title, office, actor, documents, days, hours, fees, travel, other, visits,
                category, pain)  # fmt: skip

    def check(self, line: int, values: tuple[Any, ...]) -> tuple[ParsedStep | None, list[RowError]]:
        """The step cells of the row at `line`, parsed, or None and every problem with them."""
        errors: list[RowError] = []
        ok = True
        texts: list[str] = []
        for name, position, longest, required in (
            ("title", 7, TITLE_MAX, True),
            ("office", 8, OFFICE_MAX, False),
            ("actor", 16, ACTOR_MAX, False),
            ("pain_point_category", 17, None, False),
            ("pain_point", 18, PAIN_DESCRIPTION_MAX, False),
        ):
            text = cell_text(values[position])
            if message := text_error(text, max_length=longest, required=required):
                errors.append(RowError(line, name, message))
                ok = False
            texts.append(text)
        title, office, actor, category, pain = texts
        if category and "\x00" not in category and (message := pain_category_error(category)):
            errors.append(RowError(line, "pain_point_category", message))
            ok = False
        elif pain and not category:
            errors.append(
                RowError(line, "pain_point_category", _("Give the pain point's category."))
            )
            ok = False

        numbers: list[Any] = []
        for name, position in (("documents", 9), ("visits", 15)):
            count, message = count_cached(values[position], self.count_cache)
            if message:
                errors.append(RowError(line, name, message))
                ok = False
            numbers.append(count)
        for name, position, maximum in (
            ("elapsed_days", 10, MAX_DURATION),
            ("citizen_hours", 11, MAX_DURATION),
            ("fees", 12, MAX_MONEY),
            ("travel_cost", 13, MAX_MONEY),
            ("other_cost", 14, MAX_MONEY),
        ):
            number, message = decimal_text_cached(
                values[position], maximum=maximum, cache=self.decimal_cache
            )
            if message:
                errors.append(RowError(line, name, message))
                ok = False
            numbers.append(number)
        if not ok:
            return None, errors
        documents, visits, days, hours, fees, travel, other = numbers
        return (title, office, actor, documents, days, hours, fees, travel, other, visits,
                category, pain), errors  # fmt: skip
