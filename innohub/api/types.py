"""Input types every router shares: text without NUL, numbers that are not booleans, money.

PostgreSQL cannot store NUL in text (a 500 there) and pydantic reads true/false as 1/0, so
each rule is enforced once, here, for every schema (schemathesis found both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import (
    AfterValidator,
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from innohub.core.text import nul_message
from innohub.core.units import (
    CENT,
    DURATION_PLACES,
    DURATION_WHOLE_DIGITS,
    MAX_COUNT_PER_STEP,
    MONEY_PLACES,
    MONEY_WHOLE_DIGITS,
)


def refuse_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text (a 500 there); SQLite would: refuse it everywhere.
    if "\x00" in value:
        raise ValueError(nul_message())
    return value


def refuse_bool(value: Any) -> Any:
    # JSON true/false are never numbers (pydantic would read them as 1/0).
    if isinstance(value, bool):
        raise ValueError(_("Give a number, not true or false."))
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


@dataclass(frozen=True)
class DecimalInput:
    """An input decimal with 2 places and up to `whole_digits` before the point: a decimal
    string ("70.50") or a JSON number, never true/false; strings spelled any other way
    ("1e3", " 7") are refused rather than guessed at. Used as `Annotated[Decimal, …]`."""

    whole_digits: int
    description: str

    @property
    def pattern(self) -> str:
        return rf"^\d{{1,{self.whole_digits}}}(\.\d{{1,2}})?$"

    def check(self, value: Any) -> Any:
        refuse_bool(value)
        if isinstance(value, str) and not re.fullmatch(self.pattern, value):
            raise ValueError(
                _("Give a decimal with up to %(digits)d digits before the point and 2 after.")
                % {"digits": self.whole_digits}
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(
            self.check,
            core_schema.decimal_schema(
                ge=Decimal(0), max_digits=self.whole_digits + 2, decimal_places=2
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        largest = float(Decimal(10**self.whole_digits) - CENT)
        return {
            "anyOf": [
                {"type": "string", "pattern": self.pattern},
                {"type": "number", "minimum": 0, "maximum": largest},
            ],
            "description": self.description,
        }


# docs/api.md: money up to 12 digits before the point and 2 after; days and hours 5 and 2.
assert MONEY_PLACES == DURATION_PLACES == 2  # DecimalInput's pattern allows 2 places
Money = Annotated[
    Decimal,
    DecimalInput(MONEY_WHOLE_DIGITS, 'A decimal, e.g. "70.50" (a JSON number is accepted too).'),
]
Duration = Annotated[
    Decimal,
    DecimalInput(
        DURATION_WHOLE_DIGITS,
        'Days or hours as a decimal, e.g. "2.50" (a JSON number is accepted too).',
    ),
]


def decimal_text(value: Decimal | int) -> str:
    """A decimal as the API answers it: a string with two places ("70.50")."""
    return str(Decimal(value).quantize(CENT))


# An answered decimal (money, days, hours, statistics): the model's Decimal as "70.50".
DecimalOut = Annotated[
    str,
    BeforeValidator(lambda value: value if isinstance(value, str) else decimal_text(value)),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["70.50"]}),
]
# Query-string filters: optional text, without NUL.
QueryRef = Annotated[str | None, Field(max_length=64), AfterValidator(refuse_nul_or_none)]
QueryText = Annotated[str | None, Field(max_length=200), AfterValidator(refuse_nul_or_none)]

# A count per step (documents, visits): a JSON integer, 0..10,000; never true/false.
Count = Annotated[int, Field(ge=0, le=MAX_COUNT_PER_STEP, strict=True)]
