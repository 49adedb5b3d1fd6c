"""API router of Free Agents (`/api/v1/free-agents`, `/challenges`, `/assignments`,
`/talent/…`); wired into innohub/api/main.py. The contract is docs/api.md, "Talent"."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.accounts.selectors import person_from_ref
from innohub.api.errors import CREATE_ERRORS, ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.core.http import found
from innohub.orgs.selectors import organisation_from_ref

from . import matching, planning, selectors, services, workforce
from .models import Application, Assignment, Challenge, FreeAgent
from .schemas import (
    AgentApplicationDecisionIn,
    AgentApplicationFilters,
    AgentApplicationIn,
    AgentApplicationOut,
    AgentCandidateFilters,
    AgentCandidateOut,
    AssessmentStepIn,
    AvailabilityIn,
    ChallengeFilters,
    ChallengeIn,
    ChallengeOut,
    CompleteIn,
    FreeAgentFilters,
    FreeAgentIn,
    FreeAgentOut,
    MatchOut,
    OfferDeclineIn,
    OfferIn,
    PathId,
    PlanIn,
    PlanOut,
    StartIn,
    TalentAssignmentFilters,
    TalentAssignmentOut,
    WorkforceOut,
)

router = Router(tags=["talent"])
ACTION_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}


def _allowed(user: User, permission: str, obj: Any = None) -> None:
    if not user.has_perm(permission, obj):
        raise PermissionDenied


# --- Free agents and applications -----------------------------------------------------------


@router.get(
    "/free-agents", response={200: list[FreeAgentOut], **READ_ERRORS}, summary="Free agents"
)
@paginate(PageNumber)
def list_free_agents(request: HttpRequest, filters: Query[FreeAgentFilters]) -> Any:
    """Programme managers, administrators and whoever may post a challenge read every agent;
    anyone else their own (an empty list when they are not one)."""
    user = signed_in(request)
    return selectors.agents_for(user, status=filters.status, available_by=filters.available_by)


@router.post(
    "/free-agents",
    response={201: FreeAgentOut, **CREATE_ERRORS, 409: ErrorOut},
    summary="Make a free agent",
)
def create_free_agent(request: HttpRequest, payload: FreeAgentIn) -> Any:
    """Programme managers and administrators make a person a free agent without an
    application (`available`)."""
    user = signed_in(request)
    _allowed(user, "talent.add_freeagent")
    person = person_from_ref("user", payload.user)
    assert person is not None
    return Status(
        201, services.make_agent(by=user, person=person, available_from=payload.available_from)
    )


def _agent(request: HttpRequest, agent_id: int) -> FreeAgent:
    user = signed_in(request)
    return found(selectors.agents_for(user).filter(pk=agent_id).first())


@router.get(
    "/free-agents/{agent_id}", response={200: FreeAgentOut, **ONE_ERRORS}, summary="One free agent"
)
def get_free_agent(request: HttpRequest, agent_id: PathId) -> Any:
    return _agent(request, agent_id)


@router.put(
    "/free-agents/{agent_id}/availability",
    response={200: FreeAgentOut, **ACTION_ERRORS},
    summary="Change availability",
)
def change_availability(request: HttpRequest, agent_id: PathId, payload: AvailabilityIn) -> Any:
    """The agent themself, programme managers and administrators."""
    agent = _agent(request, agent_id)
    return services.set_availability(
        by=signed_in(request), agent=agent, available_from=payload.available_from
    )


@router.post(
    "/free-agents/{agent_id}/withdraw",
    response={200: FreeAgentOut, **ACTION_ERRORS},
    summary="Withdraw",
)
def withdraw_free_agent(request: HttpRequest, agent_id: PathId) -> Any:
    """The agent leaves the programme (their offers waiting are declined); 409 while on a
    challenge."""
    agent = _agent(request, agent_id)
    return services.withdraw(by=signed_in(request), agent=agent)


@router.get(
    "/free-agents/{agent_id}/challenges",
    response={200: list[MatchOut], **WRITE_ERRORS},
    summary="Challenges for an agent",
)
def challenges_for_agent(request: HttpRequest, agent_id: PathId) -> Any:
    """Open challenges the agent matches (starting after today and on or after their
    availability, with a seat not yet offered), best match first, at most 50."""
    user = signed_in(request)
    agent = _agent(request, agent_id)
    _allowed(user, "talent.view_freeagent", agent)
    return [
        {
            "challenge": opening.challenge.pk,
            "title": opening.challenge.title,
            "starts_on": opening.challenge.starts_on,
            "match": opening.fit.match,
            "of": opening.fit.of,
            "missing": opening.fit.missing,
        }
        for opening in matching.challenges_for(agent)
    ]


def _application(request: HttpRequest, application_id: int) -> Application:
    return found(selectors.applications_for(signed_in(request)).filter(pk=application_id).first())


@router.get(
    "/free-agent-applications",
    response={200: list[AgentApplicationOut], **READ_ERRORS},
    summary="Applications to be a free agent",
)
@paginate(PageNumber)
def list_applications(request: HttpRequest, filters: Query[AgentApplicationFilters]) -> Any:
    """Programme managers and administrators read every application, anyone else their own;
    newest first."""
    applications = selectors.applications_for(signed_in(request))
    if filters.status:
        applications = applications.filter(status=filters.status)
    return applications


@router.post(
    "/free-agent-applications",
    response={201: AgentApplicationOut, **CREATE_ERRORS, 409: ErrorOut},
    summary="Apply to be a free agent",
)
def create_application(request: HttpRequest, payload: AgentApplicationIn) -> Any:
    """Anyone signed in who is not a free agent and has no application being assessed."""
    made = services.apply(
        person=signed_in(request),
        statement=payload.statement,
        available_from=payload.available_from,
    )
    return Status(201, _application(request, made.pk))


@router.get(
    "/free-agent-applications/{application_id}",
    response={200: AgentApplicationOut, **ONE_ERRORS},
    summary="One application",
)
def get_application(request: HttpRequest, application_id: PathId) -> Any:
    return _application(request, application_id)


@router.post(
    "/free-agent-applications/{application_id}/steps",
    response={201: AgentApplicationOut, **ACTION_ERRORS},
    summary="Record an assessment step",
)
def record_step(request: HttpRequest, application_id: PathId, payload: AssessmentStepIn) -> Any:
    """Programme managers and administrators; the same kind again replaces it."""
    user = signed_in(request)
    application = _application(request, application_id)
    services.record_step(
        by=user,
        application=application,
        kind=payload.kind,
        outcome=payload.outcome,
        note=payload.note,
        done_on=payload.done_on,
    )
    return Status(201, _application(request, application_id))


@router.post(
    "/free-agent-applications/{application_id}/decision",
    response={200: AgentApplicationOut, **ACTION_ERRORS},
    summary="Decide an application",
)
def decide_application(
    request: HttpRequest, application_id: PathId, payload: AgentApplicationDecisionIn
) -> Any:
    """Accepting (409 unless at least one step was recorded and all passed) makes the
    person a free agent; declining needs a `note` the person reads."""
    application = _application(request, application_id)
    services.decide_application(
        by=signed_in(request), application=application, accept=payload.accept, note=payload.note
    )
    return _application(request, application_id)


# --- Challenges -------------------------------------------------------------------------------


def _challenge(challenge_id: int) -> Challenge:
    return found(selectors.challenges().filter(pk=challenge_id).first())


@router.get("/challenges", response={200: list[ChallengeOut], **READ_ERRORS}, summary="Challenges")
@paginate(PageNumber)
def list_challenges(request: HttpRequest, filters: Query[ChallengeFilters]) -> Any:
    """Every challenge, the soonest to start first; `organisation` includes everything below."""
    signed_in(request)
    return selectors.challenges(
        organisation=organisation_from_ref("organisation", filters.organisation),
        open_only=bool(filters.open),
        skill=filters.skill,
    )


@router.post(
    "/challenges", response={201: ChallengeOut, **CREATE_ERRORS}, summary="Post a challenge"
)
def create_challenge(request: HttpRequest, payload: ChallengeIn) -> Any:
    """Programme managers, administrators, and members of an innovation team of the host
    organisation or above it (403 otherwise)."""
    organisation = organisation_from_ref("organisation", payload.organisation)
    assert organisation is not None
    made = services.post_challenge(
        by=signed_in(request), organisation=organisation, **_challenge_fields(payload)
    )
    return Status(201, _challenge(made.pk))


def _challenge_fields(payload: ChallengeIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "problem": payload.problem,
        "skills": [(need.skill, need.level) for need in payload.skills],
        "seats": payload.seats,
        "starts_on": payload.starts_on,
        "weeks": payload.weeks,
        "location": payload.location,
        "remote": payload.remote,
        "cost_recovery": payload.cost_recovery,
        "currency": payload.currency,
    }


@router.get(
    "/challenges/{challenge_id}",
    response={200: ChallengeOut, **ONE_ERRORS},
    summary="One challenge",
)
def get_challenge(request: HttpRequest, challenge_id: PathId) -> Any:
    signed_in(request)
    return _challenge(challenge_id)


@router.put(
    "/challenges/{challenge_id}",
    response={200: ChallengeOut, **ACTION_ERRORS},
    summary="Change a challenge",
)
def change_challenge(request: HttpRequest, challenge_id: PathId, payload: ChallengeIn) -> Any:
    """Whoever may keep it; the host organisation stays; seats never fewer than those offered
    or taken (422)."""
    challenge = _challenge(challenge_id)
    fields = _challenge_fields(payload)
    if payload.organisation != challenge.organisation_id:
        raise ValidationError({"organisation": _("The host organisation of a challenge stays.")})
    services.change_challenge(by=signed_in(request), challenge=challenge, **fields)
    return _challenge(challenge_id)


@router.get(
    "/challenges/{challenge_id}/candidates",
    response={200: list[AgentCandidateOut], **WRITE_ERRORS},
    summary="Candidates for a challenge",
)
def list_candidates(
    request: HttpRequest, challenge_id: PathId, filters: Query[AgentCandidateFilters]
) -> Any:
    """Free agents available by the start with a match above 0, highest `match` first (then
    the agent's id); `limit` (at most 200) of them, after `(after_match, after_agent)`."""
    user = signed_in(request)
    challenge = _challenge(challenge_id)
    _allowed(user, "talent.view_candidates", challenge)
    after = None
    if filters.after_match is not None and filters.after_agent is not None:
        after = (filters.after_match, filters.after_agent)
    return [
        {
            "agent": candidate.agent.pk,
            "user": candidate.agent.user_id,
            "name": candidate.agent.user.get_full_name() or candidate.agent.user.username,
            "match": candidate.fit.match,
            "of": candidate.fit.of,
            "missing": candidate.fit.missing,
            "offer": candidate.offer or None,
        }
        for candidate in matching.candidates(challenge, limit=filters.limit, after=after)
    ]


@router.post(
    "/challenges/{challenge_id}/offers",
    response={201: TalentAssignmentOut, **ACTION_ERRORS},
    summary="Offer a seat",
)
def make_offer(request: HttpRequest, challenge_id: PathId, payload: OfferIn) -> Any:
    """An assignment, `offered`: a seat must be open (409), the agent available by the start
    and not offered this challenge already (409)."""
    challenge = _challenge(challenge_id)
    agent = FreeAgent.objects.filter(pk=payload.agent).first()
    if agent is None:
        raise ValidationError(
            {"agent": _("No free agent has the id %(id)s.") % {"id": payload.agent}}
        )
    return Status(201, services.offer(by=signed_in(request), challenge=challenge, agent=agent))


# --- Assignments ------------------------------------------------------------------------------


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    return found(selectors.assignments_for(signed_in(request)).filter(pk=assignment_id).first())


@router.get(
    "/assignments", response={200: list[TalentAssignmentOut], **READ_ERRORS}, summary="Assignments"
)
@paginate(PageNumber)
def list_assignments(request: HttpRequest, filters: Query[TalentAssignmentFilters]) -> Any:
    """Newest first: programme managers and administrators read all; anyone else those offered
    to them and those of the challenges they keep."""
    assignments: QuerySet[Assignment] = selectors.assignments_for(signed_in(request))
    if filters.challenge:
        assignments = assignments.filter(challenge_id=filters.challenge)
    if filters.agent:
        assignments = assignments.filter(agent_id=filters.agent)
    if filters.status:
        assignments = assignments.filter(status=filters.status)
    return assignments


@router.get(
    "/assignments/{assignment_id}",
    response={200: TalentAssignmentOut, **ONE_ERRORS},
    summary="One assignment",
)
def get_assignment(request: HttpRequest, assignment_id: PathId) -> Any:
    return _assignment(request, assignment_id)


@router.post(
    "/assignments/{assignment_id}/accept",
    response={200: TalentAssignmentOut, **ACTION_ERRORS},
    summary="Accept an offer",
)
def accept_offer(request: HttpRequest, assignment_id: PathId) -> Any:
    """The agent: their other offers waiting are declined."""
    return services.accept(by=signed_in(request), assignment=_assignment(request, assignment_id))


@router.post(
    "/assignments/{assignment_id}/decline",
    response={200: TalentAssignmentOut, **ACTION_ERRORS},
    summary="Decline an offer",
)
def decline_offer(request: HttpRequest, assignment_id: PathId, payload: OfferDeclineIn) -> Any:
    return services.decline(
        by=signed_in(request), assignment=_assignment(request, assignment_id), reason=payload.reason
    )


@router.post(
    "/assignments/{assignment_id}/start",
    response={200: TalentAssignmentOut, **ACTION_ERRORS},
    summary="Start",
)
def start_assignment(request: HttpRequest, assignment_id: PathId, payload: StartIn) -> Any:
    """The host: accepted → active."""
    return services.start(
        by=signed_in(request),
        assignment=_assignment(request, assignment_id),
        started_on=payload.started_on,
    )


@router.post(
    "/assignments/{assignment_id}/complete",
    response={200: TalentAssignmentOut, **ACTION_ERRORS},
    summary="Complete with a review",
)
def complete_assignment(request: HttpRequest, assignment_id: PathId, payload: CompleteIn) -> Any:
    """The host closes an active assignment with a review; each skill it names becomes
    evidence on the agent's skills (and raises a lower level). The agent is available again
    from the next day."""
    return services.complete(
        by=signed_in(request),
        assignment=_assignment(request, assignment_id),
        review=payload.review,
        shown=[services.Shown(item.skill, item.level, item.evidence) for item in payload.skills],
        completed_on=payload.completed_on,
    )


# --- The programme ----------------------------------------------------------------------------


@router.post("/talent/plan", response={200: PlanOut, **CREATE_ERRORS}, summary="The best plan")
def make_plan(request: HttpRequest, payload: PlanIn) -> Any:
    """Programme managers and administrators: the assignment of free agents (available, no
    offer waiting) to the challenges named (or every open one) with the largest total match;
    each agent at most one challenge, each challenge at most its open seats, agents available
    by its start, no match 0. Advice: nothing is written."""
    _allowed(signed_in(request), "talent.make_plan")
    plan = planning.make_plan(payload.challenges)
    return {
        "assignments": [
            {"challenge": p.challenge, "agent": p.agent, "match": p.match} for p in plan.placements
        ],
        "total_match": plan.total_match,
    }


@router.get(
    "/talent/workforce", response={200: WorkforceOut, **CREATE_ERRORS}, summary="Workforce figures"
)
def get_workforce(request: HttpRequest) -> Any:
    """The latest count (daily, by the worker): groups of fewer than 5 people are null with
    `suppressed: true`."""
    _allowed(signed_in(request), "talent.view_workforce")
    snapshot = workforce.latest()
    return {
        "counted_at": snapshot.made_at if snapshot else None,
        "figures": snapshot.figures if snapshot else None,
    }
