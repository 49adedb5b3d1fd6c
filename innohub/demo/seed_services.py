"""Demo services, process maps and observed journeys (see services_data.py)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from innohub.accounts.models import User
from innohub.geo.models import Area, Level
from innohub.orgs.models import Organisation
from innohub.services import totals
from innohub.services.models import (
    Journey,
    JourneyStatus,
    JourneyStep,
    MapStep,
    Method,
    PainCategory,
    PainPoint,
    ProcessMap,
    Service,
    ServiceChannel,
    Variant,
)

from .services_data import SERVICES, DemoStep

if TYPE_CHECKING:
    from .seed import Seeder

JOURNEYS_PER_SERVICE = 30
# Journeys are dated in a fixed past year, so the demo is the same whatever today is.
FIRST_DAY = datetime.date(2025, 7, 1)
DAYS = 365
METHODS = (
    [Method.SECRET_SHOPPER] * 3 + [Method.CITIZEN_INTERVIEW] * 2 + [Method.ADMINISTRATIVE_RECORD]
)
PAINS = {
    "documents": (PainCategory.DOCUMENTS, "Asked again for papers already given."),
    "travel": (PainCategory.TRAVEL, "A long trip to the district town, and back the next day."),
    "waiting": (PainCategory.WAITING, "Waited most of the day; the officer was in a meeting."),
    "informal": (PainCategory.INFORMAL_PAYMENT, "Paid a broker to have the file found."),
    "repeat": (PainCategory.REPEAT_VISIT, "Told to come back next week."),
}


def _step_fields(step: DemoStep, position: int) -> dict:
    return {
        "position": position,
        "title": step.title,
        "office": step.office,
        "actor": step.actor,
        "documents": step.documents,
        "elapsed_days": Decimal(step.days),
        "citizen_hours": Decimal(step.hours),
        "fees": Decimal(step.fees),
        "travel_cost": Decimal(step.travel),
        "other_cost": Decimal(step.other),
        "visits": step.visits,
    }


def _vary(value: Decimal, factor: float) -> Decimal:
    return (value * Decimal(str(round(factor, 2)))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def seed_services(seeder: Seeder) -> None:
    rng = seeder.rng
    subdistricts = list(Area.objects.filter(level=Level.SUBDISTRICT).order_by("code"))
    observers = list(User.objects.filter(username__startswith="cs").order_by("username"))
    officer = User.objects.get(username="officer")
    for index, demo in enumerate(SERVICES):
        # Draw the same numbers whether or not the service already exists (re-runs add nothing).
        plan = [
            (
                rng.choice(subdistricts),
                rng.choice(observers),
                FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS)),
                rng.choice(METHODS),
                [
                    (rng.uniform(0.7, 1.6), rng.uniform(0.8, 1.5), rng.random())
                    for _ in demo.existing
                ],
            )
            for _ in range(JOURNEYS_PER_SERVICE)
        ]
        if Service.objects.filter(name=demo.name).exists():
            continue
        department = Organisation.objects.get(name=demo.department)
        service = Service.objects.create(
            name=demo.name,
            name_local=demo.name_bn,
            description=demo.description,
            organisation=department,
            currency="BDT",
            annual_volume=demo.annual_volume,
        )
        ServiceChannel.objects.bulk_create(
            [ServiceChannel(service=service, channel=channel) for channel in demo.channels]
        )
        for variant, steps in (
            (Variant.EXISTING, demo.existing),
            (Variant.SIMPLIFIED, demo.simplified),
            (Variant.DIGITAL, demo.digital),
        ):
            if not steps:
                continue
            process_map = ProcessMap.objects.create(service=service, variant=variant)
            MapStep.objects.bulk_create(
                [
                    MapStep(process_map=process_map, **_step_fields(step, n))
                    for n, step in enumerate(steps)
                ]
            )
        _seed_journeys(service, demo.existing, plan, ref_prefix=f"DEMO-{index + 1}")
        if index == 0:
            _seed_officers_journeys(service, demo.existing, officer, subdistricts[0])


def _seed_journeys(service, existing, plan, *, ref_prefix: str) -> None:
    journeys = Journey.objects.bulk_create(
        [
            Journey(
                service=service,
                area=area,
                observer=observer,
                ref=f"{ref_prefix}-{n + 1:03d}",
                observed_on=observed_on,
                method=method,
                status=JourneyStatus.FINAL,
            )
            for n, (area, observer, observed_on, method, _) in enumerate(plan)
        ]
    )
    steps: list[JourneyStep] = []
    pains: list[tuple[int, str]] = []
    for journey, (_, _, _, _, draws) in zip(journeys, plan, strict=True):
        for position, (step, (slow, dear, luck)) in enumerate(zip(existing, draws, strict=True)):
            fields = _step_fields(step, position)
            fields["elapsed_days"] = _vary(fields["elapsed_days"], slow)
            fields["citizen_hours"] = _vary(fields["citizen_hours"], slow)
            fields["travel_cost"] = _vary(fields["travel_cost"], dear)
            fields["other_cost"] = _vary(fields["other_cost"], dear)
            if luck > 0.8 and step.visits:
                fields["visits"] += 1  # told to come back
            steps.append(JourneyStep(journey=journey, **fields))
            if luck > 0.8:
                pains.append((len(steps) - 1, "repeat" if step.visits else "waiting"))
            elif step.documents > 3 and luck > 0.5:
                pains.append((len(steps) - 1, "documents"))
            elif Decimal(step.travel) > 500 and luck > 0.4:
                pains.append((len(steps) - 1, "travel"))
            elif Decimal(step.other) > 400 and luck < 0.1:
                pains.append((len(steps) - 1, "informal"))
    created = JourneyStep.objects.bulk_create(steps)
    PainPoint.objects.bulk_create(
        [
            PainPoint(journey_step=created[i], category=PAINS[kind][0], description=PAINS[kind][1])
            for i, kind in pains
        ]
    )
    # Written in bulk, past the domain's functions: their stored TCV from the steps, as the
    # importer stores it (ADR 0015).
    totals.repair(journey.pk for journey in journeys)


def _seed_officers_journeys(service, existing, officer, area) -> None:
    """The demo officer's own work: two finished journeys and one still being recorded."""
    for n, status in enumerate((JourneyStatus.FINAL, JourneyStatus.FINAL, JourneyStatus.DRAFT)):
        journey = Journey.objects.create(
            service=service,
            area=area,
            observer=officer,
            ref=f"NJ-SAVAR-{n + 1}",
            observed_on=FIRST_DAY + datetime.timedelta(days=300 + 10 * n),
            method=Method.SECRET_SHOPPER,
            status=status,
        )
        recorded = existing[:1] if status == JourneyStatus.DRAFT else existing
        JourneyStep.objects.bulk_create(
            [
                JourneyStep(journey=journey, **_step_fields(step, p))
                for p, step in enumerate(recorded)
            ]
        )
        totals.store(journey)
