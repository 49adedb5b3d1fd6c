"""What "the same journey" means, for skipping what is already in innohub: equal values (10
equals 10.00), in step order, compared by fingerprint."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from innohub.core.imports import cell_text
from innohub.core.units import CENT

from .. import pilot_link
from ..models import Journey, JourneyStep, PainPoint
from .format import LOOKUP_CHUNK
from .step_cells import ParsedStep


def fingerprint(
    *, service_id: int, area_id: int, observed_on: date, method: str, status: str,
    steps: list[ParsedStep], pilot_id: int | None = None, phase: str = "none",
) -> bytes:  # fmt: skip
    """What "the same journey" means: equal values (10 equals 10.00), in step order, counting
    for the same pilot in the same phase."""
    # str(): a choices member's repr is not its value.
    canonical = repr(
        (service_id, area_id, observed_on.isoformat(), str(method), str(status), steps)
        + ((pilot_id, str(phase)) if pilot_id is not None else ())
    )
    return hashlib.blake2b(canonical.encode(), digest_size=16).digest()


def _money_text(value: Any) -> str:
    return str(Decimal(value).quantize(CENT))


def existing_fingerprints(
    by_ref: dict[tuple[int, str], int], by_id: dict[int, int]
) -> dict[int, bytes]:
    """The fingerprint of each journey already in innohub that a file's journey names,
    keyed by the file journey's first line. Three queries per chunk of journeys, values only
    (re-importing a large file is as common as importing it)."""
    found: dict[int, bytes] = {}

    def add(journeys: QuerySet[Journey], line_of: Callable[[int, int, str], int | None]) -> None:
        heads = list(
            journeys.values_list(
                "pk", "service_id", "area_id", "observed_on", "method", "status", "ref"
            )
        )
        if not heads:
            return
        ids = [head[0] for head in heads]
        pains: dict[int, list[tuple[str, str]]] = {}
        for step_id, category, description in (
            PainPoint.objects.filter(journey_step__journey_id__in=ids)
            .order_by("id")
            .values_list("journey_step_id", "category", "description")
        ):
            pains.setdefault(step_id, []).append((category, description))
        steps: dict[int, list[ParsedStep]] = {}
        for values in (
            JourneyStep.objects.filter(journey_id__in=ids)
            .order_by("journey_id", "position", "id")
            .values_list(
                "pk", "journey_id", "title", "office", "actor", "documents", "elapsed_days",
                "citizen_hours", "fees", "travel_cost", "other_cost", "visits",
            )
        ):  # fmt: skip
            step_id, journey_id, title, office, actor, documents = values[:6]
            days, hours, fees, travel, other, visits = values[6:]
            category, text = "", ""
            step_pains = pains.get(step_id, [])
            if len(step_pains) == 1:
                category, text = step_pains[0][0], cell_text(step_pains[0][1])
            elif step_pains:  # several pain points never equal one row's one
                category = "\x1d".join(pain[0] for pain in step_pains)
            steps.setdefault(journey_id, []).append(
                (cell_text(title), cell_text(office), cell_text(actor), documents, _money_text(days),
                 _money_text(hours), _money_text(fees), _money_text(travel),
                 _money_text(other), visits, category, text)
            )  # fmt: skip
        links = pilot_link.read_many(ids)
        for pk, service_id, area_id, observed_on, method, status, ref in heads:
            line = line_of(pk, service_id, ref)
            if line is not None:
                link = links.get(pk, pilot_link.UNLINKED)
                found[line] = fingerprint(
                    service_id=service_id,
                    area_id=area_id,
                    observed_on=observed_on,
                    method=method,
                    status=status,
                    steps=steps.get(pk, []),
                    pilot_id=link.pilot,
                    phase=link.phase,
                )

    refs_by_service: dict[int, list[str]] = {}
    for service_id, ref in by_ref:
        refs_by_service.setdefault(service_id, []).append(ref)
    for service_id, refs in refs_by_service.items():
        for start in range(0, len(refs), LOOKUP_CHUNK):
            add(
                # `ref <> ''` spelled out: PostgreSQL then uses the partial unique index on
                # (service, ref), which it cannot prove applicable from a long IN list.
                Journey.objects.filter(
                    service_id=service_id, ref__in=refs[start : start + LOOKUP_CHUNK]
                ).exclude(ref=""),
                lambda _pk, service, ref: by_ref.get((service, ref)),
            )
    ids = list(by_id)
    for start in range(0, len(ids), LOOKUP_CHUNK):
        add(
            Journey.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK]),
            lambda pk, _service, _ref: by_id.get(pk),
        )
    return found
