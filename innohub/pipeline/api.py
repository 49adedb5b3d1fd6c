"""API router of ideas, pilots and lessons (`/api/v1/ideas`, `/pilots`, `/lessons`); wired
into innohub/api/main.py. The contract is docs/api.md, "Pipeline"."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from innohub.accounts.auth import signed_in
from innohub.accounts.models import Skill
from innohub.accounts.selectors import person_from_ref
from innohub.api.errors import ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref
from innohub.services import selectors as service_selectors
from innohub.services.models import PainPoint, Service

from . import ideas, mentors, pilots, replication, search, selectors
from .models import Idea, Pilot
from .schemas import (
    CandidateOut,
    EventOut,
    IdeaFilters,
    IdeaId,
    IdeaIn,
    IdeaOut,
    ImpactOut,
    LessonFilters,
    LessonIn,
    LessonOut,
    MentorSuggestionOut,
    PilotFilters,
    PilotId,
    PilotIn,
    PilotOut,
    PilotPatch,
    ReplicationIn,
    RiskIn,
    RiskOut,
    SimilarFilters,
    SimilarResults,
    SpendIn,
    SpendOut,
    TransitionIn,
)

router = Router(tags=["pipeline"])
MOVE_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}


# --- References -----------------------------------------------------------------------------


def _service_ref(field: str, value: int | None) -> Service | None:
    if value is None:
        return None
    service = service_selectors.service_with_organisation(value)
    if service is None:
        raise ValidationError({field: _("No service has the id %(id)s.") % {"id": value}})
    return service


def _idea_ref(value: int) -> Idea:
    idea = selectors.idea_detail(value)
    if idea is None:
        raise ValidationError({"idea": _("No idea has the id %(id)s.") % {"id": value}})
    return idea


def _pain_points(ids: list[int]) -> list[PainPoint]:
    found = PainPoint.objects.in_bulk(ids)
    errors = {
        f"pain_points.{index}": _("No pain point has the id %(id)s.") % {"id": pk}
        for index, pk in enumerate(ids)
        if pk not in found
    }
    if errors:
        raise ValidationError(errors)
    return [found[pk] for pk in dict.fromkeys(ids)]


def _skills(ids: list[int]) -> list[Skill]:
    found = Skill.objects.in_bulk(ids)
    errors = {
        f"skills.{index}": _("No skill has the id %(id)s.") % {"id": pk}
        for index, pk in enumerate(ids)
        if pk not in found
    }
    if errors:
        raise ValidationError(errors)
    return [found[pk] for pk in dict.fromkeys(ids)]


def _idea(idea_id: int) -> Idea:
    idea = selectors.idea_detail(idea_id)
    if idea is None:
        raise Http404
    return idea


def _pilot(pilot_id: int) -> Pilot:
    pilot = selectors.pilot_detail(pilot_id)
    if pilot is None:
        raise Http404
    return pilot


# --- Ideas ----------------------------------------------------------------------------------


@router.get("/ideas", response={200: list[IdeaOut], **READ_ERRORS}, summary="List ideas")
@paginate(PageNumber)
def list_ideas(request: HttpRequest, filters: Query[IdeaFilters]) -> Any:
    """Ideas of every organisation, newest first. `q` is full text (Bangla, English,
    French); `organisation` and `area` include everything below them."""
    return selectors.idea_list(
        q=filters.q,
        service=filters.service,
        organisation=filters.organisation,
        area=filters.area,
        proposer=filters.proposer,
    ).prefetch_related("pain_points", "skills")


@router.post("/ideas", response={201: IdeaOut, **WRITE_ERRORS}, summary="Propose an idea")
def create_idea(request: HttpRequest, payload: IdeaIn) -> Any:
    """Any signed-in person; the proposer is the caller. Pain points must be of the idea's
    service."""
    idea = ideas.create_idea(
        by=signed_in(request),
        title=payload.title,
        problem=payload.problem,
        who_suffers=payload.who_suffers,
        proposed_change=payload.proposed_change,
        expected_change=payload.expected_change,
        service=_service_ref("service", payload.service),
        pain_points=_pain_points(payload.pain_points),
        skills=_skills(payload.skills),
    )
    return Status(201, _idea(idea.pk))


@router.get(
    "/ideas/similar",
    response={200: SimilarResults, **READ_ERRORS},
    summary="Ideas and pilots like a text",
)
def similar_ideas(request: HttpRequest, filters: Query[SimilarFilters]) -> Any:
    """Ideas and pilots of every organisation whose words match the text's, best first,
    each scored in (0, 1]. The text may be in Bangla, English or French; empty (or without
    a word to search) or over 2,000 characters is 422."""
    if not search.words(filters.text):
        raise ValidationError({"text": _("Give some words to compare.")})
    matches = search.similar(filters.text, limit=filters.limit)
    titles = {
        "idea": dict(
            Idea.objects.filter(pk__in=[m.id for m in matches if m.kind == "idea"]).values_list(
                "pk", "title"
            )
        ),
        "pilot": dict(
            Pilot.objects.filter(pk__in=[m.id for m in matches if m.kind == "pilot"]).values_list(
                "pk", "title"
            )
        ),
    }
    return {
        "results": [
            {"kind": m.kind, "id": m.id, "title": titles[m.kind][m.id], "score": m.score}
            for m in matches
            if m.id in titles[m.kind]
        ]
    }


@router.get("/ideas/{idea_id}", response={200: IdeaOut, **ONE_ERRORS}, summary="One idea")
def get_idea(request: HttpRequest, idea_id: IdeaId) -> Any:
    return _idea(idea_id)


# --- Pilots ---------------------------------------------------------------------------------


@router.get("/pilots", response={200: list[PilotOut], **READ_ERRORS}, summary="List pilots")
@paginate(PageNumber)
def list_pilots(request: HttpRequest, filters: Query[PilotFilters]) -> Any:
    """Pilots, newest first. `organisation` and `area` include everything below them."""
    return selectors.pilot_list(
        status=filters.status,
        service=filters.service,
        idea=filters.idea,
        organisation=filters.organisation,
        area=filters.area,
        lead=filters.lead,
        mentor=filters.mentor,
        replicates=filters.replicates,
    )


@router.post("/pilots", response={201: PilotOut, **WRITE_ERRORS}, summary="Start a pilot")
def create_pilot(request: HttpRequest, payload: PilotIn) -> Any:
    """A new pilot in `draft`, led by the caller (a programme manager may name the lead).
    The mentor may not be the lead (422)."""
    organisation = organisation_from_ref("organisation", payload.organisation)
    area = resolve_area_filter("area", payload.area)
    assert organisation is not None and area is not None
    pilot = pilots.create_pilot(
        by=signed_in(request),
        title=payload.title,
        idea=_idea_ref(payload.idea),
        service=_service_ref("service", payload.service),
        area=area,
        organisation=organisation,
        lead=person_from_ref("lead", payload.lead),
        mentor=person_from_ref("mentor", payload.mentor),
        budget=payload.budget,
        currency=payload.currency or None,
        budget_code=payload.budget_code,
        annual_volume=payload.annual_volume,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        partner=organisation_from_ref("partner", payload.partner),
    )
    return Status(201, _pilot(pilot.pk))


@router.get("/pilots/{pilot_id}", response={200: PilotOut, **ONE_ERRORS}, summary="One pilot")
def get_pilot(request: HttpRequest, pilot_id: PilotId) -> Any:
    """With `spent` (the sum of its spending) and `budget_code`."""
    return _pilot(pilot_id)


@router.patch(
    "/pilots/{pilot_id}", response={200: PilotOut, **MOVE_ERRORS}, summary="Change a pilot"
)
def patch_pilot(request: HttpRequest, pilot_id: PilotId, payload: PilotPatch) -> Any:
    """The lead or a programme manager: title, budget, budget code, annual volume, mentor
    and dates. Mentor and budget only before the pilot ends (409 after); a budget below
    what is spent is 422."""
    pilot = _pilot(pilot_id)
    fields: dict[str, Any] = {}
    for name in payload.model_fields_set:
        value = getattr(payload, name)
        if name == "mentor":
            value = person_from_ref("mentor", value)
        elif name == "partner":
            value = organisation_from_ref("partner", value)
        elif value is None and name in ("title", "budget", "budget_code", "annual_volume"):
            raise ValidationError({name: _("This field cannot be empty.")})
        fields[name] = value
    pilots.update_pilot(by=signed_in(request), pilot=pilot, **fields)
    return _pilot(pilot_id)


@router.post(
    "/pilots/{pilot_id}/transition",
    response={200: PilotOut, **MOVE_ERRORS},
    summary="Move a pilot to another stage",
)
def transition_pilot(request: HttpRequest, pilot_id: PilotId, payload: TransitionIn) -> Any:
    """draft → submitted (the lead; needs a mentor) → approved or back to draft (an
    approver who neither leads nor mentors it) → ongoing → completed (the lead); approved or
    ongoing → discontinued (the lead or an approver; `note` required). Anything else is
    409."""
    pilots.move(by=signed_in(request), pilot=_pilot(pilot_id), to=payload.to, note=payload.note)
    return _pilot(pilot_id)


@router.get(
    "/pilots/{pilot_id}/events",
    response={200: list[EventOut], **ONE_ERRORS},
    summary="Every move of a pilot",
    by_alias=True,
)
def pilot_events(request: HttpRequest, pilot_id: PilotId) -> Any:
    """Oldest first: from, to, by (a user id), at, note."""
    return [
        {
            "from": event.from_status,
            "to": event.to_status,
            "by": event.by_id,
            "at": event.at,
            "note": event.note,
        }
        for event in selectors.events_of(_pilot(pilot_id))
    ]


@router.get(
    "/pilots/{pilot_id}/impact",
    response={200: ImpactOut, **ONE_ERRORS},
    summary="The pilot's impact on Time, Cost and Visits",
)
def pilot_impact(request: HttpRequest, pilot_id: PilotId) -> Any:
    """Means of the final baseline and after journeys, the reduction (baseline minus after), in
    per cent of the baseline, Welch's 95% interval, and the savings a year for the pilot's
    `annual_volume`."""
    return selectors.impact_of(_pilot(pilot_id))


@router.post(
    "/pilots/{pilot_id}/spend",
    response={201: SpendOut, **MOVE_ERRORS},
    summary="Record spending",
)
def record_spend(request: HttpRequest, pilot_id: PilotId, payload: SpendIn) -> Any:
    """While approved or ongoing (409 otherwise); above the budget is 422 naming `amount`,
    and nothing is recorded."""
    spend = pilots.record_spend(
        by=signed_in(request),
        pilot=_pilot(pilot_id),
        amount=payload.amount,
        spent_on=payload.spent_on,
        note=payload.note,
    )
    return Status(201, spend)


@router.get(
    "/pilots/{pilot_id}/risks",
    response={200: list[RiskOut], **ONE_ERRORS},
    summary="The pilot's risk register",
)
def list_risks(request: HttpRequest, pilot_id: PilotId) -> Any:
    """Highest likelihood times impact first; ties oldest first."""
    return list(selectors.risks_of(_pilot(pilot_id))[:200])


@router.post(
    "/pilots/{pilot_id}/risks", response={201: RiskOut, **WRITE_ERRORS}, summary="Add a risk"
)
def add_risk(request: HttpRequest, pilot_id: PilotId, payload: RiskIn) -> Any:
    """The lead, the mentor or a programme manager."""
    risk = pilots.add_risk(
        by=signed_in(request),
        pilot=_pilot(pilot_id),
        description=payload.description,
        likelihood=payload.likelihood,
        impact=payload.impact,
        exposure=payload.exposure,
        course_correction=payload.course_correction,
    )
    return Status(201, risk)


@router.post(
    "/pilots/{pilot_id}/lessons",
    response={201: LessonOut, **WRITE_ERRORS},
    summary="Add a lesson learned",
)
def add_lesson(request: HttpRequest, pilot_id: PilotId, payload: LessonIn) -> Any:
    """The lead, the mentor, the innovation team, a programme manager."""
    lesson = pilots.add_lesson(by=signed_in(request), pilot=_pilot(pilot_id), text=payload.text)
    return Status(201, lesson)


@router.get("/lessons", response={200: list[LessonOut], **READ_ERRORS}, summary="What we learned")
@paginate(PageNumber)
def list_lessons(request: HttpRequest, filters: Query[LessonFilters]) -> Any:
    """Lessons of every pilot, newest first; `q` full text (Bangla included), `outcome`
    completed or discontinued."""
    return selectors.lessons(q=filters.q, outcome=filters.outcome)


@router.get(
    "/pilots/{pilot_id}/mentor-suggestions",
    response={200: list[MentorSuggestionOut], **ONE_ERRORS},
    summary="People who could mentor the pilot",
)
def mentor_suggestions(request: HttpRequest, pilot_id: PilotId) -> Any:
    """People other than the lead, best first: skills shared with the pilot's idea and lead,
    the same area or organisation, mentors, and fewest pilots mentored now (`load`)."""
    return [
        {
            "user": found.user.pk,
            "name": found.user.name,
            "score": found.score,
            "reasons": found.reasons,
            "load": found.load,
        }
        for found in mentors.suggestions(_pilot(pilot_id))
    ]


@router.post(
    "/pilots/{pilot_id}/replications",
    response={201: PilotOut, **MOVE_ERRORS},
    summary="Replicate a completed pilot in another area",
)
def replicate_pilot(request: HttpRequest, pilot_id: PilotId, payload: ReplicationIn) -> Any:
    """A new draft pilot whose `replicates` is this one: same idea, service, organisation,
    currency and citizens a year, title copied, no mentor, budget 0; in another area (the
    same area is 422); only from a completed pilot (409); its lead, programme managers and
    administrators (403)."""
    area = resolve_area_filter("area", payload.area)
    lead = person_from_ref("lead", payload.lead)
    assert area is not None and lead is not None
    copy = replication.replicate(
        by=signed_in(request), original=_pilot(pilot_id), area=area, lead=lead
    )
    return Status(201, _pilot(copy.pk))


@router.get(
    "/pilots/{pilot_id}/family",
    response={200: dict[str, Any], **ONE_ERRORS},
    summary="The pilot's family: its original and every replication below it",
)
def pilot_family(request: HttpRequest, pilot_id: PilotId) -> Any:
    """A tree `{id, area, status, replications: [...]}` from the family's original."""
    return replication.family(_pilot(pilot_id))


@router.get(
    "/pilots/{pilot_id}/replication-candidates",
    response={200: list[CandidateOut], **ONE_ERRORS},
    summary="Areas where the burden the pilot eased is still measured",
)
def replication_candidates(request: HttpRequest, pilot_id: PilotId) -> Any:
    """Areas at the pilot area's level, other than those of its family, with final journeys
    of its service that count for no pilot: their number and mean days, visits and cost,
    highest mean visits first, then days."""
    return replication.candidates(_pilot(pilot_id))
