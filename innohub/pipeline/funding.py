"""The innovation fund: calls, proposals, assessors, reviews, awards (docs/api.md, "Pipeline").

A proposal moves submitted → in review (its first assessor) → awarded or declined. Each
assessor scores the four criteria once; the proposal keeps its number of reviews, the sum of
their scores, its mean score and the spread between its assessors, so a call's ranked table
is one ordered query. An award is taken from the call's remaining budget under a lock on the
call's row and, when the proposal names a pilot, is added to that pilot's budget in the same
transaction.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from innohub.accounts.notifications import notify
from innohub.core.errors import Conflict
from innohub.core.text import clean_text
from innohub.core.units import CENT
from innohub.geo.models import is_known_currency
from innohub.orgs.models import Organisation

from .limits import TEXT_MAX, TITLE_MAX
from .models import (
    Assessor,
    FundingCall,
    Idea,
    Pilot,
    Proposal,
    ProposalStatus,
    Review,
)
from .pilots import ENDED, money_error
from .signals import pilot_figures_changed

if TYPE_CHECKING:
    from innohub.accounts.models import User

CRITERIA = ("impact", "feasibility", "replicability", "value_for_money")
DECIDED = (ProposalStatus.AWARDED, ProposalStatus.DECLINED)

ASSESS = gettext_noop("Please review the proposal “%(title)s”")
ASSESS_BODY = gettext_noop(
    "%(manager)s asked you to score it for the call “%(call)s” on impact, feasibility, "
    "replicability and value for money."
)
AWARDED = gettext_noop("Your proposal “%(title)s” is funded")
AWARDED_BODY = gettext_noop("The call “%(call)s” awards it %(amount)s %(currency)s.")
DECLINED = gettext_noop("Your proposal “%(title)s” was not funded")
DECLINED_BODY = gettext_noop("The call “%(call)s” declined it. Note: %(note)s")


def _today() -> datetime.date:
    return timezone.localdate()


def _url(proposal: Proposal) -> str:
    return reverse("pipeline:proposal_detail", args=[proposal.pk])


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Calls ----------------------------------------------------------------------------------


@transaction.atomic
def create_call(
    *,
    by: User,
    title: str,
    organisation: Organisation,
    budget: Any,
    currency: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    criteria: str = "",
) -> FundingCall:
    """A round of the fund: programme managers and administrators (403)."""
    if not by.has_perm("pipeline.add_fundingcall"):
        raise PermissionDenied(_("Only a programme manager opens a funding call."))
    errors: dict[str, str] = {}
    if message := money_error(budget, positive=True):
        errors["budget"] = message
    if not is_known_currency(currency):
        errors["currency"] = _("Give a currency code such as BDT or EUR.")
    if closes_on < opens_on:
        errors["closes_on"] = _("A call closes on or after the day it opens.")
    try:
        title = clean_text(title, "title", max_length=TITLE_MAX, required=True)
        criteria = clean_text(criteria, "criteria", max_length=TEXT_MAX)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return FundingCall.objects.create(
        title=title,
        organisation=organisation,
        budget=Decimal(str(budget)).quantize(CENT),
        currency=currency,
        opens_on=opens_on,
        closes_on=closes_on,
        criteria=criteria,
        by=by,
    )


def is_open(call: FundingCall, on: datetime.date | None = None) -> bool:
    on = on or _today()
    return call.opens_on <= on <= call.closes_on


# --- Proposals ------------------------------------------------------------------------------


@transaction.atomic
def propose(
    *,
    by: User,
    call: FundingCall,
    idea: Idea,
    requested: Any,
    summary: str,
    pilot: Pilot | None = None,
) -> Proposal:
    """Ask a call for money for an idea (and its pilot); only while the call is open (409),
    once an idea a call (409)."""
    if not by.has_perm("pipeline.add_proposal", idea):
        raise PermissionDenied(
            _("Only the idea's proposer, the lead of its pilot or a programme manager proposes it.")
        )
    errors: dict[str, str] = {}
    if message := money_error(requested, positive=True):
        errors["requested"] = message
    if pilot is not None and pilot.idea_id != idea.pk:
        errors["pilot"] = _("The pilot is not one of this idea's pilots.")
    try:
        summary = clean_text(summary, "summary", max_length=TEXT_MAX, required=True)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    call = FundingCall.objects.select_for_update().get(pk=call.pk)
    today = _today()
    if today < call.opens_on:
        raise Conflict(_("The call opens on %(day)s.") % {"day": call.opens_on.isoformat()})
    if today > call.closes_on:
        raise Conflict(_("The call closed on %(day)s.") % {"day": call.closes_on.isoformat()})
    if Proposal.objects.filter(call=call, idea=idea).exists():
        raise Conflict(_("This idea is already proposed to this call."))
    proposal = Proposal.objects.create(
        call=call,
        idea=idea,
        pilot=pilot,
        requested=Decimal(str(requested)).quantize(CENT),
        summary=summary,
        by=by,
    )
    FundingCall.objects.filter(pk=call.pk).update(proposals_count=F("proposals_count") + 1)
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("call", "idea")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def assign_assessor(*, by: User, proposal: Proposal, user: User) -> Proposal:
    """A programme manager or an administrator (403) asks someone other than the idea's
    proposer (422 naming `user`) to review; the proposal is then in review. Asking the same
    person again changes nothing."""
    if not by.has_perm("pipeline.change_proposal", proposal):
        raise PermissionDenied(_("Only a programme manager assigns assessors."))
    proposal = _locked(proposal)
    if user.pk == proposal.idea.proposer_id:
        raise ValidationError({"user": _("The idea's proposer cannot assess it.")})
    if not user.is_active:
        raise ValidationError({"user": _("This person's account is closed.")})
    if proposal.status in DECIDED:
        raise Conflict(_("The proposal is already decided."))
    _assessor, created = Assessor.objects.get_or_create(
        proposal=proposal, user=user, defaults={"by": by}
    )
    if created:
        if proposal.status == ProposalStatus.SUBMITTED:
            Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.IN_REVIEW)
            proposal.status = ProposalStatus.IN_REVIEW
        notify(
            user=user,
            kind="proposal_to_assess",
            subject=ASSESS,
            body=ASSESS_BODY,
            url=_url(proposal),
            params={"title": proposal.idea.title, "call": proposal.call.title, "manager": by.name},
        )
    return proposal


def scale_errors(scores: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    """Each of `names` whose score is not a whole number from 1 to 5, with the reason."""
    return {
        name: _("Give a whole number from 1 to 5.")
        for name in names
        if isinstance(scores.get(name), bool)
        or not isinstance(scores.get(name), int)
        or not 1 <= scores[name] <= 5
    }


@transaction.atomic
def review(*, by: User, proposal: Proposal, note: str = "", **scores: int) -> Review:
    """An assessor's four scores (1 to 5), once (409); never the idea's proposer (403), only an
    assessor of this proposal (403). The proposal's mean and spread follow at once."""
    proposal = _locked(proposal)
    if by.pk == proposal.idea.proposer_id:
        raise PermissionDenied(_("The idea's proposer cannot review it."))
    if not by.has_perm("pipeline.add_review", proposal):
        raise PermissionDenied(_("Only an assessor of this proposal reviews it."))
    if errors := scale_errors(scores, CRITERIA):
        raise ValidationError(errors)
    note = clean_text(note, "note", max_length=TEXT_MAX)
    if proposal.status in DECIDED:
        raise Conflict(_("The proposal is already decided."))
    if Review.objects.filter(proposal=proposal, assessor=by).exists():
        raise Conflict(_("You have already reviewed this proposal."))
    try:
        with transaction.atomic():
            written = Review.objects.create(
                proposal=proposal, assessor=by, note=note, **{c: scores[c] for c in CRITERIA}
            )
    except IntegrityError as error:  # the same assessor at the same instant
        raise Conflict(_("You have already reviewed this proposal.")) from error
    _recount(proposal)
    return written


def _recount(proposal: Proposal) -> None:
    """The proposal's review figures from its reviews (a handful of rows)."""
    totals = [r.total for r in Review.objects.filter(proposal=proposal).only(*CRITERIA)]
    count, score_sum = len(totals), sum(totals)
    mean = half_up(Decimal(score_sum) / (4 * count)) if count else None
    Proposal.objects.filter(pk=proposal.pk).update(
        reviews=count,
        score_sum=score_sum,
        mean_score=mean,
        rank_score=mean or Decimal(0),
        spread=half_up(Decimal(max(totals) - min(totals)) / 4) if count else None,
    )


# --- Decisions ------------------------------------------------------------------------------


@transaction.atomic
def award(*, by: User, proposal: Proposal, amount: Any) -> Proposal:
    """Fund the proposal from the call's remaining budget (more is 422 naming `amount`);
    once (409). When it names a pilot, the amount is added to the pilot's budget (same
    currency, else 422 naming `amount`; a pilot that has ended is 409)."""
    if not by.has_perm("pipeline.change_proposal", proposal):
        raise PermissionDenied(_("Only a programme manager awards funding."))
    if message := money_error(amount, positive=True):
        raise ValidationError({"amount": message})
    amount = Decimal(str(amount)).quantize(CENT)
    proposal = _locked(proposal)
    if proposal.status in DECIDED:
        raise Conflict(_("The proposal is already decided."))
    call = FundingCall.objects.select_for_update().get(pk=proposal.call_id)
    if amount > call.remaining:
        raise ValidationError(
            {
                "amount": _(
                    "The call has %(left)s %(currency)s left of its %(budget)s %(currency)s."
                )
                % {"left": call.remaining, "budget": call.budget, "currency": call.currency}
            }
        )
    if proposal.pilot_id is not None:
        pilot = Pilot.objects.select_for_update(of=("self",)).get(pk=proposal.pilot_id)
        if pilot.currency != call.currency:
            raise ValidationError(
                {
                    "amount": _(
                        "The pilot's budget is in %(pilot)s and the call's in %(call)s; "
                        "an award adds to the budget only in the same currency."
                    )
                    % {"pilot": pilot.currency, "call": call.currency}
                }
            )
        if pilot.status in ENDED:
            raise Conflict(_("The pilot has ended; its budget is settled."))
        Pilot.objects.filter(pk=pilot.pk).update(budget=F("budget") + amount)
        pilot_figures_changed.send(sender=Pilot, pilot=pilot)
    FundingCall.objects.filter(pk=call.pk).update(awarded=F("awarded") + amount)
    _decide(proposal, by=by, status=ProposalStatus.AWARDED, amount=amount)
    notify(
        user=proposal.by,
        kind="proposal_awarded",
        subject=AWARDED,
        body=AWARDED_BODY,
        url=_url(proposal),
        params={
            "title": proposal.idea.title,
            "call": call.title,
            "amount": str(amount),
            "currency": call.currency,
        },
    )
    return proposal


@transaction.atomic
def decline(*, by: User, proposal: Proposal, note: str) -> Proposal:
    """Decline with a note the proposer reads (422 naming `note` without one); once (409)."""
    if not by.has_perm("pipeline.change_proposal", proposal):
        raise PermissionDenied(_("Only a programme manager declines a proposal."))
    note = clean_text(note, "note", max_length=TEXT_MAX, required=True)
    proposal = _locked(proposal)
    if proposal.status in DECIDED:
        raise Conflict(_("The proposal is already decided."))
    _decide(proposal, by=by, status=ProposalStatus.DECLINED, note=note)
    notify(
        user=proposal.by,
        kind="proposal_declined",
        subject=DECLINED,
        body=DECLINED_BODY,
        url=_url(proposal),
        params={"title": proposal.idea.title, "call": proposal.call.title, "note": note},
    )
    return proposal


def _decide(
    proposal: Proposal, *, by: User, status: str, amount: Decimal | None = None, note: str = ""
) -> None:
    proposal.status, proposal.amount, proposal.decision_note = status, amount, note
    proposal.decided_by, proposal.decided_at = by, timezone.now()
    proposal.save(
        update_fields=["status", "amount", "decision_note", "decided_by", "decided_at", "modified"]
    )
