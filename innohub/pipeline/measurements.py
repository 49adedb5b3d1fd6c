"""How a journey counts for a pilot: the pipeline's side of `innohub.services.pilot_link`.

A journey is a pilot's baseline or after measurement through one `Measurement` row. The
rules (docs/api.md, SETTLED.md): the journey's service is the pilot's; its area is the
pilot's area or below; where the pilot has a `started_on`, a baseline journey is observed
on or before it and an after journey on or after it; the lead, the mentor, the innovation
team and programme managers (and administrators) link journeys.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from innohub.services.pilot_link import NONE, UNLINKED, Link, PilotFacts

from .models import Measurement, Pilot

if TYPE_CHECKING:
    from innohub.services.models import Journey


class PipelineLinker:
    related_name = "measurement"

    def facts(self, pilot_id: int, *, by: Any) -> PilotFacts | None:
        pilot = Pilot.objects.select_related("area", "organisation").filter(pk=pilot_id).first()
        if pilot is None:
            return None
        return PilotFacts(
            id=pilot.pk,
            service_id=pilot.service_id,
            area_id=pilot.area_id,
            area_path=pilot.area.path,
            started_on=pilot.started_on,
            may_link=bool(by is not None and by.has_perm("pipeline.add_measurement", pilot)),
        )

    def errors(
        self,
        facts: PilotFacts,
        *,
        phase: str,
        service_id: int,
        area_path: str,
        observed_on: datetime.date,
    ) -> dict[str, str]:
        errors: dict[str, str] = {}
        if service_id != facts.service_id:
            errors["service"] = _("Pilot %(id)s changes another service.") % {"id": facts.id}
        if not area_path.startswith(facts.area_path):
            errors["area"] = _(
                "Pilot %(id)s runs elsewhere: the journey's area must be the pilot's area or "
                "within it."
            ) % {"id": facts.id}
        started = facts.started_on
        if started is not None and phase == "baseline" and observed_on > started:
            errors["observed_on"] = _(
                "A baseline journey is observed on or before the day the pilot started, %(day)s."
            ) % {"day": started.isoformat()}
        if started is not None and phase == "after" and observed_on < started:
            errors["observed_on"] = _(
                "An after journey is observed once the pilot has started, on %(day)s or later."
            ) % {"day": started.isoformat()}
        return errors

    def write(self, journey: Journey, link: Link) -> None:
        if link.pilot is None or link.phase == NONE:
            Measurement.objects.filter(journey=journey).delete()
            return
        Measurement.objects.update_or_create(
            journey=journey, defaults={"pilot_id": link.pilot, "phase": link.phase}
        )

    def write_many(self, links: dict[int, Link]) -> None:
        Measurement.objects.bulk_create(
            [
                Measurement(journey_id=journey_id, pilot_id=link.pilot, phase=link.phase)
                for journey_id, link in links.items()
                if link.pilot is not None and link.phase != NONE
            ],
            batch_size=1000,
        )

    def forget(self, journey_ids: list[int]) -> None:
        Measurement.objects.filter(journey_id__in=journey_ids).delete()

    def read(self, journey: Journey) -> Link:
        try:
            measurement = journey.measurement
        except Measurement.DoesNotExist:
            return UNLINKED
        return Link(measurement.pilot_id, measurement.phase)

    def read_many(self, journey_ids: Iterable[int]) -> dict[int, Link]:
        rows = Measurement.objects.filter(journey_id__in=list(journey_ids)).values_list(
            "journey_id", "pilot_id", "phase"
        )
        return {journey_id: Link(pilot_id, phase) for journey_id, pilot_id, phase in rows}

    def filter(
        self, journeys: QuerySet[Journey], *, pilot: int | None, phase: str | None
    ) -> QuerySet[Journey]:
        if pilot is not None:
            journeys = journeys.filter(measurement__pilot_id=pilot)
        if phase == NONE:
            journeys = journeys.filter(measurement__isnull=True)
        elif phase:
            journeys = journeys.filter(measurement__phase=phase)
        return journeys
