"""Input types every router shares: text without NUL, numbers that are not booleans, money.

PostgreSQL cannot store NUL in text (a 500 there) and pydantic reads true/false as 1/0, so
each rule is enforced once, here, for every schema (schemathesis found both).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema


def refuse_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text (a 500 there); SQLite would: refuse it everywhere.
    if "\x00" in value:
        raise ValueError("Text may not contain the NUL character.")
    return value


def refuse_bool(value: Any) -> Any:
    # JSON true/false are never numbers (pydantic would read them as 1/0).
    if isinstance(value, bool):
        raise ValueError("Give a number, not true or false.")
    return value


def refuse_nul_or_none(value: str | None) -> str | None:
    return None if value is None else refuse_nul(value)


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(refuse_nul)]
OptionalName = Annotated[str, Field(max_length=200), AfterValidator(refuse_nul)]
Currency = Annotated[
    str,
    Field(pattern=r"^([A-Z]{3})?$", description="ISO 4217, e.g. BDT; empty for none."),
    AfterValidator(refuse_nul),
]

MONEY_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"


def money_input(value: Any) -> Any:
    """Money arrives as a decimal string ("70.50") or a JSON number, never as true/false;
    strings spelled any other way ("1e3", " 7") are refused rather than guessed at."""
    refuse_bool(value)
    if isinstance(value, str) and not re.fullmatch(MONEY_PATTERN, value):
        raise ValueError("Give a decimal with up to 12 digits before the point and 2 after.")
    return value


Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    BeforeValidator(money_input),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": MONEY_PATTERN},
                {"type": "number", "minimum": 0, "maximum": 999_999_999_999.99},
            ],
            "description": 'A decimal, e.g. "70.50" (a JSON number is accepted too).',
        }
    ),
]
# Query-string filters: optional text, without NUL.
QueryRef = Annotated[str | None, Field(max_length=64), AfterValidator(refuse_nul_or_none)]
QueryText = Annotated[str | None, Field(max_length=200), AfterValidator(refuse_nul_or_none)]

DURATION_PATTERN = r"^\d{1,5}(\.\d{1,2})?$"


def duration_input(value: Any) -> Any:
    """Days and hours arrive as a decimal string ("2.50") or a JSON number, never as
    true/false; strings spelled any other way are refused rather than guessed at."""
    refuse_bool(value)
    if isinstance(value, str) and not re.fullmatch(DURATION_PATTERN, value):
        raise ValueError("Give a decimal with up to 5 digits before the point and 2 after.")
    return value


Duration = Annotated[
    Decimal,
    Field(ge=0, max_digits=7, decimal_places=2),
    BeforeValidator(duration_input),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DURATION_PATTERN},
                {"type": "number", "minimum": 0, "maximum": 99_999.99},
            ],
            "description": 'Days or hours as a decimal, e.g. "2.50" (a JSON number is accepted too).',
        }
    ),
]
# A count per step (documents, visits): a JSON integer, 0..10,000; never true/false.
Count = Annotated[int, Field(ge=0, le=10_000, strict=True)]
