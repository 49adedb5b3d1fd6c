"""Pages for browsing areas: thin views over the selectors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from innohub.orgs.selectors import organisations_in_area  # pages may read any app's selectors

from . import selectors
from .forms import AreaFilterForm
from .models import Area

PAGE_SIZE = 50


def paginate(request: HttpRequest, items: QuerySet, *, param: str = "page") -> dict[str, Any]:
    """A page of `items` (50 a page, by `?<param>=N`; a bad number gives the nearest page)
    and the links of a GOV.UK pagination that keep the other query parameters."""
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))

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


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    form = AreaFilterForm(request.GET)
    areas: QuerySet[Area] = Area.objects.none()
    if form.is_valid():
        areas = selectors.area_list(
            level=form.cleaned_data["level"] or None, q=form.cleaned_data["q"] or None
        )
    context = {
        "form": form,
        # An empty unfiltered list means no areas at all: the page then says how to load them.
        "filtered": any(form.data.get(name) for name in form.fields),
        "pager": paginate(request, areas),
    }
    return render(request, "geo/area_list.html", context)


@login_required
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("parent"), pk=pk)
    context = {
        "area": area,
        "ancestors": selectors.area_ancestors(area),
        "children": paginate(request, selectors.area_children(area), param="areas_page"),
        "organisations": paginate(request, organisations_in_area(area), param="organisations_page"),
    }
    return render(request, "geo/area_detail.html", context)
