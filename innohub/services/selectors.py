"""Reads for services, process maps and journeys, and the TCV figures drawn from them.

TCV itself is computed only by `innohub.services.tcv`; these functions fetch the steps (in as
few queries as possible) and hand them over.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Round, RowNumber
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from innohub.core.imports import cell_text
from innohub.core.models import MAX_ID, ids_in_path
from innohub.geo.models import Area
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.models import Organisation
from innohub.orgs.selectors import organisation_from_ref

from . import pilot_link, tcv
from .models import (
    Channel,
    Journey,
    JourneyExport,
    JourneyImport,
    JourneyStatus,
    JourneyStep,
    MapStep,
    PainPoint,
    ProcessMap,
    Service,
    ServiceChannel,
    Variant,
)
from .tcv import Tcv
from .totals import stored_tcv

# --- Services -------------------------------------------------------------------------------


def _most_first(field: str) -> tuple[Any, ...]:
    # Services without journeys have no figure: last, whatever the database's default.
    return (F(field).desc(nulls_last=True), "name", "id")


# The catalogue's orders: by name, or the largest stored figure first (Service's catalogue
# figures, kept current by `totals.bump`).
CATALOGUE_ORDERS: dict[str, tuple[Any, ...]] = {
    "name": ("name", "id"),
    "days": _most_first("mean_days"),
    "cost": _most_first("mean_cost"),
    "visits": _most_first("mean_visits"),
    "journeys": ("-observed_journeys", "name", "id"),
}


def service_list(
    *,
    organisation: Organisation | str | int | None = None,
    area: Area | str | int | None = None,
    channel: str | None = None,
    q: str | None = None,
    order: str = "name",
) -> QuerySet[Service]:
    """Services with their organisation and channels, by name or, with `order`, the most
    burdensome first (`CATALOGUE_ORDERS`). `organisation` (an id) and `area` (an id or a
    code) include everything below them; `q` matches the name or local name. An unknown
    reference is a ValidationError naming the filter."""
    services = Service.objects.select_related("organisation").prefetch_related("channels")
    if organisation is not None and organisation != "":
        within = (
            organisation
            if isinstance(organisation, Organisation)
            else organisation_from_ref("organisation", organisation)
        )
        assert within is not None
        services = services.filter(organisation__path__startswith=within.path)
    if (within_area := resolve_area_filter("area", area)) is not None:
        services = services.filter(organisation__area__path__startswith=within_area.path)
    if channel:
        if channel not in Channel.values:
            raise ValidationError({"channel": _("Unknown channel.")})
        services = services.filter(channels__channel=channel)
    if q and (text := cell_text(q)):
        services = services.filter(Q(name__icontains=text) | Q(name_local__icontains=text))
    if order not in CATALOGUE_ORDERS:
        raise ValidationError({"order": _("Unknown order.")})
    return services.order_by(*CATALOGUE_ORDERS[order])


def process_maps_of(service: Service) -> QuerySet[ProcessMap]:
    """The service's maps (by variant name; `variant_comparison` gives workshop order), with their steps and pain points prefetched."""
    return (
        ProcessMap.objects.filter(service=service)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=MapStep.objects.order_by("position", "id").prefetch_related("pain_points"),
            )
        )
        .order_by("variant", "id")
    )


# --- Journeys -------------------------------------------------------------------------------


def nearest_wages(areas: Iterable[Area]) -> dict[int, Decimal | None]:
    """The hourly wage of each area — its own, or the nearest one's up the tree, or None — by
    area id; one query for the areas without a wage of their own, none if all have one."""
    found: dict[int, Decimal | None] = {}
    without: list[Area] = []
    for area in areas:
        if area.hourly_wage is not None:
            found[area.pk] = Decimal(area.hourly_wage)
        else:
            without.append(area)
    above = {pk for area in without for pk in ids_in_path(area.path)}
    if above:
        wages = dict(
            Area.objects.filter(pk__in=above, hourly_wage__isnull=False).values_list(
                "pk", "hourly_wage"
            )
        )
        for area in without:
            found[area.pk] = next(
                (wages[pk] for pk in reversed(ids_in_path(area.path)) if pk in wages), None
            )
    return found


class _WithNearestWages(ModelIterable):
    """Journeys, each given `nearest_wage` (its area's hourly wage, from up the tree) in one
    query for the rows fetched: a subquery per row ran for every journey before the page's
    OFFSET (50,000 times for a page deep in a list of 120,000)."""

    def __iter__(self) -> Iterator[Any]:
        journeys = list(super().__iter__())
        wages = nearest_wages({journey.area for journey in journeys})
        for journey in journeys:
            journey.nearest_wage = wages.get(journey.area_id)
            yield journey


