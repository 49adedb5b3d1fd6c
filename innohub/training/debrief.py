"""The secret-shopper debrief (DOMAIN.md, "The journey" 2): each assignment of a cohort with
the journeys its participant observed of that service during the cohort, their pain points,
and what the cohort found of each service's TCV.

A journey counts for an assignment when its observer is the participant, its service the
assigned one, and it was observed from the cohort's first day to its last, both included
(docs/api.md, "Training"). Drafts are listed, marked as such; the findings count published
(final) journeys only, as every TCV figure does. Staged journeys (an import not yet
published) are never seen. Three queries, whatever the number of participants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from innohub.services import tcv, totals
from innohub.services.models import Journey, JourneyStatus, PainPoint, Service

from .models import Assignment, Cohort

# A cohort's journeys read for its debrief: far more than a course observes (fifty people,
# a few journeys each); past it the debrief says it shows the first ones only.
JOURNEYS_MAX = 2_000


@dataclass(frozen=True)
class Observed:
    """One journey of an assignment, with its pain points (category label, description)."""

    journey: Journey
    pain_points: list[PainPoint]

    @property
    def final(self) -> bool:
        return self.journey.status == JourneyStatus.FINAL


@dataclass(frozen=True)
class AssignmentJourneys:
    assignment: Assignment
    journeys: list[Observed]


@dataclass(frozen=True)
class Finding:
    """What the cohort's published journeys of a service say: how many, and their mean
    days, cost (in the service's currency) and visits, to the hundredth (`tcv.summarise`);
    the means are None without a published journey."""

    service: Service
    n: int
    mean_days: Decimal | None
    mean_cost: Decimal | None
    mean_visits: Decimal | None


@dataclass(frozen=True)
class Debrief:
    assignments: list[AssignmentJourneys]
    findings: list[Finding]
    # True when the cohort's journeys passed JOURNEYS_MAX and only the first were read.
    cut: bool = field(default=False)


def debrief(cohort: Cohort) -> Debrief:
    """The cohort's assignments (by participant, then as made), each with its journeys
    (earliest observed first), and a finding per assigned service (by name). Three queries:
    the assignments, their journeys, the journeys' pain points."""
    assignments = list(
        Assignment.objects.filter(cohort=cohort)
        .select_related("participant", "service")
        .order_by(
            "participant__first_name", "participant__last_name", "participant__username", "id"
        )
    )
    if not assignments:
        return Debrief(assignments=[], findings=[])
    wanted = {(a.participant_id, a.service_id) for a in assignments}
    # One query over the participants' journeys of the assigned services in the dates; a
    # participant's journey of a service assigned to someone else is dropped below.
    rows = list(
        Journey.objects.filter(
            observer_id__in={person for person, _service in wanted},
            service_id__in={service for _person, service in wanted},
            observed_on__gte=cohort.starts_on,
            observed_on__lte=cohort.ends_on,
        ).order_by("observed_on", "id")[: JOURNEYS_MAX + 1]
    )
    cut = len(rows) > JOURNEYS_MAX
    journeys = [j for j in rows[:JOURNEYS_MAX] if (j.observer_id, j.service_id) in wanted]
    pains: dict[int, list[PainPoint]] = {journey.pk: [] for journey in journeys}
    if journeys:
        points = (
            PainPoint.objects.filter(journey_step__journey_id__in=list(pains))
            .annotate(journey_pk=F("journey_step__journey_id"))
            .order_by("journey_step__position", "id")
        )
        for point in points:
            pains[point.journey_pk].append(point)
    by_pair: dict[tuple[int, int], list[Observed]] = {pair: [] for pair in wanted}
    for journey in journeys:
        assert journey.observer_id is not None
        by_pair[(journey.observer_id, journey.service_id)].append(
            Observed(journey=journey, pain_points=pains[journey.pk])
        )
    services = {a.service_id: a.service for a in assignments}
    finals: dict[int, list[Journey]] = {pk: [] for pk in services}
    for journey in journeys:
        if journey.status == JourneyStatus.FINAL:
            finals[journey.service_id].append(journey)
    findings = []
    for pk, service in sorted(services.items(), key=lambda item: (item[1].name, item[0])):
        figures = tcv.distribution([totals.stored_tcv(j) for j in finals[pk]])
        findings.append(
            Finding(
                service=service,
                n=figures.n,
                mean_days=figures.days.mean if figures.days else None,
                mean_cost=figures.cost.mean if figures.cost else None,
                mean_visits=figures.visits.mean if figures.visits else None,
            )
        )
    return Debrief(
        assignments=[
            AssignmentJourneys(assignment=a, journeys=by_pair[(a.participant_id, a.service_id)])
            for a in assignments
        ],
        findings=findings,
        cut=cut,
    )
