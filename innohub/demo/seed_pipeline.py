"""Demo ideas and pilots in every stage, made through the pipeline's own functions (so their
history, search words and totals are what real use makes), with baseline and after journeys
enough for the impact pages to show real intervals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from innohub.accounts.models import Skill, User
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.pipeline import designs, ideas, pilots
from innohub.pipeline.models import Idea, Measurement, Phase, Pilot, Status
from innohub.services import totals
from innohub.services.models import (
    Journey,
    JourneyStatus,
    JourneyStep,
    Method,
    PainPoint,
    ProcessMap,
    Service,
    Variant,
)

from .seed_services import _vary

if TYPE_CHECKING:
    from .seed import Seeder

# Pilots start on this day; baseline journeys are observed before it, after journeys after.
STARTED = datetime.date(2026, 2, 1)
ENDED = datetime.date(2026, 6, 30)
JOURNEYS_PER_PHASE = 14

# (title, title in Bangla, problem, service, proposer, the stage its pilot reached or None,
#  the pilot's area code, citizens a year there, budget)
IDEAS = [
    (
        "Land mutation at the union digital centre",
        "ইউনিয়ন ডিজিটাল সেন্টারে নামজারি",
        "Citizens travel to the upazila land office three or four times, and often pay a "
        "broker to have the file found.",
        "Land mutation (namjari)",
        "officer",
        Status.COMPLETED,
        "BD-13-SAVAR",
        18000,
        "450000.00",
    ),
    (
        "জন্ম নিবন্ধন এক দিনে",
        "জন্ম নিবন্ধন এক দিনে",
        "জন্ম নিবন্ধন সনদের জন্য বাবা-মাকে ইউনিয়ন পরিষদে তিনবার যেতে হয়, প্রতিবার আলাদা কাগজ চাওয়া হয়।",
        "Birth registration",
        "cs001",
        Status.ONGOING,
        "BD-18-KALIAKAIR",
        9000,
        "120000.00",
    ),
    (
        "Pension papers checked once, at the school",
        "স্কুলেই একবারে পেনশনের কাগজ যাচাই",
        "Retired teachers wait months while the same papers go back and forth between offices.",
        "Pension for retired teachers",
        "cs002",
        Status.DISCONTINUED,
        "BD-10-SITAKUNDA",
        1200,
        "80000.00",
    ),
    (
        "Trade licence renewed by mobile phone",
        "মোবাইল ফোনে ট্রেড লাইসেন্স নবায়ন",
        "Shopkeepers close their shop for a day to queue at the municipality for a renewal.",
        "Trade licence",
        "cs003",
        Status.APPROVED,
        "BD-13-DHAMRAI",
        6000,
        "150000.00",
    ),
    (
        "Crop disease advice by photo",
        "ছবি পাঠিয়ে ফসলের রোগের পরামর্শ",
        "Farmers travel to the upazila agriculture office with a sick plant and often find "
        "the officer in the field.",
        "Agricultural advice",
        "cs004",
        Status.SUBMITTED,
        "BD-18-KAPASIA",
        25000,
        "60000.00",
    ),
    (
        "One form for land records",
        "ভূমি রেকর্ডের জন্য একটি ফরম",
        "Four forms ask for the same details about the same plot of land.",
        "Land mutation (namjari)",
        "cs005",
        Status.DRAFT,
        "BD-13-KERANIGANJ",
        15000,
        "0.00",
    ),
    (
        "Birth certificates delivered at vaccination day",
        "টিকা দিবসে জন্ম সনদ বিতরণ",
        "Mothers come to the health centre for vaccination anyway; the certificate could "
        "come with it.",
        "Birth registration",
        "cs006",
        None,
        "",
        0,
        "0.00",
    ),
]

LESSONS = {
    Status.COMPLETED: "Start with the clerks: once they saw fewer crowds at the counter they "
    "asked for the change themselves.",
    Status.DISCONTINUED: "The accounts office could not accept scanned papers under the "
    "current rules; change the rule before piloting the process.",
}
RISKS = [
    (
        "Power cuts stop the union centre's computer",
        4,
        3,
        "Two days a month",
        "A generator shared with the health centre",
    ),
    (
        "Brokers discourage citizens from the new route",
        3,
        4,
        "Some citizens keep paying",
        "Notices at the market and the mosque; a phone line for complaints",
    ),
]


def seed_pipeline(seeder: Seeder) -> None:
    rng = seeder.rng
    # Draw the same numbers whether or not the ideas exist (re-runs add nothing).
    draws = [
        [(rng.uniform(0.75, 1.3), rng.random()) for _ in range(2 * JOURNEYS_PER_PHASE)]
        for _ in IDEAS
    ]
    if Idea.objects.filter(title=IDEAS[0][0]).exists():
        return
    manager = User.objects.get(username="manager")
    mentor = User.objects.get(username="mentor")
    skills = list(Skill.objects.order_by("family__name", "name")[:2])
    for number, (idea_data, d) in enumerate(zip(IDEAS, draws, strict=True), start=1):
        title, title_bn, problem, service_name, proposer_name, stage, code, volume, budget = (
            idea_data
        )
        service = Service.objects.get(name=service_name)
        proposer = User.objects.get(username=proposer_name)
        pain = (
            PainPoint.objects.filter(journey_step__journey__service=service).order_by("id").first()
        )
        idea = ideas.create_idea(
            by=proposer,
            title=title,
            problem=problem,
            who_suffers=title_bn if title_bn != title else "",
            proposed_change=title_bn,
            service=service,
            pain_points=[pain] if pain is not None else [],
            skills=skills,
        )
        ideas.support(by=mentor, idea=idea)
        ideas.support(by=manager, idea=idea)
        if number == 1:
            _design(idea, proposer)
        if stage is None:
            ideas.comment(by=mentor, idea=idea, text="ভালো আইডিয়া — আগে কয়েকজন মায়ের সাথে কথা বলুন।")
            continue
        _pilot(idea, service, proposer, mentor, manager, stage, code, volume, budget, d, number)


def _design(idea: Idea, by: User) -> None:
    """The design workshop's document of the first idea, in Bangla and English."""
    day = STARTED - datetime.timedelta(days=60)
    designs.save_design(
        by=by,
        idea=idea,
        title="ইউনিয়ন ডিজিটাল সেন্টারে নামজারি",
        objectives="Cut a land mutation from four trips to the upazila to one trip to the union "
        "centre, and end the broker's fee.",
        team="Nusrat Jahan — lead\nAnisur Rahman — mentor\nUnion centre entrepreneurs — counter",
        measurement_method="Secret shoppers and citizen interviews at the union centre and the "
        "upazila land office.",
        baseline_journeys=14,
        after_journeys=14,
        baseline_from=day,
        baseline_to=STARTED,
        after_from=STARTED,
        after_to=ENDED,
        activities=[
            designs.ActivityData(
                "Scan the record of rights",
                day,
                day + datetime.timedelta(days=30),
                "Upazila land office",
            ),
            designs.ActivityData(
                "Train the union centres", day + datetime.timedelta(days=31), STARTED, "a2i"
            ),
            designs.ActivityData("Open the counter", STARTED, ENDED, "Union centres"),
        ],
        budget_lines=[
            designs.BudgetLineData("Scanners", Decimal("180000.00"), "Two"),
            designs.BudgetLineData("Training", Decimal("120000.00")),
            designs.BudgetLineData("Notices and a phone line", Decimal("60000.00")),
        ],
        risks=[designs.RiskData(*risk) for risk in RISKS],
    )


