"""Lists: `?page=N&page_size=M` or `?cursor=…` → `{"count", "next", "results"}` (API.md).

`page` is the simple way in, and works while page * page_size ≤ MAX_OFFSET (deeper, an OFFSET
makes the database walk every row before the page: 422 naming `page`). `next` is an opaque
cursor after the page's last row, null on the last page; sent back as `?cursor=`, it answers
the following page by keyset — `WHERE (ordering) > (the last row's values)` — which costs the
same at any depth. A cursor names the list's own ordering, with the primary key added so that
no two rows tie. A page size over 200 is 422, never a silent clamp; `count` is exact.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase
from pydantic import ValidationInfo, field_validator

from innohub.core.models import MAX_ID
from innohub.core.pagination import rows_at

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# The deepest row `page` reaches; beyond it, `cursor`.
MAX_OFFSET = 100_000


class PageNumber(PaginationBase):
    class Input(Schema):
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (max 200)."
        )
        page: int = Field(
            1,
            ge=1,
            le=MAX_OFFSET,
            description=(
                f"Page number, from 1, while page * page_size ≤ {MAX_OFFSET:,}; deeper, follow "
                "`next` (a cursor). Ignored with `cursor`."
            ),
        )
        cursor: str | None = Field(
            None,
            max_length=2_000,
            description="The `next` of the previous page: the page after it, at any depth.",
        )

        @field_validator("page")
        @classmethod
        def not_too_deep(cls, page: int, info: ValidationInfo) -> int:
            page_size = info.data.get("page_size", DEFAULT_PAGE_SIZE)
            if page * page_size > MAX_OFFSET:
                raise ValueError(
                    f"page * page_size may be at most {MAX_OFFSET:,}: follow `next` (a cursor) "
                    "to go deeper."
                )
            return page

    class Output(Schema):
        count: int
        next: str | None = Field(
            description="A cursor for the next page (`?cursor=`), or null on the last page."
        )
        results: list[Any]

    items_attribute = "results"

    def __init__(self, *, prepare: Callable[[list[Any]], Any] | None = None, **kwargs: Any):
        """`prepare` is given the page's rows before they are answered: to read what each
        row's answer needs for the whole page at once (`@paginate(PageNumber, prepare=…)`)."""
        super().__init__(**kwargs)
        self.prepare = prepare

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = pagination.page_size
        queryset, ordering = _ordered(queryset)
        if pagination.cursor:
            rows = list(
                _after(queryset, ordering, _decode(pagination.cursor, ordering))[: size + 1]
            )
        else:
            rows = rows_at(queryset, offset=(pagination.page - 1) * size, size=size + 1)
        more = len(rows) > size
        rows = rows[:size]
        if self.prepare is not None:
            self.prepare(rows)
        return {
            "count": self._items_count(queryset),
            "next": _encode(rows[-1], ordering) if more else None,
            "results": rows,
        }


def _ordered(queryset: QuerySet) -> tuple[QuerySet, list[tuple[str, bool]]]:
    """The list ordered to the end (the primary key last, so that no two rows tie), and that
    ordering as (field path, descending). The fields must not be null."""
    names = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    ordering: list[tuple[str, bool]] = []
    for name in names:
        if not isinstance(name, str) or name == "?":
            raise TypeError(f"A keyset list needs plain field orderings, not {name!r}")
        descending = name.startswith("-")
        field = name.lstrip("-")
        ordering.append(("pk" if field == "id" else field, descending))
    if not any(field == "pk" for field, _ in ordering):
        ordering.append(("pk", ordering[-1][1] if ordering else False))
    return queryset.order_by(*[("-" if d else "") + f for f, d in ordering]), ordering


def _value_of(row: Any, path: str) -> Any:
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def _encode(row: Any, ordering: list[tuple[str, bool]]) -> str:
    values = [_value_of(row, field) for field, _ in ordering]
    if any(value is None for value in values):
        raise TypeError(f"A keyset list orders by fields that are never null: {ordering}")
    payload = json.dumps(
        {"o": [("-" if d else "") + f for f, d in ordering], "v": values},
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _invalid() -> ValidationError:
    return ValidationError(
        [
            {
                "loc": ("query", "pagination", "cursor"),
                "msg": "This cursor is not one of this list's.",
            }
        ]
    )


def _decode(cursor: str, ordering: list[tuple[str, bool]]) -> list[Any]:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        names, values = payload["o"], payload["v"]
    except (ValueError, binascii.Error, KeyError, TypeError) as error:
        raise _invalid() from error
    expected = [("-" if d else "") + f for f, d in ordering]
    if names != expected or not isinstance(values, list) or len(values) != len(ordering):
        raise _invalid()
    if not all(isinstance(value, str | int) and not isinstance(value, bool) for value in values):
        raise _invalid()
    return values


def _after(queryset: QuerySet, ordering: list[tuple[str, bool]], values: list[Any]) -> QuerySet:
    """The rows after `values` in `ordering`: (a > x) or (a = x and b > y) or …"""
    values = [
        _checked(queryset.model, field, value)
        for (field, _), value in zip(ordering, values, strict=True)
    ]
    condition = Q()
    for i, (field, descending) in enumerate(ordering):
        step = Q(**{f"{field}__{'lt' if descending else 'gt'}": values[i]})
        for j in range(i):
            step &= Q(**{ordering[j][0]: values[j]})
        condition |= step
    return queryset.filter(condition)


def _checked(model: type[Model], path: str, value: Any) -> Any:
    """`value` as the field at `path` holds it; a forged cursor's value that the field would
    not hold (text for a date, a number past the database's integers) is refused."""
    field: Any = None
    for part in path.split("__"):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        model = field.related_model or model
    try:
        typed = field.to_python(value)
    except (DjangoValidationError, ValueError, TypeError) as error:
        raise _invalid() from error
    if isinstance(typed, int) and not -MAX_ID <= typed <= MAX_ID:
        raise _invalid()
    return typed
