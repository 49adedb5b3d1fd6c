"""The computed measures of action plans (docs/api.md, "Insights"): for an organisation and
everything below it, the events dated within a window of days. Each measure answers many
windows — the plans of a page, the months of a trend — in one aggregate query (a count
filtered per window), so a page of plans costs one query a measure, not one a plan.

Counting (SETTLED.md): `showcases_held` by their date; `pilots_started` by the day a pilot
moved to ongoing (`started_on` of a pilot past approval); `pilots_completed` by `ended_on`
of a completed pilot; `officers_trained` first completions (`Trained.on`) by the
organisation the person had then; `replications_started` replications created, drafts
included; `citizen_days_saved` Σ over the pilots completed in the window of their
`annual_savings.citizen_days` (`pipeline.impact.annual_saving`, from sums in the database).
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db.models import Count, Q, QuerySet

from innohub.pipeline.impact import annual_saving
from innohub.pipeline.models import Phase, Pilot, Showcase, Status
from innohub.pipeline.selectors import TCV_FIELDS, phase_sums
from innohub.training.models import Trained

from .models import Measure

# Pilots that moved to ongoing at some point (a draft's planned start does not count).
STARTED = (Status.ONGOING, Status.COMPLETED, Status.DISCONTINUED)


@dataclass(frozen=True)
class Window:
    """The organisation (its tree path) and the days, both ends included, of one figure."""

    path: str
    start: datetime.date
    end: datetime.date

    @property
    def empty(self) -> bool:
        return self.end < self.start


def _within(window: Window, organisation: str, date: str) -> Q:
    return Q(
        **{
            f"{organisation}__path__startswith": window.path,
            f"{date}__gte": window.start,
            f"{date}__lte": window.end,
        }
    )


def _counts(
    queryset: QuerySet, windows: Sequence[Window], *, organisation: str, date: str
) -> list[Decimal]:
    live = [(index, _within(w, organisation, date)) for index, w in enumerate(windows)]
    live = [(index, q) for index, q in live if not windows[index].empty]
    if not live:
        return [Decimal(0)] * len(windows)
    sums = queryset.filter(reduce(operator.or_, (q for _i, q in live))).aggregate(
        **{f"w{index}": Count("pk", filter=q) for index, q in live}
    )
    return [Decimal(sums.get(f"w{index}") or 0) for index in range(len(windows))]


def showcases_held(windows: Sequence[Window]) -> list[Decimal]:
    return _counts(Showcase.objects.all(), windows, organisation="organisation", date="held_on")


def pilots_started(windows: Sequence[Window]) -> list[Decimal]:
    return _counts(
        Pilot.objects.filter(status__in=STARTED),
        windows,
        organisation="organisation",
        date="started_on",
    )


def pilots_completed(windows: Sequence[Window]) -> list[Decimal]:
    return _counts(
        Pilot.objects.filter(status=Status.COMPLETED),
        windows,
        organisation="organisation",
        date="ended_on",
    )


def officers_trained(windows: Sequence[Window]) -> list[Decimal]:
    return _counts(Trained.objects.all(), windows, organisation="organisation", date="on")


def replications_started(windows: Sequence[Window]) -> list[Decimal]:
    return _counts(
        Pilot.objects.filter(replicates__isnull=False),
        windows,
        organisation="organisation",
        date="created__date",
    )


def citizen_days_saved(windows: Sequence[Window]) -> list[Decimal]:
    """Σ of the completed pilots' citizen-days saved a year: one query for the pilots of
    every window, one for their journeys' sums by phase."""
    live = [_within(w, "organisation", "ended_on") for w in windows if not w.empty]
    if not live:
        return [Decimal(0)] * len(windows)
    pilots = list(
        Pilot.objects.filter(reduce(operator.or_, live), status=Status.COMPLETED).values_list(
            "pk", "organisation__path", "ended_on", "annual_volume"
        )
    )
    saved = _days_saved({pk: volume for pk, _path, _on, volume in pilots})
    totals = []
    for window in windows:
        total = Decimal(0)
        if not window.empty:
            for pk, path, ended_on, _volume in pilots:
                if (
                    ended_on
                    and path.startswith(window.path)
                    and window.start <= ended_on <= window.end
                ):
                    total += saved.get(pk) or 0
        totals.append(total)
    return totals


def _days_saved(volumes: dict[int, int]) -> dict[int, Decimal | None]:
    return {pk: saved["days"] for pk, saved in savings(volumes).items()}


def savings(volumes: dict[int, int]) -> dict[int, dict[str, Decimal | None]]:
    """Each pilot's saving a year in each measure (`impact`'s `annual_savings`, None where it
    cannot be drawn), from its final journeys' sums by phase: one grouped query."""
    phases = phase_sums(list(volumes))
    found: dict[int, dict[str, Decimal | None]] = {}
    for pk, volume in volumes.items():
        before = phases.get(pk, {}).get(Phase.BASELINE, {})
        after = phases.get(pk, {}).get(Phase.AFTER, {})
        found[pk] = {
            measure: annual_saving(
                (Decimal(before.get(measure) or 0), before.get("n", 0)),
                (Decimal(after.get(measure) or 0), after.get("n", 0)),
                annual_volume=volume,
            )
            for measure in TCV_FIELDS
        }
    return found


COMPUTED: dict[str, Callable[[Sequence[Window]], list[Decimal]]] = {
    Measure.SHOWCASES_HELD: showcases_held,
    Measure.PILOTS_STARTED: pilots_started,
    Measure.PILOTS_COMPLETED: pilots_completed,
    Measure.OFFICERS_TRAINED: officers_trained,
    Measure.REPLICATIONS_STARTED: replications_started,
    Measure.CITIZEN_DAYS_SAVED: citizen_days_saved,
}


def figures(wanted: dict[str, list[Window]]) -> dict[str, list[Decimal]]:
    """Each computed measure's figure for each of its windows (one or two queries a measure
    asked for, whatever the number of windows)."""
    return {measure: COMPUTED[measure](windows) for measure, windows in wanted.items() if windows}
