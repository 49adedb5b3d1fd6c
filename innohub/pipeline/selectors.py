"""Reads of ideas, pilots and what hangs off them: one function per list or figure, used by
the pages and the API alike. Lists select what their rows show (one query a page) and are
ordered newest first with the id as tie-break, so keyset paging can follow them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref
from innohub.services.models import Journey, JourneyStatus
from innohub.services.tcv import Tcv

from . import origins, search
from .impact import impact
from .models import (
    Assessor,
    FundingCall,
    Idea,
    Lesson,
    Measurement,
    Phase,
    Pilot,
    PilotEvent,
    Presentation,
    ProjectDesign,
    Proposal,
    ProposalStatus,
    Review,
    Risk,
    Showcase,
    ShowcaseScore,
    Status,
)


def idea_list(
    *,
    q: str | None = None,
    service: int | None = None,
    organisation: Any = None,
    area: Any = None,
    proposer: int | None = None,
) -> QuerySet[Idea]:
    """Ideas, newest first, with their proposer and service. `organisation` and `area`
    include everything below; `q` is full text (any of the product's languages)."""
    ideas = Idea.objects.select_related("proposer", "service", *origins.related()).order_by(
        "-created", "-id"
    )
    if service is not None:
        ideas = ideas.filter(service_id=service)
    if proposer is not None:
        ideas = ideas.filter(proposer_id=proposer)
    if (within := organisation_from_ref("organisation", organisation)) is not None:
        ideas = ideas.filter(organisation__path__startswith=within.path)
    if (place := resolve_area_filter("area", area)) is not None:
        ideas = ideas.filter(area__path__startswith=place.path)
    if q:
        ideas = ideas.filter(pk__in=search.matching(search.IDEA, q).values("object_id"))
    return ideas


def idea_detail(pk: int) -> Idea | None:
    return (
        Idea.objects.select_related(
            "proposer", "service", "organisation", "area", *origins.related()
        )
        .prefetch_related("pain_points", "skills")
        .filter(pk=pk)
        .first()
    )


def pilot_list(
    *,
    status: str | None = None,
    service: int | None = None,
    idea: int | None = None,
    organisation: Any = None,
    area: Any = None,
    lead: int | None = None,
    mentor: int | None = None,
    replicates: int | None = None,
    involving: int | None = None,
) -> QuerySet[Pilot]:
    """Pilots, newest first, with what a row shows. `organisation` and `area` include
    everything below them; `involving` is a person who leads or mentors them."""
    pilots = Pilot.objects.select_related("area", "organisation", "service", "lead", "mentor")
    if involving is not None:
        pilots = pilots.filter(Q(lead_id=involving) | Q(mentor_id=involving))
    if status:
        pilots = pilots.filter(status=status)
    if service is not None:
        pilots = pilots.filter(service_id=service)
    if idea is not None:
        pilots = pilots.filter(idea_id=idea)
    if lead is not None:
        pilots = pilots.filter(lead_id=lead)
    if mentor is not None:
        pilots = pilots.filter(mentor_id=mentor)
    if replicates is not None:
        pilots = pilots.filter(replicates_id=replicates)
    if (within := organisation_from_ref("organisation", organisation)) is not None:
        pilots = pilots.filter(organisation__path__startswith=within.path)
    if (place := resolve_area_filter("area", area)) is not None:
        pilots = pilots.filter(area__path__startswith=place.path)
    return pilots.order_by("-created", "-id")


def pilot_detail(pk: int) -> Pilot | None:
    """One pilot with everything its page and the API show beside it."""
    return (
        Pilot.objects.select_related(
            "area", "organisation", "service", "lead", "mentor", "idea", "replicates", "partner"
        )
        .filter(pk=pk)
        .first()
    )


def events_of(pilot: Pilot) -> QuerySet[PilotEvent]:
    """Every move of the pilot, oldest first, with who made it."""
    return pilot.events.select_related("by").order_by("at", "id")


def risks_of(pilot: Pilot) -> QuerySet[Risk]:
    """The risk register, highest likelihood x impact first, then oldest first."""
    return (
        pilot.risks.annotate(score_value=F("likelihood") * F("impact"))
        .select_related("by")
        .order_by("-score_value", "created", "id")
    )


def lessons(*, q: str | None = None, outcome: str | None = None) -> QuerySet[Lesson]:
    """Lessons, newest first, with their pilot; `q` full text, `outcome` the pilot's end
    (completed or discontinued)."""
    found = Lesson.objects.select_related("pilot", "pilot__area", "by").order_by("-created", "-id")
    if outcome:
        found = found.filter(pilot__status=outcome)
    if q:
        found = found.filter(pk__in=search.matching(search.LESSON, q).values("object_id"))
    return found


def phase_totals(pilot: Pilot) -> dict[str, list[Tcv]]:
    """The TCV of each final journey measuring the pilot, by phase (one indexed query, over
    the pilot's measurements)."""
    return phases_of([pilot.pk])[pilot.pk]


def phases_of(pilot_ids: list[int]) -> dict[int, dict[str, list[Tcv]]]:
    """`phase_totals` of several pilots in one query (a family's members side by side)."""
    rows = (
        Journey.objects.filter(measurement__pilot_id__in=pilot_ids, status=JourneyStatus.FINAL)
        .values_list(
            "measurement__pilot_id",
            "measurement__phase",
            "tcv_days",
            "tcv_hours",
            "tcv_cost",
            "tcv_visits",
        )
        .order_by()
    )
    found: dict[int, dict[str, list[Tcv]]] = {
        pk: {Phase.BASELINE: [], Phase.AFTER: []} for pk in pilot_ids
    }
    for pilot_id, phase, days, hours, cost, visits in rows:
        found[pilot_id][phase].append(Tcv(days=days, hours=hours, cost=cost, visits=visits))
    return found


def impact_of(pilot: Pilot) -> dict[str, Any]:
    """`GET /pilots/{id}/impact`: the pilot's impact from its baseline and after journeys."""
    phases = phase_totals(pilot)
    return impact(phases[Phase.BASELINE], phases[Phase.AFTER], annual_volume=pilot.annual_volume)


ACTIVE = (Status.SUBMITTED, Status.APPROVED, Status.ONGOING)


def mentor_load(user_id: int) -> int:
    """Pilots the person mentors that are submitted, approved or ongoing."""
    return Pilot.objects.filter(mentor_id=user_id, status__in=ACTIVE).count()


def measurement_of(journey_id: int) -> Measurement | None:
    return Measurement.objects.filter(journey_id=journey_id).first()


def to_review(user: Any) -> QuerySet[Pilot]:
    """Submitted pilots `user` may approve or return: within the area or organisation of a
    programme manager's profile, of the innovation teams they belong to, or anywhere for an
    administrator — never one they lead or mentor (`rules.approves`, as a query)."""
    from innohub.accounts.models import Profile, TeamMembership
    from innohub.core.roles import is_administrator, is_programme_manager

    submitted = Pilot.objects.filter(status=Status.SUBMITTED).exclude(
        Q(lead_id=user.pk) | Q(mentor_id=user.pk)
    )
    if is_administrator(user):
        return submitted
    places = Q()
    if is_programme_manager(user):
        profile = Profile.objects.filter(user=user).select_related("area", "organisation").first()
        if profile is not None and profile.area is not None:
            places |= Q(area__path__startswith=profile.area.path)
        if profile is not None and profile.organisation is not None:
            places |= Q(organisation__path__startswith=profile.organisation.path)
    for area_path, organisation_path in TeamMembership.objects.filter(user=user).values_list(
        "team__area__path", "team__organisation__path"
    ):
        if area_path:
            places |= Q(area__path__startswith=area_path)
        if organisation_path:
            places |= Q(organisation__path__startswith=organisation_path)
    return submitted.filter(places) if places else submitted.none()


def design_of(idea: Idea) -> ProjectDesign | None:
    """The idea's design with its timeline, budget lines and risks (three more queries)."""
    return (
        ProjectDesign.objects.filter(idea=idea)
        .select_related("by")
        .prefetch_related("activities", "budget_lines", "risks")
        .first()
    )


# --- The innovation fund, showcases, scale-up -----------------------------------------------


def call_list() -> QuerySet[FundingCall]:
    """Funding calls, the latest to open first."""
    return FundingCall.objects.select_related("organisation").order_by("-opens_on", "-id")


def open_calls() -> QuerySet[FundingCall]:
    """Calls taking proposals today, closing soonest first."""
    today = timezone.localdate()
    return FundingCall.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by(
        "closes_on", "id"
    )


def call_detail(pk: int) -> FundingCall | None:
    return FundingCall.objects.select_related("organisation").filter(pk=pk).first()


def ranked_proposals(call: FundingCall, *, status: str | None = None) -> QuerySet[Proposal]:
    """A call's proposals, highest mean score first (unreviewed last, oldest first among
    equals), with their idea and pilot (one query a page)."""
    proposals = Proposal.objects.filter(call=call).select_related("idea", "pilot", "by")
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-rank_score", "id")


def proposal_detail(pk: int) -> Proposal | None:
    return Proposal.objects.select_related("call", "idea", "pilot", "by").filter(pk=pk).first()


def proposals_of_idea(idea: Idea) -> QuerySet[Proposal]:
    """The idea's proposals with their calls, newest first (the stages its proposer follows)."""
    return Proposal.objects.filter(idea=idea).select_related("call").order_by("-created", "-id")


def reviews_of(proposal: Proposal) -> QuerySet[Review]:
    return Review.objects.filter(proposal=proposal).select_related("assessor")


def assessors_of(proposal: Proposal) -> QuerySet[Assessor]:
    return Assessor.objects.filter(proposal=proposal).select_related("user").order_by("created")


def to_assess(user: Any) -> QuerySet[Proposal]:
    """Proposals the person was asked to review and has not yet, undecided, oldest first."""
    return (
        Proposal.objects.filter(
            assignments__user=user, status__in=[ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW]
        )
        .exclude(review_set__assessor=user)
        .select_related("call", "idea")
        .order_by("created", "id")
    )


def showcase_list() -> QuerySet[Showcase]:
    return Showcase.objects.select_related("organisation").order_by("-held_on", "-id")


def showcase_detail(pk: int) -> Showcase | None:
    return Showcase.objects.select_related("organisation").filter(pk=pk).first()


def showcase_results(showcase: Showcase) -> QuerySet[Presentation]:
    """The pilots presented, highest mean total first (unscored last), with their pilot and
    area (one query)."""
    return (
        Presentation.objects.filter(showcase=showcase)
        .select_related("pilot", "pilot__area")
        .order_by(F("mean_total").desc(nulls_last=True), "pilot__title", "id")
    )


def scores_by(user: Any, showcase: Showcase) -> set[int]:
    """The pilots `user` has scored at the showcase."""
    return set(
        ShowcaseScore.objects.filter(
            presentation__showcase=showcase, reviewer_id=getattr(user, "pk", None)
        ).values_list("presentation__pilot_id", flat=True)
    )


# The stored TCV of a journey, by measure (impact.MEASURES).
TCV_FIELDS = {"days": "tcv_days", "hours": "tcv_hours", "cost": "tcv_cost", "visits": "tcv_visits"}


def phase_sums(pilot_ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """For each pilot, each phase's count of final published journeys (`n`) and the sums of
    their TCV by measure — what an average or a saving is drawn from, in one grouped query.
    A pilot or phase with no journey is absent."""
    rows = (
        Measurement.objects.filter(
            pilot_id__in=pilot_ids,
            journey__status=JourneyStatus.FINAL,
            journey__staged_by__isnull=True,
        )
        .values("pilot_id", "phase")
        .annotate(
            n=Count("pk"),
            **{measure: Sum(f"journey__{field}") for measure, field in TCV_FIELDS.items()},
        )
        .order_by()
    )
    found: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        found[row["pilot_id"]][row["phase"]] = dict(row)
    return found