def _pilot(
    idea, service, lead, mentor, approver, stage, code, volume, budget, draws, number
) -> Pilot:
    area = Area.objects.get(code=code)
    office = (
        Organisation.objects.filter(parent=service.organisation, area=area).first()
        or service.organisation
    )
    started = stage in (Status.ONGOING, Status.COMPLETED, Status.DISCONTINUED)
    pilot = pilots.create_pilot(
        by=lead,
        title=idea.title,
        idea=idea,
        area=area,
        organisation=office,
        mentor=mentor,
        budget=Decimal(budget),
        budget_code="A2I-SIF-2026" if Decimal(budget) else "",
        annual_volume=volume,
        started_on=STARTED if started or stage == Status.APPROVED else None,
    )
    return advance(pilot, lead=lead, approver=approver, stage=stage, draws=draws, number=number)


def advance(
    pilot: Pilot,
    *,
    lead: User,
    approver: User,
    stage: str,
    draws: list,
    number: int,
    started: datetime.date = STARTED,
    ended: datetime.date = ENDED,
) -> Pilot:
    """Take a draft pilot (with its mentor) to `stage` the way its people would: moves,
    risks, spending, baseline and after journeys, then its end and a lesson."""
    order = [Status.SUBMITTED, Status.APPROVED, Status.ONGOING, Status.COMPLETED]
    path = {
        Status.DRAFT: [],
        Status.SUBMITTED: order[:1],
        Status.APPROVED: order[:2],
        Status.ONGOING: order[:3],
        Status.COMPLETED: order,
        Status.DISCONTINUED: [*order[:3], Status.DISCONTINUED],
    }[Status(stage)]
    ends = [to for to in path if to in (Status.COMPLETED, Status.DISCONTINUED)]
    for to in [to for to in path if to not in ends]:
        by = approver if to == Status.APPROVED else lead
        pilot = pilots.move(by=by, pilot=pilot, to=to)
    if stage != Status.SUBMITTED and path:
        for description, likelihood, impact, exposure, correction in RISKS:
            pilots.add_risk(
                by=lead,
                pilot=pilot,
                description=description,
                likelihood=likelihood,
                impact=impact,
                exposure=exposure,
                course_correction=correction,
            )
    if stage in (Status.ONGOING, Status.COMPLETED, Status.DISCONTINUED):
        for n, share in enumerate(("0.25", "0.15")):
            pilots.record_spend(
                by=lead,
                pilot=pilot,
                amount=(pilot.budget * Decimal(share)).quantize(Decimal("0.01")),
                spent_on=started + datetime.timedelta(days=20 + 30 * n),
                note=("Training the union centre's staff", "Notices and a phone line")[n],
            )
        # The discontinued pilot's after journeys went the old way: no change to show.
        _measure(
            pilot,
            pilot.service,
            pilot.area,
            lead,
            draws,
            number,
            changed=stage != Status.DISCONTINUED,
            started=started,
        )
    for to in ends:  # the end of the story, once its spending and journeys are in
        pilots.update_pilot(by=lead, pilot=pilot, ended_on=ended)
        note = LESSONS[Status.DISCONTINUED] if to == Status.DISCONTINUED else ""
        pilot = pilots.move(by=lead, pilot=pilot, to=to, note=note)
    if stage == Status.COMPLETED:
        pilots.add_lesson(by=lead, pilot=pilot, text=LESSONS[Status.COMPLETED])
    return pilot


