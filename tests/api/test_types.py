"""The input and output types every router shares (innohub/api/types.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from pydantic import BaseModel, ValidationError

from innohub.api.types import DecimalOut, Duration, Money, Name


class Sample(BaseModel):
    fee: Money = Decimal(0)
    days: Duration = Decimal(0)
    name: Name = "x"


class Answer(BaseModel):
    value: DecimalOut


def message_of(**values: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Sample(**values)
    (error,) = caught.value.errors()
    return str(error["msg"]).removeprefix("Value error, ")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"fee": "70.5"}, Decimal("70.50")),
        ({"fee": 70}, Decimal(70)),
        ({"fee": "999999999999.99"}, Decimal("999999999999.99")),
        ({"days": "99999.99"}, Decimal("99999.99")),
        ({"days": 2.5}, Decimal("2.5")),
    ],
)
def test_decimals_are_accepted_as_strings_or_json_numbers(values, expected):
    sample = Sample(**values)
    assert next(iter(sample.model_dump(include=set(values)).values())) == expected


@pytest.mark.parametrize(
    ("values", "digits"),
    [
        ({"fee": "1000000000000"}, 12),
        ({"fee": "1e3"}, 12),
        ({"fee": " 7"}, 12),
        ({"fee": "7.005"}, 12),
        ({"days": "100000"}, 5),
        ({"days": "-1"}, 5),
    ],
)
def test_a_decimal_spelled_otherwise_is_refused_saying_how_many_digits(values, digits):
    assert message_of(**values) == (
        f"Give a decimal with up to {digits} digits before the point and 2 after."
    )


@pytest.mark.parametrize("field", ["fee", "days"])
def test_true_or_false_is_never_a_number(field):
    assert message_of(**{field: True}) == "Give a number, not true or false."


def test_a_number_over_the_bound_is_refused():
    with pytest.raises(ValidationError):
        Sample(fee=1_000_000_000_000)
    with pytest.raises(ValidationError):
        Sample(days=-0.01)


def test_the_messages_are_in_the_callers_language():
    with translation.override("fr"):
        assert message_of(name="a\x00b") == "Le texte ne peut pas contenir le caractère NUL."
        assert message_of(fee=False) == "Indiquez un nombre, pas true ou false."
        assert "12" in message_of(fee="1e3") and "chiffres" in message_of(fee="1e3")


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("70.5"), "70.50"), (Decimal(0), "0.00"), (3, "3.00"), ("12.30", "12.30")],
)
def test_answered_decimals_have_two_places(value, text):
    assert Answer(value=value).value == text
