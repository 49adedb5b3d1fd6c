"""The national dashboard: the funnel for the nation or below an organisation and an area,
its children one level down (drill-down), and the last twelve months — each a chart with
its table, read from the roll-ups through `selectors.py`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .forms import PlaceForm

STEPS = [
    ("trained", _("Trained")),
    ("ideas", _("Ideas")),
    ("pilots", _("Pilots")),
    ("completed", _("Completed pilots")),
    ("replicated", _("Replicated")),
    ("scaled", _("Scaled up")),
]
MONTHS = 12


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.GET or None)
    place: dict[str, Any] = {"organisation": None, "area": None}
    if form.is_bound and form.is_valid():
        place = {
            "organisation": form.cleaned_data["organisation"],
            "area": form.cleaned_data["area"],
        }
    funnel = selectors.funnel(**place)
    end = timezone.localdate().replace(day=1)
    start = selectors.months_back(end, MONTHS)
    months = selectors.monthly(start=start, end=end, **place)
    context = {
        "form": form,
        "place": place,
        "funnel": funnel,
        "steps": [(key, label, funnel[key]) for key, label in STEPS],
        "funnel_chart": {
            "type": "bar",
            "horizontal": True,
            "labels": [str(label) for _key, label in STEPS],
            "values": [funnel[key] for key, _label in STEPS],
            "series": str(_("Count")),
        },
        "months": months,
        "trend_chart": {
            "type": "line",
            "labels": [f"{row['month']:%Y-%m}" for row in months],
            "values": [row["pilots_started"] for row in months],
            "series": str(_("Pilots started")),
        },
        "children": selectors.children(**place),
    }
    return render(request, "insights/dashboard.html", context)
