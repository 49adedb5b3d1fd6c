"""Demo of Pipeline II, made through the pipeline's own functions: the completed land pilot
replicated two levels deep, a pilot of an earlier year taken to the whole country with the
citizens it reached month by month, two rounds of the innovation fund (one decided, one
taking proposals now) and a showcase with its scores."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from innohub.accounts.models import User
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.pipeline import funding, ideas, pilots, replication, scaling, showcases
from innohub.pipeline.models import FundingCall, Idea, Pilot, Status
from innohub.services.models import Service

from .seed_pipeline import IDEAS, JOURNEYS_PER_PHASE, advance

if TYPE_CHECKING:
    from .seed import Seeder

ROUND_7 = "Service Innovation Fund, round 7"
ROUND_8 = "Service Innovation Fund, round 8"

# The scaled pilot ran a year before the others.
EARLY_START, EARLY_END = datetime.date(2025, 1, 15), datetime.date(2025, 7, 31)
SCALED_ON = datetime.date(2025, 10, 15)
# Citizens reached, a figure on the 15th of each month from the decision on.
REACH = [
    120_000, 310_000, 540_000, 800_000, 1_050_000, 1_320_000, 1_600_000,
    1_870_000, 2_150_000, 2_420_000, 2_700_000, 2_950_000, 3_180_000, 3_400_000,
]  # fmt: skip


def _user(username: str) -> User:
    return User.objects.get(username=username)


def seed_fund(seeder: Seeder) -> None:
    rng = seeder.rng
    draws = [
        [(rng.uniform(0.75, 1.3), rng.random()) for _ in range(2 * JOURNEYS_PER_PHASE)]
        for _ in range(2)
    ]
    if FundingCall.objects.filter(title=ROUND_7).exists():
        return
    original = Pilot.objects.get(title=IDEAS[0][0], replicates__isnull=True)
    scaled = _scaled_pilot(draws[0])
    _replications(original, draws[1])
    _funding_rounds()
    _showcase(original, scaled)


def _replications(original: Pilot, draws: list) -> None:
    """The land pilot tried in Kaliakair (completed, measured), then from there in Kapasia
    (approved); and in Patiya (a draft waiting for its mentor)."""
    manager, mentor = _user("manager"), _user("mentor")
    child = replication.replicate(
        by=original.lead,
        original=original,
        area=Area.objects.get(code="BD-18-KALIAKAIR"),
        lead=_user("cs001"),
    )
    pilots.update_pilot(
        by=child.lead,
        pilot=child,
        mentor=mentor,
        budget=Decimal("300000.00"),
        started_on=datetime.date(2026, 7, 15),
    )
    child = advance(
        Pilot.objects.get(pk=child.pk),
        lead=child.lead,
        approver=manager,
        stage=Status.COMPLETED,
        draws=draws,
        number=101,
        started=datetime.date(2026, 7, 15),
        ended=datetime.date(2026, 10, 31),
    )
    grandchild = replication.replicate(
        by=child.lead, original=child, area=Area.objects.get(code="BD-18-KAPASIA"),
        lead=_user("cs004"),
    )  # fmt: skip
    pilots.update_pilot(
        by=grandchild.lead, pilot=grandchild, mentor=mentor, budget=Decimal("250000.00")
    )
    advance(
        Pilot.objects.get(pk=grandchild.pk),
        lead=grandchild.lead,
        approver=manager,
        stage=Status.APPROVED,
        draws=draws,
        number=102,
    )
    replication.replicate(
        by=manager, original=original, area=Area.objects.get(code="BD-10-PATIYA"),
        lead=_user("cs002"),
    )  # fmt: skip


def _scaled_pilot(draws: list) -> Pilot:
    """Birth registration at the union digital centre: piloted in Dhamrai in 2025, taken to
    the whole country that October, reaching 3.4 million citizens since."""
    service = Service.objects.get(name="Birth registration")
    lead, mentor, manager = _user("cs006"), _user("mentor"), _user("manager")
    idea = ideas.create_idea(
        by=lead,
        title="Birth registration at the union digital centre",
        problem="Parents travel to the union parishad three times and pay an agent to fill "
        "the online form.",
        proposed_change="ইউনিয়ন ডিজিটাল সেন্টারে জন্ম নিবন্ধন",
        service=service,
    )
    area = Area.objects.get(code="BD-13-DHAMRAI")
    office = (
        Organisation.objects.filter(parent=service.organisation, area=area).first()
        or service.organisation
    )
    pilot = pilots.create_pilot(
        by=lead,
        title=idea.title,
        idea=idea,
        area=area,
        organisation=office,
        mentor=mentor,
        budget=Decimal("200000.00"),
        budget_code="A2I-SIF-2025",
        annual_volume=12000,
        started_on=EARLY_START,
    )
    pilot = advance(
        pilot,
        lead=lead,
        approver=manager,
        stage=Status.COMPLETED,
        draws=draws,
        number=201,
        started=EARLY_START,
        ended=EARLY_END,
    )
    reviewer = _user("reviewer")
    scaling.scale_up(
        by=reviewer,
        pilot=pilot,
        decided_on=SCALED_ON,
        citizens_reached=REACH[0],
        note="The Cabinet Division took it to every union digital centre.",
    )
    for month, reached in enumerate(REACH[1:], start=1):
        on = datetime.date(2025 + (9 + month) // 12, (9 + month) % 12 + 1, 15)
        scaling.record_reach(by=reviewer, pilot=pilot, on=on, citizens_reached=reached)
    return pilot


def _funding_rounds() -> None:
    """Round 7 decided (an award that added to a pilot's budget, one declined); round 8
    taking proposals now, with reviews under way and nothing decided yet.

    Proposals are only taken while a call is open, so round 7 is seeded open and then
    given the dates it had."""
    manager = _user("manager")
    a2i = Organisation.objects.get(name="Aspire to Innovate (a2i) Programme")
    today = timezone.localdate()
    round_7 = funding.create_call(
        by=manager,
        title=ROUND_7,
        organisation=a2i,
        budget="5000000",
        currency="BDT",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today,
        criteria="Services that the poorest citizens use most; a change a union centre can run.",
    )
    trade = Pilot.objects.get(title=IDEAS[3][0])
    crop = Idea.objects.get(title=IDEAS[4][0])
    assessors = [_user("reviewer"), _user("trainer"), _user("teamlead")]
    awarded = funding.propose(
        by=trade.lead, call=round_7, idea=trade.idea, pilot=trade, requested="250000",
        summary="Renewal by mobile phone in two more municipalities.",
    )  # fmt: skip
    declined = funding.propose(
        by=crop.proposer, call=round_7, idea=crop, requested="900000",
        summary="A photo line for crop disease advice in every upazila of the district.",
    )  # fmt: skip
    for proposal, marks in ((awarded, [(5, 4, 4, 4), (4, 4, 5, 4), (4, 3, 4, 5)]),
                            (declined, [(3, 2, 3, 2), (2, 3, 2, 2), (3, 2, 2, 3)])):  # fmt: skip
        _reviews(manager, proposal, assessors, marks)
    funding.award(by=manager, proposal=awarded, amount="250000")
    funding.decline(
        by=manager,
        proposal=declined,
        note="Start in one upazila: propose the pilot there to the next round.",
    )
    FundingCall.objects.filter(pk=round_7.pk).update(
        opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 3, 31)
    )
    round_8 = funding.create_call(
        by=manager,
        title=ROUND_8,
        organisation=a2i,
        budget="6000000",
        currency="BDT",
        opens_on=today - datetime.timedelta(days=14),
        closes_on=today + datetime.timedelta(days=60),
        criteria="Replications of completed pilots in other subdistricts, and services for "
        "women and older citizens.",
    )
    birth = Pilot.objects.get(title=IDEAS[1][0])
    vaccination = Idea.objects.get(title=IDEAS[6][0])
    land_form = Idea.objects.get(title=IDEAS[5][0])
    in_review = funding.propose(
        by=birth.lead, call=round_8, idea=birth.idea, pilot=birth, requested="180000",
        summary="জন্ম নিবন্ধন এক দিনে: দুইটি নতুন ইউনিয়নে সম্প্রসারণ।",
    )  # fmt: skip
    _reviews(manager, in_review, assessors[:2], [(5, 4, 5, 4), (4, 4, 4, 3)])
    funding.assign_assessor(by=manager, proposal=in_review, user=assessors[2])
    funding.propose(
        by=vaccination.proposer, call=round_8, idea=vaccination, requested="75000",
        summary="Certificates handed over on vaccination day at three health centres.",
    )  # fmt: skip
    funding.propose(
        by=land_form.proposer, call=round_8, idea=land_form, requested="120000",
        summary="One form instead of four for land records, tried in Keraniganj.",
    )  # fmt: skip


def _reviews(manager: User, proposal, assessors: list[User], marks: list) -> None:
    for assessor, scores in zip(assessors, marks, strict=True):
        funding.assign_assessor(by=manager, proposal=proposal, user=assessor)
        funding.review(
            by=assessor,
            proposal=proposal,
            **dict(zip(funding.CRITERIA, scores, strict=True)),
        )


def _showcase(original: Pilot, scaled: Pilot) -> None:
    """The 2026 showcase of the Cabinet Division: three completed pilots, scored by the
    senior reviewer, a programme manager and the administrator."""
    manager = _user("manager")
    child = Pilot.objects.get(replicates=original, status=Status.COMPLETED)
    showcase = showcases.create_showcase(
        by=manager,
        title="Public service innovation showcase 2026",
        organisation=Organisation.objects.get(name="Cabinet Division"),
        held_on=datetime.date(2026, 11, 20),
        venue="Bangabandhu International Conference Centre, Dhaka",
        pilots=[original, child, scaled],
    )
    scores = {
        original.pk: [(5, 4, 5, 4, "scale"), (5, 4, 4, 4, "replicate"), (4, 4, 5, 5, "scale")],
        child.pk: [(4, 4, 4, 3, "replicate"), (4, 3, 4, 4, "replicate"), (3, 4, 4, 3, "replicate")],
        scaled.pk: [(5, 5, 4, 5, "scale"), (5, 4, 5, 5, "scale")],
    }
    reviewers = [_user("reviewer"), manager, _user("admin")]
    for pilot in (original, child, scaled):
        for reviewer, (impact, cost, replicable, ready, pick) in zip(
            reviewers, scores[pilot.pk], strict=False
        ):
            showcases.score(
                by=reviewer,
                showcase=showcase,
                pilot=pilot,
                recommendation=pick,
                impact=impact,
                cost=cost,
                replicability=replicable,
                readiness=ready,
            )