def steps_prefetch(model: type[JourneyStep] | type[MapStep] = JourneyStep) -> Prefetch:
    """A journey's or a map's steps in order, each with its pain points in order."""
    return Prefetch(
        "steps",
        queryset=model.objects.order_by("position", "id").prefetch_related(
            Prefetch("pain_points", queryset=PainPoint.objects.order_by("id"))
        ),
    )


def _filtered(
    journeys: QuerySet[Journey],
    *,
    service: Service | int | None = None,
    area: Area | str | int | None = None,
    method: str | None = None,
    status: str | None = None,
    observer: Any = None,
    observed_from: datetime.date | None = None,
    observed_to: datetime.date | None = None,
    source_import: int | None = None,
    pilot: int | None = None,
    phase: str | None = None,
) -> QuerySet[Journey]:
    if service is not None:
        journeys = journeys.filter(service=service)
    if (within := resolve_area_filter("area", area)) is not None:
        journeys = journeys.filter(area__path__startswith=within.path)
    if method:
        journeys = journeys.filter(method=method)
    if status:
        journeys = journeys.filter(status=status)
    if observer is not None:
        journeys = journeys.filter(observer=observer)
    if observed_from is not None:
        journeys = journeys.filter(observed_on__gte=observed_from)
    if observed_to is not None:
        journeys = journeys.filter(observed_on__lte=observed_to)
    if source_import is not None:
        journeys = journeys.filter(source_import=source_import)
    journeys = pilot_link.filtered(journeys, pilot=pilot, phase=phase)
    return journeys.order_by("-observed_on", "-id")


def journey_list(**filters: Any) -> QuerySet[Journey]:
    """Journeys, latest observed first, each with its service, area, observer, steps and pain
    points, and `nearest_wage` (the hourly wage of its area, from up the tree, or None; one
    query for the rows fetched). Filters: `service`, `area` (an id or a code; everything
    below), `method`, `status`, `observer`, `observed_from` and `observed_to` (inclusive),
    `source_import` (the id of the import that wrote them), `pilot` and `phase` (where they
    count, `pilot_link`)."""
    journeys = Journey.objects.select_related(
        "service", "area", "observer", *pilot_link.related()
    ).prefetch_related(steps_prefetch())
    journeys._iterable_class = _WithNearestWages
    return _filtered(journeys, **filters)


def journey_rows(**filters: Any) -> QuerySet[Journey]:
    """Journeys as the pages list them (filters as `journey_list`): each with its service and
    area, and its stored TCV; no steps. One query a page, however many there are."""
    return _filtered(Journey.objects.select_related("service", "area"), **filters)


def service_for_page(service_id: int) -> Service | None:
    """A service as its page and the API show it: with its organisation (and the
    organisation's area) and its channels."""
    return (
        Service.objects.select_related("organisation", "organisation__area")
        .prefetch_related(Prefetch("channels", queryset=ServiceChannel.objects.order_by("channel")))
        .filter(pk=service_id)
        .first()
    )


def service_with_organisation(service_id: int) -> Service | None:
    """A service with its organisation (what deciding who may edit its maps reads)."""
    return Service.objects.select_related("organisation").filter(pk=service_id).first()


def process_map_with_steps(*, service: Service, variant: str) -> ProcessMap | None:
    """The service's map of `variant`, its steps and their pain points in order, or None."""
    return (
        ProcessMap.objects.filter(service=service, variant=variant)
        .prefetch_related(steps_prefetch(MapStep))
        .first()
    )


def journey_with_place(journey_id: int) -> Journey | None:
    """A journey with what deciding who may change it reads: its service's organisation and
    its area (rules.py), and its observer."""
    return (
        Journey.objects.select_related("service", "service__organisation", "area", "observer")
        .filter(pk=journey_id)
        .first()
    )


def journey_with_steps(journey_id: int) -> Journey | None:
    """A journey with its service, area, observer, and its steps and pain points in order."""
    return (
        Journey.objects.select_related("service", "area", "observer")
        .prefetch_related(steps_prefetch())
        .filter(pk=journey_id)
        .first()
    )


def drafts_of(user: Any) -> QuerySet[Journey]:
    """The journeys `user` began and has not finished, latest observed first, each with its
    number of steps (`steps_count`) counted in the page's query, not by loading the steps."""
    return journey_rows(observer=user, status=JourneyStatus.DRAFT).annotate(
        steps_count=Count("steps")
    )


