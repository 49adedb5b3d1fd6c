"""Page-number pagination of the pages' lists, with GOV.UK pagination links.

The API pages its lists with `innohub.api.pagination`; both cap a page at what a person or
a program can use and keep the other query parameters in their links.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50
# From this offset on, a page finds its rows' keys first, then reads only those rows.
DEEP_OFFSET = 1_000


def rows_at(queryset: QuerySet, *, offset: int, size: int) -> list[Any]:
    """`size` rows of an ordered list from `offset`. Deep in a list the database walks
    `offset` rows before the page: it then walks only their keys (an index of the list's
    order holds them), and reads the page's rows with what they join, instead of joining
    every row it skips."""
    if offset < DEEP_OFFSET:
        return list(queryset[offset : offset + size])
    keys = list(queryset.values_list("pk", flat=True)[offset : offset + size])
    return list(queryset.filter(pk__in=keys)) if keys else []


class _KeysFirstPaginator(Paginator):
    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        size = min(self.per_page, max(self.count - offset, 0))
        if isinstance(self.object_list, QuerySet) and offset >= DEEP_OFFSET:
            return Page(rows_at(self.object_list, offset=offset, size=size), number, self)
        return super().page(number)


def paginate(request: HttpRequest, items: QuerySet, *, param: str = "page") -> dict[str, Any]:
    """A page of `items` (50 a page, by `?<param>=N`; a bad number gives the nearest page)
    and the links of a GOV.UK pagination that keep the other query parameters."""
    page = _KeysFirstPaginator(items, PAGE_SIZE).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    return {
        "page": page,
        "items": _page_items(page, url),
        "previous_url": url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url(page.next_page_number()) if page.has_next() else "",
    }


def _page_items(page: Page, url: Any) -> list[dict[str, Any]]:
    """Page numbers around the current one, with the first and last, gaps as ellipses."""
    last = page.paginator.num_pages
    if last <= 1:
        return []
    wanted = {1, last, page.number - 1, page.number, page.number + 1}
    items: list[dict[str, Any]] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number > previous + 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": url(number), "current": number == page.number})
        previous = number
    return items