def _measure(
    pilot, service, area, observer, draws, number, *, changed: bool, started=STARTED
) -> None:
    """Baseline journeys along the service's existing map, after journeys along its
    simplified (or digital) one, each varied a little, before and after `started`; all
    linked to the pilot."""
    maps = {
        process_map.variant: list(process_map.steps.order_by("position"))
        for process_map in ProcessMap.objects.filter(service=service).prefetch_related("steps")
    }
    after_map = maps[Variant.EXISTING]
    if changed:
        after_map = maps.get(Variant.SIMPLIFIED) or maps.get(Variant.DIGITAL) or after_map
    plan = [(Phase.BASELINE, maps[Variant.EXISTING])] * JOURNEYS_PER_PHASE + [
        (Phase.AFTER, after_map)
    ] * JOURNEYS_PER_PHASE
    journeys = Journey.objects.bulk_create(
        [
            Journey(
                service=service,
                area=area,
                observer=observer,
                ref=f"PILOT-{number}-{phase[0].upper()}{n + 1:02d}",
                observed_on=(
                    started - datetime.timedelta(days=10 + 7 * (n % JOURNEYS_PER_PHASE))
                    if phase == Phase.BASELINE
                    else started + datetime.timedelta(days=10 + 7 * (n % JOURNEYS_PER_PHASE))
                ),
                method=Method.SECRET_SHOPPER,
                status=JourneyStatus.FINAL,
            )
            for n, (phase, _steps) in enumerate(plan)
        ]
    )
    steps = []
    for journey, (_phase, map_steps), (slow, luck) in zip(journeys, plan, draws, strict=True):
        for position, step in enumerate(map_steps):
            fields = {
                name: getattr(step, name)
                for name in ("title", "office", "actor", "documents", "elapsed_days",
                             "citizen_hours", "fees", "travel_cost", "other_cost", "visits")
            }  # fmt: skip
            fields["position"] = position
            fields["elapsed_days"] = _vary(fields["elapsed_days"], slow)
            fields["citizen_hours"] = _vary(fields["citizen_hours"], slow)
            fields["travel_cost"] = _vary(fields["travel_cost"], slow)
            if luck > 0.75 and step.visits:
                fields["visits"] += 1
            steps.append(JourneyStep(journey=journey, **fields))
    JourneyStep.objects.bulk_create(steps)
    totals.repair(journey.pk for journey in journeys)
    totals.bump(service.pk)
    Measurement.objects.bulk_create(
        [
            Measurement(pilot=pilot, journey=journey, phase=phase)
            for journey, (phase, _steps) in zip(journeys, plan, strict=True)
        ]
    )