def journey_detail(journey_id: int) -> Journey | None:
    """One journey as `journey_list` gives it, or None."""
    return journey_list().filter(pk=journey_id).first()


def journey_tcv(journey: Journey) -> Tcv:
    """The journey's TCV (as stored with every change to its steps)."""
    return stored_tcv(journey)


def map_tcv(process_map: ProcessMap) -> Tcv:
    """The map's TCV, from its (prefetched) steps."""
    return tcv.tcv_of(process_map.steps.all())


def hourly_wage_for(area: Area) -> Decimal | None:
    """The hourly wage of the area or, where it has none, of the nearest area above that has
    one; None when none has (one query at most)."""
    if area.hourly_wage is not None:
        return Decimal(area.hourly_wage)
    return (
        Area.objects.filter(pk__in=ids_in_path(area.path), hourly_wage__isnull=False)
        .order_by("-depth")
        .values_list("hourly_wage", flat=True)
        .first()
    )


def journey_opportunity_cost(journey: Journey) -> Decimal | None:
    """Hours times the wage of the journey's area (from `journey_list`'s annotation if present)."""
    wage = getattr(journey, "nearest_wage", None)
    if not hasattr(journey, "nearest_wage"):
        wage = hourly_wage_for(journey.area)
    return tcv.opportunity_cost(hours=journey_tcv(journey).hours, hourly_wage=wage)


# --- TCV distributions --------------------------------------------------------------------
#
# From the journeys' stored totals (`totals`), in the database: one query sums, one numbers
# the rows in each measure's order and answers only those at the ranks the median and the
# 90th percentile read (`tcv.ranks`), and `tcv.summary_at` makes the figures. Sums and ranks
# are of whole hundredths (`_hundredths`): exact on both databases (SQLite keeps decimals as
# floating point), and the same to the cent as `tcv.distribution` over the steps.


def _hundredths(name: str) -> Cast:
    return Cast(Round(F(name) * 100), BigIntegerField())


def _nearest_wage_cents(within: Area | None) -> Case | Value:
    """The hourly wage of each journey's area in cents (its own or the nearest above), or
    null: a CASE over the areas with a wage, deepest first, that the list can reach."""
    wages = Area.objects.filter(hourly_wage__isnull=False)
    if within is not None:
        above = Q(pk__in=ids_in_path(within.path))
        wages = wages.filter(above | Q(path__startswith=within.path))
    whens = [
        When(area__path__startswith=path, then=Value(int(Decimal(wage or 0) * 100)))
        for path, wage in wages.order_by("-depth", "path").values_list("path", "hourly_wage")
    ]
    if not whens:
        return Value(None, output_field=BigIntegerField())
    return Case(*whens, default=None, output_field=BigIntegerField())


_MEASURES = ("days", "hours", "cost", "visits", "opportunity_cost")


def _measured(
    journeys: QuerySet[Journey], within: Area | None, *, opportunity: bool = True
) -> QuerySet[Journey]:
    """The journeys with each measure as a whole number: hundredths of days, hours and money,
    visits, and (unless `opportunity` is False) opportunity cost in cents (hours times wage,
    half-up to the cent; null without a wage)."""
    measured = journeys.annotate(
        m_days=_hundredths("tcv_days"),
        m_hours=_hundredths("tcv_hours"),
        m_cost=_hundredths("tcv_cost"),
        m_visits=F("tcv_visits"),
    )
    if not opportunity:
        return measured
    return measured.annotate(
        m_opportunity_cost=ExpressionWrapper(
            (_hundredths("tcv_hours") * _nearest_wage_cents(within) + 50) / 100,
            output_field=BigIntegerField(),
        ),
    )


