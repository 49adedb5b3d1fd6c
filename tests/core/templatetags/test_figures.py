"""Figures as people read them: grouped digits per language, Bangla digits and lakh grouping on
Bangla pages, the currency beside money, signed changes with their per cent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from innohub.core.numbers import BANGLA_DIGITS
from innohub.core.templatetags.figures import change, figure, money, signed


def bangla(text: str) -> str:
    """The text in Bangla digits (written so, the test would hold look-alike characters)."""
    return text.translate(BANGLA_DIGITS)


@pytest.mark.parametrize(
    ("language", "number", "written"),
    [
        ("en", Decimal("12345678.50"), "12,345,678.50"),
        ("bn", Decimal("12345678.50"), bangla("1,23,45,678.50")),  # by lakh and crore
        ("bs", Decimal("12345678.50"), "12.345.678,50"),
        ("fr", Decimal("12345678.50"), "12\u00a0345\u00a0678,50"),
        ("en", 5000000, "5,000,000"),
        ("bn", 5000000, bangla("50,00,000")),
        ("en", Decimal("3120.00"), "3,120.00"),
        ("en", Decimal("-23"), "\u221223"),
    ],
)
def test_a_figure_is_written_as_its_language_writes_it(language, number, written):
    with translation.override(language):
        assert figure(number) == written


def test_money_keeps_its_currency_beside_it_and_nothing_is_empty():
    with translation.override("en"):
        assert money(Decimal("3120"), "BDT") == "3,120\u00a0BDT"
        assert money(None, "BDT") == "" and figure("") == "" and figure(None) == ""
        assert figure("n/a") == "n/a"  # not a number: as it is
        assert figure(Decimal("2.345"), 2) == "2.35"  # half up


def test_a_change_has_its_sign_and_its_per_cent_of_the_base():
    with translation.override("en"):
        assert change(Decimal("-23"), Decimal("37")) == "\u221223 (\u221262%)"
        assert change(4, 8) == "+4 (+50%)"
        assert change(0, 8) == "±0 (0%)"
        assert change(5, 0) == "+5" and change(5, None) == "+5"
        assert signed(Decimal("0.00")) == "±0.00"
    with translation.override("bn"):
        assert change(Decimal("-23"), Decimal("37")) == bangla("\u221223 (\u221262%)")
