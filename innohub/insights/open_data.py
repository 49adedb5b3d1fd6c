"""Open data (docs/api.md, "Insights: open data"): a Frictionless Data Package, streamed as a
ZIP while it is written, never held whole in memory.

- `services.csv`: every service, its organisation, currency and citizens a year.
- `tcv.csv`: one row per service, district and quarter with final journeys — the number of
  journeys and the mean and median days, citizen-hours, cost and visits. A journey counts in
  the district above its area (an area above district level counts under its own code), in
  the quarter of `observed_on`.
- `pilots.csv`: every pilot past draft, with the number of final journeys before and after
  and the reduction in each measure (mean before - mean after).
- `funnel.csv`: one row per ministry with the funnel's figures (roll-ups).
- `findings.csv`, `responses.csv`: what organisations heard in consultations and what they
  did about it (innohub/engagement/open_data.py).

Privacy: no names of people, no usernames, no journey references, no text written by
citizens. A group of fewer than `SUPPRESS_BELOW` journeys keeps its row, but its counts and
figures are left empty and `suppressed` is true (a pilot when either phase is that small).
Funnel counts are not suppressed: they count pilots and staff, not citizens.

Memory: journeys are read in one ordered pass (service, then day) and summarised one
service's quarter at a time; pilots in batches; every CSV row is compressed into the ZIP and
handed to the response as soon as a batch is written.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innohub.core.models import ids_in_path
from innohub.engagement import open_data as engagement_data
from innohub.geo.models import LEVEL_RANK, Area, Level
from innohub.orgs.models import Kind, Organisation
from innohub.pipeline.models import Phase, Pilot, Status
from innohub.pipeline.selectors import phase_sums
from innohub.services.models import Journey, JourneyStatus, Service

from .rollups import currency

SUPPRESS_BELOW = 5
CENT = Decimal("0.01")
PILOT_BATCH = 2000
FLUSH_EVERY = 2000
MEASURES = ("days", "hours", "cost", "visits")
LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
}  # fmt: skip


# --- The package's description ---------------------------------------------------------------


def _f(name: str, kind: str, description: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "description": description, **more}


def _reduction_fields() -> list[dict[str, Any]]:
    what = {
        "days": _("Days the service took: mean before minus mean after (empty when suppressed)."),
        "hours": _(
            "Hours the citizen spent: mean before minus mean after (empty when suppressed)."
        ),
        "cost": _(
            "Money the citizen paid (fees, travel, other), in the service's currency: mean "
            "before minus mean after (empty when suppressed)."
        ),
        "visits": _("Visits to offices: mean before minus mean after (empty when suppressed)."),
    }
    return [_f(f"reduction_{measure}", "number", what[measure]) for measure in MEASURES]


def _tcv_fields() -> list[dict[str, Any]]:
    what = {
        "days": _("days the service took"),
        "hours": _("hours the citizen spent"),
        "cost": _("money the citizen paid (fees, travel, other), in `currency`"),
        "visits": _("visits to offices"),
    }
    fields = []
    for measure in MEASURES:
        fields.append(
            _f(
                f"{measure}_mean",
                "number",
                _("The mean of the journeys' %(what)s (empty when suppressed).")
                % {"what": what[measure]},
            )
        )
        fields.append(
            _f(
                f"{measure}_median",
                "number",
                _("The median of the journeys' %(what)s (empty when suppressed).")
                % {"what": what[measure]},
            )
        )
    return fields


def _funnel_counts() -> list[tuple[str, str]]:
    return [
        ("trained", _("People who completed a training cohort (counted once, where they worked then).")),
        ("ideas", _("Ideas, where their proposer worked when they wrote them.")),
        ("pilots", _("Pilots ongoing, completed or discontinued.")),
        ("ongoing", _("Pilots ongoing.")),
        ("completed", _("Pilots completed.")),
        ("discontinued", _("Pilots discontinued.")),
        ("replicated", _("Pilots with at least one replication.")),
        ("scaled", _("Pilots scaled up nationally.")),
        ("citizens_reached", _("Citizens reached by the scaled-up pilots (their latest figures).")),
        ("other_currency_pilots", _("Pilots budgeted in another currency, left out of budget and spent.")),
    ]  # fmt: skip


FUNNEL_COUNTS = ("trained", "ideas", "pilots", "ongoing", "completed", "discontinued",
                 "replicated", "scaled", "citizens_reached", "other_currency_pilots")  # fmt: skip


def schemas() -> dict[str, list[dict[str, Any]]]:
    """Each resource's fields: name, type and description (the data dictionary)."""
    quarter = {"pattern": r"^\d{4}-Q[1-4]$"}
    return {
        "services": [
            _f("service", "integer", _("The service's id in innohub.")),
            _f("name", "string", _("The service's name.")),
            _f("organisation", "integer", _("The id of the organisation that provides it.")),
            _f("organisation_name", "string", _("The organisation's name.")),
            _f("currency", "string", _("The currency its costs are recorded in (ISO 4217).")),
            _f("annual_volume", "integer", _("Citizens served a year (as recorded).")),
        ],
        "tcv": [
            _f("service", "integer", _("The service's id (services.csv).")),
            _f("service_name", "string", _("The service's name.")),
            _f(
                "area",
                "string",
                _("The district's code (an area above district level: its own code)."),
            ),
            _f(
                "quarter",
                "string",
                _("The quarter the journeys began in, like 2026-Q1."),
                constraints=quarter,
            ),
            _f("n", "integer", _("Final journeys recorded (empty when suppressed).")),
            _f(
                "suppressed",
                "boolean",
                _("True when fewer than %(n)d journeys: the figures are left empty.")
                % {"n": SUPPRESS_BELOW},
            ),
            *_tcv_fields(),
            _f("currency", "string", _("The currency of the costs (ISO 4217).")),
        ],
        "pilots": [
            _f("pilot", "integer", _("The pilot's id in innohub.")),
            _f("title", "string", _("The pilot's title.")),
            _f("status", "string", _("submitted, approved, ongoing, completed or discontinued.")),
            _f("service", "integer", _("The service it changes (services.csv).")),
            _f("service_name", "string", _("The service's name.")),
            _f("area", "string", _("The code of the area it runs in.")),
            _f("area_name", "string", _("The area's name.")),
            _f("organisation", "integer", _("The id of the organisation that runs it.")),
            _f("organisation_name", "string", _("The organisation's name.")),
            _f("started_on", "date", _("The day it started (empty before).")),
            _f("ended_on", "date", _("The day it ended (empty before).")),
            _f("replicates", "integer", _("The pilot it replicates (empty for an original).")),
            _f(
                "baseline_n",
                "integer",
                _("Final journeys measured before the change (empty when suppressed)."),
            ),
            _f(
                "after_n",
                "integer",
                _("Final journeys measured after the change (empty when suppressed)."),
            ),
            _f(
                "suppressed",
                "boolean",
                _("True when either phase has fewer than %(n)d journeys.") % {"n": SUPPRESS_BELOW},
            ),
            *_reduction_fields(),
        ],
        "funnel": [
            _f("organisation", "integer", _("The ministry's id in innohub.")),
            _f("organisation_name", "string", _("The ministry's name.")),
            *[_f(name, "integer", text) for name, text in _funnel_counts()],
            _f("budget", "number", _("The pilots' budget, in `currency`.")),
            _f("spent", "number", _("What the pilots spent, in `currency`.")),
            _f("currency", "string", _("The currency of budget and spent (ISO 4217).")),
        ],
        **engagement_data.schemas(),
    }