def _distribution_in_sql(journeys: QuerySet[Journey], within: Area | None) -> tcv.Distribution:
    measured = _measured(journeys.order_by(), within)
    sums = measured.aggregate(
        n=Count("pk"),
        n_opportunity_cost=Count("m_opportunity_cost"),
        **{name: Sum(f"m_{name}") for name in _MEASURES},
    )
    n, n_opportunity = sums["n"], sums["n_opportunity_cost"]
    if not n:
        return tcv.Distribution(
            n=0, days=None, hours=None, cost=None, visits=None, opportunity_cost=None
        )
    counts = {name: n_opportunity if name == "opportunity_cost" else n for name in _MEASURES}
    wanted = {name: tcv.ranks(counts[name]) for name in _MEASURES}
    ranked = measured.annotate(
        **{
            f"r_{name}": Window(RowNumber(), order_by=F(f"m_{name}").asc(nulls_last=True))
            for name in _MEASURES
        }
    )
    near = Q()
    for name in _MEASURES:
        if wanted[name]:
            near |= Q(**{f"r_{name}__in": [rank + 1 for rank in wanted[name]]})
    fields = [f"{prefix}_{name}" for name in _MEASURES for prefix in ("r", "m")]
    at: dict[str, dict[int, Decimal]] = {name: {} for name in _MEASURES}
    for row in ranked.filter(near).values_list(*fields):
        values = dict(zip(fields, row, strict=True))
        for name in _MEASURES:
            rank = values[f"r_{name}"] - 1
            if rank in wanted[name]:
                at[name][rank] = _unit(name, values[f"m_{name}"])

    def summary(name: str) -> tcv.Summary | None:
        if not counts[name]:
            return None
        return tcv.summary_at(counts[name], _unit(name, sums[name]), at[name])

    return tcv.Distribution(
        n=n,
        days=summary("days"),
        hours=summary("hours"),
        cost=summary("cost"),
        visits=summary("visits"),
        opportunity_cost=summary("opportunity_cost"),
    )


def _unit(measure: str, whole: int) -> Decimal:
    """A measure's whole number back in its unit (visits are whole already)."""
    return Decimal(whole) if measure == "visits" else Decimal(whole) / 100


def tcv_distribution(
    *,
    service: Service,
    area: Area | None = None,
    observed_from: datetime.date | None = None,
    observed_to: datetime.date | None = None,
    phase: str | None = None,
) -> tcv.Distribution:
    """n, mean, median and p90 of days, hours, cost, visits (and opportunity cost where the
    areas have a wage) over the service's final journeys, in `area` and below, observed in
    the dates given (inclusive), in a pilot `phase` if given (`none`: counting for no pilot). Computed in the database from the journeys' stored totals
    (four queries, whatever their number), and cached under the service's
    `journeys_version` (bumped by every journey write) for TCV_CACHE_SECONDS."""
    return cast(
        tcv.Distribution,
        _cached_figure(
            "services:tcv",
            service,
            area,
            observed_from,
            observed_to,
            lambda journeys: _distribution_in_sql(journeys, area),
            phase=phase,
        ),
    )


def _cached_figure(
    kind: str,
    service: Service,
    area: Area | None,
    observed_from: datetime.date | None,
    observed_to: datetime.date | None,
    compute: Callable[[QuerySet[Journey]], Any],
    *,
    phase: str | None = None,
) -> Any:
    """A figure of the service's final journeys (in `area` and below, observed in the dates
    given, in a pilot `phase`), computed once per version of its journeys and cached for
    TCV_CACHE_SECONDS."""
    # The version as committed now (the service given may have been read before a write).
    version = Service.objects.filter(pk=service.pk).values_list("journeys_version", flat=True)
    key = ":".join(
        str(part)
        for part in (
            kind,
            service.pk,
            version.first(),
            area.pk if area is not None else "",
            observed_from or "",
            observed_to or "",
            phase or "",
        )
    )
    found = cache.get(key)
    if found is not None:
        return found
    journeys = Journey.objects.filter(service=service, status=JourneyStatus.FINAL)
    if area is not None:
        journeys = journeys.filter(area__path__startswith=area.path)
    if observed_from is not None:
        journeys = journeys.filter(observed_on__gte=observed_from)
    if observed_to is not None:
        journeys = journeys.filter(observed_on__lte=observed_to)
    journeys = pilot_link.filtered(journeys, phase=phase)
    figure = compute(journeys)
    cache.set(key, figure, settings.TCV_CACHE_SECONDS)
    return figure


@dataclass(frozen=True)
class Bin:
    """Journeys whose measure is from `low` (included) to `high` (excluded)."""

    low: Decimal
    high: Decimal
    count: int


# Bins a histogram aims at: few enough to read on a phone.
HISTOGRAM_BINS = 10
HISTOGRAM_MEASURES = ("days", "cost", "visits")


