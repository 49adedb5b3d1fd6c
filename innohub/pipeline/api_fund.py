"""API router of the innovation fund, showcases and national scale-up (`/funding-calls`,
`/proposals`, `/showcases`, `/pilots/{id}/scale-up`, `/pilots/{id}/reach`); wired into
innohub/api/main.py. The contract is docs/api.md, "Pipeline"."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from innohub.accounts.auth import signed_in
from innohub.accounts.selectors import person_from_ref
from innohub.api.errors import ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.core.http import found
from innohub.orgs.selectors import organisation_from_ref

from . import funding, scaling, selectors, showcases
from .models import FundingCall, Pilot, Presentation, Proposal, Showcase
from .schemas import PilotId
from .schemas_fund import (
    AssessorIn,
    AwardIn,
    CallId,
    DeclineIn,
    FundingCallIn,
    FundingCallOut,
    PresentIn,
    ProposalFilters,
    ProposalId,
    ProposalIn,
    ProposalOut,
    ReachIn,
    ReachOut,
    ReviewIn,
    ReviewOut,
    ScaleUpIn,
    ScaleUpOut,
    ShowcaseDetailOut,
    ShowcaseId,
    ShowcaseIn,
    ShowcaseOut,
    ShowcaseScoreIn,
    ShowcaseScoreOut,
)

router = Router(tags=["fund, showcases and scale-up"])
DECISION_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}


def _call(pk: int) -> FundingCall:
    return found(selectors.call_detail(pk))


def _proposal(pk: int) -> Proposal:
    return found(selectors.proposal_detail(pk))


def _showcase(pk: int) -> Showcase:
    return found(selectors.showcase_detail(pk))


def _pilot(pk: int) -> Pilot:
    return found(selectors.pilot_detail(pk))


def _pilot_ref(field: str, pk: int) -> Pilot:
    pilot = selectors.pilot_detail(pk)
    if pilot is None:
        raise ValidationError({field: _("No pilot has the id %(id)s.") % {"id": pk}})
    return pilot


def _organisation(pk: int) -> Any:
    organisation = organisation_from_ref("organisation", pk)
    assert organisation is not None
    return organisation


# --- Funding calls --------------------------------------------------------------------------


@router.get(
    "/funding-calls",
    response={200: list[FundingCallOut], **READ_ERRORS},
    summary="Rounds of the innovation fund",
)
@paginate(PageNumber)
def list_calls(request: HttpRequest) -> Any:
    """Every call, the latest to open first."""
    return selectors.call_list()


@router.post(
    "/funding-calls",
    response={201: FundingCallOut, **WRITE_ERRORS},
    summary="Open a round of the innovation fund",
)
def create_call(request: HttpRequest, payload: FundingCallIn) -> Any:
    """Programme managers and administrators. `closes_on` before `opens_on` is 422."""
    call = funding.create_call(
        by=signed_in(request),
        title=payload.title,
        organisation=_organisation(payload.organisation),
        budget=payload.budget,
        currency=payload.currency,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        criteria=payload.criteria,
    )
    return Status(201, _call(call.pk))


@router.get(
    "/funding-calls/{call_id}", response={200: FundingCallOut, **ONE_ERRORS}, summary="One call"
)
def get_call(request: HttpRequest, call_id: CallId) -> Any:
    return _call(call_id)


@router.get(
    "/funding-calls/{call_id}/proposals",
    response={200: list[ProposalOut], **ONE_ERRORS},
    summary="A call's proposals, ranked",
)
@paginate(PageNumber)
def list_proposals(request: HttpRequest, call_id: CallId, filters: Query[ProposalFilters]) -> Any:
    """Highest mean score first; proposals without reviews last, oldest first."""
    return selectors.ranked_proposals(_call(call_id), status=filters.status)


@router.post(
    "/funding-calls/{call_id}/proposals",
    response={201: ProposalOut, **DECISION_ERRORS},
    summary="Propose an idea to a call",
)
def propose(request: HttpRequest, call_id: CallId, payload: ProposalIn) -> Any:
    """The idea's proposer, the lead of one of its pilots, or a programme manager; while the
    call is open (409 before `opens_on` or after `closes_on`), once an idea a call (409)."""
    idea = selectors.idea_detail(payload.idea)
    if idea is None:
        raise ValidationError({"idea": _("No idea has the id %(id)s.") % {"id": payload.idea}})
    pilot = None if payload.pilot is None else _pilot_ref("pilot", payload.pilot)
    proposal = funding.propose(
        by=signed_in(request),
        call=_call(call_id),
        idea=idea,
        pilot=pilot,
        requested=payload.requested,
        summary=payload.summary,
    )
    return Status(201, _proposal(proposal.pk))


# --- Proposals ------------------------------------------------------------------------------


@router.get(
    "/proposals/{proposal_id}", response={200: ProposalOut, **ONE_ERRORS}, summary="One proposal"
)
def get_proposal(request: HttpRequest, proposal_id: ProposalId) -> Any:
    return _proposal(proposal_id)


@router.post(
    "/proposals/{proposal_id}/assessors",
    response={200: ProposalOut, **DECISION_ERRORS},
    summary="Ask someone to review a proposal",
)
def assign_assessor(request: HttpRequest, proposal_id: ProposalId, payload: AssessorIn) -> Any:
    """Programme managers and administrators; the idea's proposer is 422 naming `user`. The
    proposal is then `in_review`."""
    user = person_from_ref("user", payload.user)
    assert user is not None
    funding.assign_assessor(by=signed_in(request), proposal=_proposal(proposal_id), user=user)
    return _proposal(proposal_id)


@router.get(
    "/proposals/{proposal_id}/reviews",
    response={200: list[ReviewOut], **WRITE_ERRORS},
    summary="The reviews of a proposal",
)
def list_reviews(request: HttpRequest, proposal_id: ProposalId) -> Any:
    """Programme managers, administrators and the proposal's assessors (403 for others)."""
    proposal = _proposal(proposal_id)
    if not signed_in(request).has_perm("pipeline.view_review", proposal):
        raise PermissionDenied(_("Only the fund's managers and assessors read reviews."))
    return list(selectors.reviews_of(proposal))


