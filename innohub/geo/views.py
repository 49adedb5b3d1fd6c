"""Pages for browsing areas: thin views over the selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from innohub.core.pagination import paginate
from innohub.orgs.selectors import organisations_in_area  # pages may read any app's selectors

from . import selectors
from .forms import AreaFilterForm
from .models import Area


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
    area = selectors.area_for_page(pk)
    if area is None:
        raise Http404
    context = {
        "area": area,
        "ancestors": selectors.area_ancestors(area),
        "children": paginate(request, selectors.area_children(area), param="areas_page"),
        "organisations": paginate(request, organisations_in_area(area), param="organisations_page"),
    }
    return render(request, "geo/area_detail.html", context)


@login_required
def area_suggest(request: HttpRequest) -> JsonResponse:
    """Areas for the area pickers of forms (static/js/pickers.js) as someone types: at most
    ten, by code then name. The forms work without it: a code typed in full is enough."""
    found = selectors.area_suggestions(request.GET.get("q", "")[:200])
    return JsonResponse(
        {
            "areas": [
                {
                    "code": area.code,
                    "name": area.name,
                    "name_local": area.name_local,
                    "level": area.get_level_display(),
                }
                for area in found
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )
