"""Where training leads: of those who completed a cohort (or any cohort of a programme), how
many went on to propose an idea, have a design, lead a pilot, lead a completed pilot
(SETTLED.md, "Counting": the funnel counts people). "Went on" is from the cohort's first day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from innohub.pipeline.models import Idea, Pilot, ProjectDesign, Status

from .models import Cohort, Participant, Programme

STEPS = ("ideas", "designs", "pilots", "completed_pilots")


@dataclass(frozen=True)
class Funnel:
    selected: int
    completed: int
    ideas: int
    designs: int
    pilots: int
    completed_pilots: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _went_on(places: Any) -> dict[str, int]:
    """People among `places` (completed participants) who reached each step: one query."""
    start = OuterRef("cohort__starts_on")
    person = OuterRef("user_id")
    rows = places.annotate(
        ideas=Exists(Idea.objects.filter(proposer_id=person, created__date__gte=start)),
        designs=Exists(
            ProjectDesign.objects.filter(idea__proposer_id=person, created__date__gte=start)
        ),
        pilots=Exists(Pilot.objects.filter(lead_id=person, created__date__gte=start)),
        completed_pilots=Exists(
            Pilot.objects.filter(lead_id=person, created__date__gte=start, status=Status.COMPLETED)
        ),
    ).values_list("user_id", *STEPS)
    reached: dict[str, set[int]] = {step: set() for step in STEPS}
    for user, *flags in rows:
        for step, flag in zip(STEPS, flags, strict=True):
            if flag:
                reached[step].add(user)
    return {step: len(people) for step, people in reached.items()}


def cohort_funnel(cohort: Cohort) -> Funnel:
    done = Participant.objects.filter(cohort=cohort, completed=True)
    return Funnel(
        selected=cohort.selected_count,
        completed=cohort.completed_count,
        **_went_on(done),
    )


def programme_funnel(programme: Programme) -> Funnel:
    """The same over every cohort of the programme, each person counted once."""
    places = Participant.objects.filter(cohort__programme=programme)
    done = places.filter(completed=True)
    return Funnel(
        selected=places.values("user_id").distinct().count(),
        completed=done.values("user_id").distinct().count(),
        **_went_on(done),
    )