@router.post(
    "/proposals/{proposal_id}/reviews",
    response={201: ReviewOut, **DECISION_ERRORS},
    summary="Score a proposal",
)
def review(request: HttpRequest, proposal_id: ProposalId, payload: ReviewIn) -> Any:
    """An assessor of the proposal (403 otherwise, and always for the idea's proposer), once
    (409): impact, feasibility, replicability and value for money, 1 to 5 each."""
    written = funding.review(
        by=signed_in(request),
        proposal=_proposal(proposal_id),
        note=payload.note,
        impact=payload.impact,
        feasibility=payload.feasibility,
        replicability=payload.replicability,
        value_for_money=payload.value_for_money,
    )
    return Status(201, written)


@router.post(
    "/proposals/{proposal_id}/award",
    response={200: ProposalOut, **DECISION_ERRORS},
    summary="Fund a proposal",
)
def award(request: HttpRequest, proposal_id: ProposalId, payload: AwardIn) -> Any:
    """Programme managers and administrators. More than the call's `budget - awarded` is 422
    naming `amount`; a second decision is 409. A proposal naming a pilot adds the amount to
    its budget (the same currency, else 422 naming `amount`)."""
    funding.award(by=signed_in(request), proposal=_proposal(proposal_id), amount=payload.amount)
    return _proposal(proposal_id)


@router.post(
    "/proposals/{proposal_id}/decline",
    response={200: ProposalOut, **DECISION_ERRORS},
    summary="Decline a proposal, with a note",
)
def decline(request: HttpRequest, proposal_id: ProposalId, payload: DeclineIn) -> Any:
    funding.decline(by=signed_in(request), proposal=_proposal(proposal_id), note=payload.note)
    return _proposal(proposal_id)


# --- Showcases ------------------------------------------------------------------------------


def _results(showcase: Showcase) -> dict[str, Any]:
    return {
        "id": showcase.pk,
        "title": showcase.title,
        "organisation_id": showcase.organisation_id,
        "held_on": showcase.held_on,
        "venue": showcase.venue,
        "pilots": [_presented(row) for row in selectors.showcase_results(showcase)],
    }


def _presented(row: Presentation) -> dict[str, Any]:
    return {
        "pilot": row.pilot_id,
        "title": row.pilot.title,
        "n": row.n,
        "mean_total": row.mean_total,
        "recommendations": {"replicate": row.replicate, "scale": row.scale, "stop": row.stop},
    }


@router.get("/showcases", response={200: list[ShowcaseOut], **READ_ERRORS}, summary="Showcases")
@paginate(PageNumber)
def list_showcases(request: HttpRequest) -> Any:
    """The latest first."""
    return selectors.showcase_list()


@router.post(
    "/showcases", response={201: ShowcaseDetailOut, **WRITE_ERRORS}, summary="Plan a showcase"
)
def create_showcase(request: HttpRequest, payload: ShowcaseIn) -> Any:
    """Programme managers and administrators; `pilots` are completed pilots (422 naming
    `pilots.N` otherwise)."""
    presented = [_pilot_ref(f"pilots.{n}", pk) for n, pk in enumerate(payload.pilots)]
    showcase = showcases.create_showcase(
        by=signed_in(request),
        title=payload.title,
        organisation=_organisation(payload.organisation),
        held_on=payload.held_on,
        venue=payload.venue,
        pilots=presented,
    )
    return Status(201, _results(showcase))


