"""API router of the national figures (`/stats/funnel`, `/stats/funnel/monthly`); wired into
innohub/api/main.py. The contract is docs/api.md, "Insights"."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from innohub.api.errors import READ_ERRORS
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref

from . import selectors
from .schemas import FunnelMonthOut, MonthlyFilters, NationalFunnelOut, PlaceFilters

router = Router(tags=["insights"])
MONTHS_MAX = 240


def _place(filters: PlaceFilters) -> dict[str, Any]:
    return {
        "organisation": organisation_from_ref("organisation", filters.organisation),
        "area": resolve_area_filter("area", filters.area),
    }


def _first_day(text: str) -> datetime.date:
    return datetime.date(int(text[:4]), int(text[5:7]), 1)


@router.get("/stats/funnel", response={200: NationalFunnelOut, **READ_ERRORS}, summary="The funnel")
def funnel(request: HttpRequest, filters: Query[PlaceFilters]) -> Any:
    """trained → ideas → pilots → replicated → scaled → citizens reached, with budget and
    spending, for the nation or below an organisation and/or an area. Pilots count by their
    own organisation and area, ideas by their proposer's, trained people by theirs when they
    completed."""
    return selectors.funnel(**_place(filters))


@router.get(
    "/stats/funnel/monthly",
    response={200: list[FunnelMonthOut], **READ_ERRORS},
    summary="The funnel, month by month",
)
def monthly(request: HttpRequest, filters: Query[MonthlyFilters]) -> Any:
    """What happened in each month (by the date of each event), months with nothing as
    zeros; at most 240 months."""
    end = _first_day(filters.to) if filters.to else timezone.localdate().replace(day=1)
    start = _first_day(filters.from_) if filters.from_ else selectors.months_back(end, 12)
    if start > end:
        raise ValidationError({"from": _("The first month comes on or before the last.")})
    if len(selectors.months_between(start, end)) > MONTHS_MAX:
        raise ValidationError(
            {"from": _("Ask for at most %(max)s months at a time.") % {"max": MONTHS_MAX}}
        )
    return selectors.monthly(start=start, end=end, **_place(filters))