def license_of() -> dict[str, str]:
    name = str(getattr(settings, "OPEN_DATA_LICENSE", "") or "CC-BY-4.0")
    title, path = LICENSES.get(name, (name, ""))
    found = {"name": name, "title": title}
    if path:
        found["path"] = path
    return found


def descriptor(made: datetime.datetime) -> dict[str, Any]:
    fields = schemas()
    return {
        "name": "innohub-open-data",
        "title": _("innohub: public services, their burden on citizens, and the innovation pilots"),
        "created": made.isoformat(timespec="seconds"),
        "licenses": [license_of()],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": resource_fields, "missingValues": [""]},
            }
            for name, resource_fields in fields.items()
        ],
    }


# --- The rows ----------------------------------------------------------------------------------


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def service_rows() -> Iterator[list[Any]]:
    rows = Service.objects.order_by("pk").values_list(
        "pk", "name", "organisation_id", "organisation__name", "currency", "annual_volume"
    )
    for row in rows.iterator(chunk_size=2000):
        yield list(row)


class _Districts:
    """Each area's district code (its own code above district level), read once."""

    def __init__(self) -> None:
        areas = {
            pk: (path, level, code)
            for pk, path, level, code in Area.objects.values_list("pk", "path", "level", "code")
        }
        district = LEVEL_RANK[Level.DISTRICT]
        self.code: dict[int, str] = {}
        for pk, (path, level, code) in areas.items():
            if LEVEL_RANK.get(level, 0) <= district:
                self.code[pk] = code
                continue
            found = code
            for ancestor in ids_in_path(path):
                above = areas.get(ancestor)
                if above is not None and above[1] == Level.DISTRICT:
                    found = above[2]
            self.code[pk] = found