@router.get(
    "/showcases/{showcase_id}",
    response={200: ShowcaseDetailOut, **ONE_ERRORS},
    summary="A showcase and its ranked pilots",
)
def get_showcase(request: HttpRequest, showcase_id: ShowcaseId) -> Any:
    """`pilots` by `mean_total` (mean over scores of the sum of the four criteria, 2 decimals
    half up), highest first; pilots not yet scored last."""
    return _results(_showcase(showcase_id))


@router.post(
    "/showcases/{showcase_id}/pilots",
    response={200: ShowcaseDetailOut, **DECISION_ERRORS},
    summary="Add a completed pilot to a showcase",
)
def present(request: HttpRequest, showcase_id: ShowcaseId, payload: PresentIn) -> Any:
    showcase = _showcase(showcase_id)
    showcases.present(
        by=signed_in(request), showcase=showcase, pilot=_pilot_ref("pilot", payload.pilot)
    )
    return _results(showcase)


@router.post(
    "/showcases/{showcase_id}/scores",
    response={201: ShowcaseScoreOut, **DECISION_ERRORS},
    summary="Score a pilot at a showcase",
)
def score(request: HttpRequest, showcase_id: ShowcaseId, payload: ShowcaseScoreIn) -> Any:
    """Senior reviewers, programme managers and administrators other than the pilot's lead
    and mentor (403); only completed pilots (409); one score per reviewer and pilot (409)."""
    pilot = _pilot_ref("pilot", payload.pilot)
    written = showcases.score(
        by=signed_in(request),
        showcase=_showcase(showcase_id),
        pilot=pilot,
        recommendation=payload.recommendation,
        note=payload.note,
        impact=payload.impact,
        cost=payload.cost,
        replicability=payload.replicability,
        readiness=payload.readiness,
    )
    return Status(
        201,
        {
            "id": written.pk,
            "pilot": pilot.pk,
            "reviewer_id": written.reviewer_id,
            "impact": written.impact,
            "cost": written.cost,
            "replicability": written.replicability,
            "readiness": written.readiness,
            "recommendation": written.recommendation,
            "note": written.note,
        },
    )


# --- National scale-up ----------------------------------------------------------------------


@router.post(
    "/pilots/{pilot_id}/scale-up",
    response={201: ScaleUpOut, **DECISION_ERRORS},
    summary="Record the national scale-up of a completed pilot",
)
def scale_up(request: HttpRequest, pilot_id: PilotId, payload: ScaleUpIn) -> Any:
    """Senior reviewers and administrators; only a completed pilot, once (409)."""
    pilot = _pilot(pilot_id)
    decision = scaling.scale_up(
        by=signed_in(request),
        pilot=pilot,
        decided_on=payload.decided_on,
        citizens_reached=payload.citizens_reached,
        note=payload.note,
    )
    return Status(201, _scale_up(decision.pilot_id))


def _scale_up(pilot_id: int) -> dict[str, Any]:
    pilot = _pilot(pilot_id)
    decision = pilot.scale_up
    return {
        "pilot_id": pilot.pk,
        "decided_on": decision.decided_on,
        "note": decision.note,
        "citizens_reached": pilot.citizens_reached,
    }


@router.get(
    "/pilots/{pilot_id}/scale-up",
    response={200: ScaleUpOut, **ONE_ERRORS},
    summary="The national scale-up of a pilot",
)
def get_scale_up(request: HttpRequest, pilot_id: PilotId) -> Any:
    """404 when the pilot is not scaled up."""
    pilot = _pilot(pilot_id)
    if not hasattr(pilot, "scale_up"):
        raise Http404
    return _scale_up(pilot.pk)


@router.get(
    "/pilots/{pilot_id}/reach",
    response={200: list[ReachOut], **ONE_ERRORS},
    summary="Citizens a scaled pilot reached over time",
)
def list_reach(request: HttpRequest, pilot_id: PilotId) -> Any:
    """Oldest first; empty before a scale-up."""
    return scaling.reach_of(_pilot(pilot_id))


@router.post(
    "/pilots/{pilot_id}/reach",
    response={201: ReachOut, **DECISION_ERRORS},
    summary="Record the citizens a scaled pilot reached",
)
def record_reach(request: HttpRequest, pilot_id: PilotId, payload: ReachIn) -> Any:
    """Senior reviewers and administrators, only after a scale-up (409); a second figure for
    the same day replaces the first. The pilot's `citizens_reached` is its latest by date."""
    figure = scaling.record_reach(
        by=signed_in(request),
        pilot=_pilot(pilot_id),
        on=payload.on,
        citizens_reached=payload.citizens_reached,
    )
    return Status(201, figure)