def bin_width(span: int) -> int:
    """A round width (1, 2, 5, 10, 20, 25, 50, 100, …) such that bins of it, from a multiple
    of it, cover a range of `span` in at most HISTOGRAM_BINS + 1 bins."""
    step = 1
    while True:
        widths = (
            (step, 2 * step, 5 * step) if step < 10 else (step, 2 * step, 25 * step // 10, 5 * step)
        )
        for width in widths:
            if width * HISTOGRAM_BINS > span:
                return width
        step *= 10


def tcv_histograms(
    *,
    service: Service,
    area: Area | None = None,
    observed_from: datetime.date | None = None,
    observed_to: datetime.date | None = None,
) -> dict[str, list[Bin]]:
    """How the service's final journeys spread over days, cost and visits: for each, bins of
    one round width from the least to the most, with how many journeys fall in each. From
    the stored totals, in the database (a query for the ranges, one per measure), cached
    like `tcv_distribution`."""
    return cast(
        dict[str, list[Bin]],
        _cached_figure(
            "services:histograms",
            service,
            area,
            observed_from,
            observed_to,
            lambda journeys: _histograms_in_sql(journeys, area),
        ),
    )


def _histograms_in_sql(journeys: QuerySet[Journey], within: Area | None) -> dict[str, list[Bin]]:
    measured = _measured(journeys.order_by(), within, opportunity=False)
    ranges = measured.aggregate(
        **{f"low_{name}": Min(f"m_{name}") for name in HISTOGRAM_MEASURES},
        **{f"high_{name}": Max(f"m_{name}") for name in HISTOGRAM_MEASURES},
    )
    found: dict[str, list[Bin]] = {}
    for name in HISTOGRAM_MEASURES:
        low, high = ranges[f"low_{name}"], ranges[f"high_{name}"]
        if low is None:
            found[name] = []
            continue
        # Widths of whole units: days and money are summed in hundredths, visits are whole.
        unit = 1 if name == "visits" else 100
        width = bin_width((high - low) // unit) * unit
        start = low // width * width
        bucket = ExpressionWrapper(
            (F(f"m_{name}") - Value(start)) / Value(width), output_field=BigIntegerField()
        )
        counts = dict(
            measured.annotate(bucket=bucket)
            .order_by()
            .values("bucket")
            .annotate(n=Count("pk"))
            .values_list("bucket", "n")
        )
        found[name] = [
            Bin(
                low=_unit(name, start + index * width),
                high=_unit(name, start + (index + 1) * width),
                count=counts.get(index, 0),
            )
            for index in range(max(counts) + 1)
        ]
    return found


# --- Comparing variants ---------------------------------------------------------------------


@dataclass(frozen=True)
class VariantRow:
    process_map: ProcessMap
    tcv: Tcv
    # This map minus the existing one (negative: less burden); None for the existing map
    # itself and when the service has no existing map.
    difference: Tcv | None


def _minus(a: Tcv, b: Tcv) -> Tcv:
    return Tcv(
        days=a.days - b.days,
        hours=a.hours - b.hours,
        cost=a.cost - b.cost,
        visits=a.visits - b.visits,
        documents=a.documents - b.documents,
    )


def variant_comparison(*, service: Service) -> list[VariantRow]:
    """Each of the service's maps in workshop order (existing, simplified, digital, piloted)
    with its TCV and its difference to the existing map (three queries)."""
    order = {variant: index for index, variant in enumerate(Variant.values)}
    maps = sorted(process_maps_of(service), key=lambda m: order.get(m.variant, len(order)))
    totals = {m.pk: map_tcv(m) for m in maps}
    existing = next((m for m in maps if m.variant == Variant.EXISTING), None)
    base = totals[existing.pk] if existing is not None else None
    return [
        VariantRow(
            process_map=m,
            tcv=totals[m.pk],
            difference=None if base is None or m is existing else _minus(totals[m.pk], base),
        )
        for m in maps
    ]


# --- Background imports ------------------------------------------------------------------------


def journey_import_for(*, import_id: int, user: Any) -> JourneyImport | None:
    """The background import `import_id` if `user` may follow it (the person who started it,
    and administrators: it names their file), else None, as if it did not exist."""
    # An id beyond the database's integers names nothing (and must not reach the query).
    if not 1 <= import_id <= MAX_ID:
        return None
    job = JourneyImport.objects.filter(pk=import_id).first()
    if job is None or not user.has_perm("services.view_journeyimport", job):
        return None
    return job


def journey_export_for(*, export_id: int, user: Any) -> JourneyExport | None:
    """The export `export_id` if `user` may follow and download it (the person who asked for
    it, and administrators), else None, as if it did not exist."""
    if not 1 <= export_id <= MAX_ID:
        return None
    job = JourneyExport.objects.filter(pk=export_id).first()
    if job is None or not user.has_perm("services.view_journeyexport", job):
        return None
    return job