def _quarter(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _median(values: list[int]) -> Decimal:
    values.sort()
    middle = len(values) // 2
    if len(values) % 2:
        return Decimal(values[middle]) / 100
    return Decimal(values[middle - 1] + values[middle]) / 200


@dataclass
class _Bucket:
    values: dict[str, list[int]] = field(default_factory=lambda: {m: [] for m in MEASURES})

    def add(self, days: Decimal, hours: Decimal, cost: Decimal, visits: int) -> None:
        self.values["days"].append(int(days * 100))
        self.values["hours"].append(int(hours * 100))
        self.values["cost"].append(int(cost * 100))
        self.values["visits"].append(int(visits) * 100)

    def row(self) -> list[Any]:
        n = len(self.values["days"])
        if n < SUPPRESS_BELOW:
            return ["", "true", *([""] * 2 * len(MEASURES))]
        figures: list[Any] = [n, "false"]
        for measure in MEASURES:
            values = self.values[measure]
            figures.append(_text(Decimal(sum(values)) / 100 / n))
            figures.append(_text(_median(values)))
        return figures


def tcv_rows(until: datetime.datetime) -> Iterator[list[Any]]:
    """One ordered pass over the final journeys recorded until `until`, by service and day:
    a service's quarter at a time is held, by district, then written and dropped."""
    districts = _Districts()
    services = {
        pk: (name, money)
        for pk, name, money in Service.objects.values_list("pk", "name", "currency")
    }
    journeys = (
        Journey.objects.filter(status=JourneyStatus.FINAL, created__lte=until)
        .order_by("service_id", "observed_on", "id")
        .values_list(
            "service_id",
            "observed_on",
            "area_id",
            "tcv_days",
            "tcv_hours",
            "tcv_cost",
            "tcv_visits",
        )
    )
    current: tuple[int, str] | None = None
    buckets: dict[str, _Bucket] = defaultdict(_Bucket)

    def flush(key: tuple[int, str]) -> Iterator[list[Any]]:
        name, money = services.get(key[0], ("", ""))
        for district in sorted(buckets):
            yield [key[0], name, district, key[1], *buckets[district].row(), money]
        buckets.clear()

    for service_id, observed_on, area_id, days, hours, cost, visits in journeys.iterator(
        chunk_size=5000
    ):
        key = (service_id, _quarter(observed_on))
        if key != current:
            if current is not None:
                yield from flush(current)
            current = key
        buckets[districts.code.get(area_id, "")].add(days, hours, cost, visits)
    if current is not None:
        yield from flush(current)


def pilot_rows() -> Iterator[list[Any]]:
    """Every pilot past draft, in batches: one query for the pilots, one for their journeys'
    sums by phase."""
    pilots = (
        Pilot.objects.exclude(status=Status.DRAFT)
        .order_by("pk")
        .values_list(
            "pk", "title", "status", "service_id", "service__name", "area__code", "area__name",
            "organisation_id", "organisation__name", "started_on", "ended_on", "replicates_id",
        )
    )  # fmt: skip
    last = 0
    while True:
        batch = list(pilots.filter(pk__gt=last)[:PILOT_BATCH])
        if not batch:
            return
        last = batch[-1][0]
        phases = phase_sums([row[0] for row in batch])
        for row in batch:
            yield [
                *row[:9],
                _date(row[9]),
                _date(row[10]),
                row[11] or "",
                *_reduction(phases.get(row[0], {})),
            ]


def _date(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def _reduction(phases: dict[str, dict[str, Any]]) -> list[Any]:
    before = phases.get(Phase.BASELINE, {"n": 0})
    after = phases.get(Phase.AFTER, {"n": 0})
    if before["n"] < SUPPRESS_BELOW or after["n"] < SUPPRESS_BELOW:
        return ["", "", "true", *([""] * len(MEASURES))]
    reductions = [
        _text(
            Decimal(before[measure] or 0) / before["n"] - Decimal(after[measure] or 0) / after["n"]
        )
        for measure in MEASURES
    ]
    return [before["n"], after["n"], "false", *reductions]


def funnel_rows() -> Iterator[list[Any]]:
    """One row per ministry: the funnel of its whole tree, from the roll-ups."""
    from . import selectors

    money = currency()
    ministries = Organisation.objects.filter(parent__isnull=True).exclude(
        kind__in=[Kind.INSTITUTE, Kind.PARTNER]
    )
    for ministry in ministries.order_by("name", "pk").iterator(chunk_size=500):
        figures = selectors.funnel(organisation=ministry)
        yield [
            ministry.pk,
            ministry.name,
            *[figures[name] for name in FUNNEL_COUNTS],
            _text(Decimal(figures["budget"])),
            _text(Decimal(figures["spent"])),
            money,
        ]


# --- The ZIP, streamed -----------------------------------------------------------------------


class _Sink(io.RawIOBase):
    """What the ZIP writer writes, kept until the response takes it (not seekable: the ZIP
    writer then puts each member's sizes after its data)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        taken = b"".join(self.parts)
        self.parts.clear()
        return taken


def _member(name: str, made: datetime.datetime) -> zipfile.ZipInfo:
    """A member dated when the package was made (a bare name would say 1 January 1980)."""
    member = zipfile.ZipInfo(name, date_time=made.timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


def _csv_member(
    archive: zipfile.ZipFile, sink: _Sink, member: zipfile.ZipInfo, header: list[str],
    rows: Iterable[list[Any]],
) -> Iterator[bytes]:  # fmt: skip
    with archive.open(member, "w", force_zip64=True) as member_file:
        text = io.TextIOWrapper(member_file, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        for count, row in enumerate(rows, start=1):
            writer.writerow(row)
            if count % FLUSH_EVERY == 0:
                yield sink.take()
        text.flush()
        text.detach()
    yield sink.take()


def package() -> Iterator[bytes]:
    """The data package as ZIP bytes, piece by piece, as it is written."""
    made = timezone.now()
    sink = _Sink()
    with translation.override(settings.LANGUAGE_CODE):  # the package speaks English
        described = descriptor(made)
    headers = {
        resource["name"]: [entry["name"] for entry in resource["schema"]["fields"]]
        for resource in described["resources"]
    }
    rows = {
        "services": service_rows(),
        "tcv": tcv_rows(made),
        "pilots": pilot_rows(),
        "funnel": funnel_rows(),
        "findings": engagement_data.finding_rows(),
        "responses": engagement_data.response_rows(),
    }
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        local = timezone.localtime(made)
        archive.writestr(
            _member("datapackage.json", local),
            json.dumps(described, indent=2, ensure_ascii=False),
        )
        yield sink.take()
        for name, header in headers.items():
            yield from _csv_member(archive, sink, _member(f"{name}.csv", local), header, rows[name])
    yield sink.take()
