"""Pages of the innovation fund and showcases: thin views over `funding.py`, `showcases.py`,
the selectors and the rules. Every page works without JavaScript; a write redirects after
success, and a refusal comes back beside the field it names with what was typed kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.core.forms import write_with
from innohub.core.http import found
from innohub.core.pagination import paginate

from . import funding, selectors, showcases
from .design_pdf import pdf_of
from .forms_fund import (
    AssessorForm,
    AwardForm,
    CallForm,
    DeclineForm,
    PresentForm,
    ProposalForm,
    ReviewForm,
    ShowcaseForm,
    ShowcaseScoreForm,
)
from .models import FundingCall, Idea, Pilot, Proposal, ProposalStatus, Showcase, Status

# The stages a proposer follows, in order; the last is awarded or declined.
STAGES = (ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW)
CHOICES_MAX = 200


_write = write_with


# --- Calls ----------------------------------------------------------------------------------


def _call_or_404(pk: int) -> FundingCall:
    return found(selectors.call_detail(pk))


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    context = {
        "pager": paginate(request, selectors.call_list()),
        "may_open": user.has_perm("pipeline.add_fundingcall"),
        "to_assess": list(selectors.to_assess(user)[:50]),
        "mine": list(
            Proposal.objects.filter(by=user)
            .select_related("call", "idea")
            .order_by("-created")[:50]
        ),
    }
    return render(request, "pipeline/fund/call_list.html", context)


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not user.has_perm("pipeline.add_fundingcall"):
        raise PermissionDenied
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made: list[FundingCall] = []
        if _write(form, lambda data: made.append(funding.create_call(by=user, **data))):
            messages.success(request, _("The call is open for proposals on its opening day."))
            return redirect("pipeline:call_detail", made[0].pk)
    return render(request, "pipeline/fund/call_new.html", {"form": form})


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_or_404(pk)
    user = signed_in(request)
    context = {
        "call": call,
        "is_open": funding.is_open(call),
        "pager": paginate(request, selectors.ranked_proposals(call)),
        "may_decide": user.has_perm("pipeline.change_proposal"),
        "share": (call.awarded * 100 / call.budget) if call.budget else 0,
    }
    return render(request, "pipeline/fund/call_detail.html", context)


def _proposable(user: Any, wanted: int | None) -> tuple[Any, Any]:
    """The ideas the person may propose (their own, those of pilots they lead, and the one
    asked for by `?idea=` when they may propose it) and those ideas' pilots."""
    mine = Q(proposer=user) | Q(pilots__lead=user)
    if wanted is not None:
        idea = Idea.objects.filter(pk=wanted).first()
        if idea is not None and user.has_perm("pipeline.add_proposal", idea):
            mine |= Q(pk=idea.pk)
    ideas = Idea.objects.filter(mine).distinct().order_by("-created", "-id")
    ids = list(ideas.values_list("pk", flat=True)[:CHOICES_MAX])
    return (
        Idea.objects.filter(pk__in=ids).order_by("-created", "-id"),
        Pilot.objects.filter(idea_id__in=ids).select_related("area").order_by("-created", "-id"),
    )


@login_required
def proposal_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose an idea to an open call (`?idea=` chooses it)."""
    call = _call_or_404(pk)
    user = signed_in(request)
    raw = request.GET.get("idea", "")
    wanted = int(raw) if raw.isdigit() and len(raw) < 18 else None
    ideas, pilots = _proposable(user, wanted)
    form = ProposalForm(request.POST or None, ideas=ideas, pilots=pilots, initial={"idea": wanted})
    if request.method == "POST" and form.is_valid():
        made: list[Proposal] = []
        if _write(form, lambda data: made.append(funding.propose(by=user, call=call, **data))):
            messages.success(request, _("Your proposal is sent. You can follow its stage here."))
            return redirect("pipeline:proposal_detail", made[0].pk)
    context = {
        "form": form,
        "call": call,
        "is_open": funding.is_open(call),
        "has_ideas": ideas.exists(),
    }
    return render(request, "pipeline/fund/proposal_new.html", context)


# --- Proposals ------------------------------------------------------------------------------


def _proposal_or_404(pk: int) -> Proposal:
    return found(selectors.proposal_detail(pk))


def _proposal_page(request: HttpRequest, proposal: Proposal, **forms: BaseForm) -> HttpResponse:
    user = signed_in(request)
    decided = proposal.status in funding.DECIDED
    may_decide = user.has_perm("pipeline.change_proposal", proposal) and not decided
    reviewed = proposal.review_set.filter(assessor=user).exists()
    may_review = (
        not decided
        and not reviewed
        and user.pk != proposal.idea.proposer_id
        and user.has_perm("pipeline.add_review", proposal)
    )
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "stages": STAGES,
        "decided": decided,
        "reviews": (
            list(selectors.reviews_of(proposal))
            if user.has_perm("pipeline.view_review", proposal)
            else None
        ),
        "assessors": list(selectors.assessors_of(proposal)) if may_decide else [],
        "may_decide": may_decide,
        "may_review": may_review,
        "reviewed": reviewed,
        "assessor_form": forms.get("assessor_form") or AssessorForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "award_form": forms.get("award_form")
        or AwardForm(
            requested=proposal.requested,
            initial={"amount": min(proposal.requested, proposal.call.remaining)},
        ),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "failed": list(forms.values()),
    }
    return render(request, "pipeline/fund/proposal_detail.html", context)


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_page(request, _proposal_or_404(pk))


def _proposal_action(
    request: HttpRequest, pk: int, *, form_class: Any, name: str, write: Any, done: Any
) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    user = signed_in(request)
    extra = {"requested": proposal.requested} if form_class is AwardForm else {}
    form = form_class(request.POST, **extra)
    if form.is_valid() and _write(form, lambda data: write(user, proposal, data)):
        messages.success(request, done)
        return redirect("pipeline:proposal_detail", pk)
    return _proposal_page(request, _proposal_or_404(pk), **{name: form})


@login_required
@require_POST
def proposal_assessor(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(
        request,
        pk,
        form_class=AssessorForm,
        name="assessor_form",
        write=lambda user, proposal, data: funding.assign_assessor(
            by=user, proposal=proposal, user=data["username"]
        ),
        done=_("The assessor is asked to review the proposal."),
    )


@login_required
@require_POST
def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(
        request,
        pk,
        form_class=ReviewForm,
        name="review_form",
        write=lambda user, proposal, data: funding.review(by=user, proposal=proposal, **data),
        done=_("Your review is recorded. Thank you."),
    )


@login_required
@require_POST
def proposal_award(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(
        request,
        pk,
        form_class=AwardForm,
        name="award_form",
        write=lambda user, proposal, data: funding.award(
            by=user, proposal=proposal, amount=data["amount"]
        ),
        done=_("The proposal is funded."),
    )


@login_required
@require_POST
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(
        request,
        pk,
        form_class=DeclineForm,
        name="decline_form",
        write=lambda user, proposal, data: funding.decline(
            by=user, proposal=proposal, note=data["note"]
        ),
        done=_("The proposal is declined; its proposer reads your note."),
    )


# --- Showcases ------------------------------------------------------------------------------


def _showcase_or_404(pk: int) -> Showcase:
    return found(selectors.showcase_detail(pk))


def _completed_pilots() -> Any:
    return (
        Pilot.objects.filter(status=Status.COMPLETED).select_related("area").order_by("title", "id")
    )


@login_required
def showcase_list(request: HttpRequest) -> HttpResponse:
    context = {
        "pager": paginate(request, selectors.showcase_list()),
        "may_organise": signed_in(request).has_perm("pipeline.add_showcase"),
    }
    return render(request, "pipeline/showcase/showcase_list.html", context)


@login_required
def showcase_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not user.has_perm("pipeline.add_showcase"):
        raise PermissionDenied
    form = ShowcaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made: list[Showcase] = []
        if _write(form, lambda data: made.append(showcases.create_showcase(by=user, **data))):
            messages.success(request, _("The showcase is planned: add the pilots it presents."))
            return redirect("pipeline:showcase_detail", made[0].pk)
    return render(request, "pipeline/showcase/showcase_new.html", {"form": form})


def _showcase_page(
    request: HttpRequest, showcase: Showcase, present_form: BaseForm | None = None
) -> HttpResponse:
    user = signed_in(request)
    results = list(selectors.showcase_results(showcase))
    scored = selectors.scores_by(user, showcase)
    may_organise = user.has_perm("pipeline.add_showcase")
    context = {
        "showcase": showcase,
        "results": [
            {
                "row": row,
                "may_score": row.pilot_id not in scored
                and user.has_perm("pipeline.add_showcasescore", row.pilot),
                "scored": row.pilot_id in scored,
            }
            for row in results
        ],
        "may_organise": may_organise,
        "present_form": present_form
        or (
            PresentForm(pilots=_completed_pilots().exclude(presentations__showcase=showcase))
            if may_organise
            else None
        ),
    }
    return render(request, "pipeline/showcase/showcase_detail.html", context)


@login_required
def showcase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _showcase_page(request, _showcase_or_404(pk))


@login_required
@require_POST
def showcase_present(request: HttpRequest, pk: int) -> HttpResponse:
    showcase = _showcase_or_404(pk)
    user = signed_in(request)
    form = PresentForm(request.POST, pilots=_completed_pilots())
    if form.is_valid() and _write(
        form,
        lambda data: showcases.present(by=user, showcase=showcase, pilot=data["pilot"]),
    ):
        messages.success(request, _("The pilot is on the showcase's list."))
        return redirect("pipeline:showcase_detail", pk)
    return _showcase_page(request, showcase, present_form=form)


@login_required
def showcase_score(request: HttpRequest, pk: int, pilot_pk: int) -> HttpResponse:
    showcase = _showcase_or_404(pk)
    pilot = found(selectors.pilot_detail(pilot_pk))
    user = signed_in(request)
    if not user.has_perm("pipeline.add_showcasescore", pilot):
        raise PermissionDenied
    form = ShowcaseScoreForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _write(
            form,
            lambda data: showcases.score(by=user, showcase=showcase, pilot=pilot, **data),
        )
    ):
        messages.success(request, _("Your score is recorded."))
        return redirect("pipeline:showcase_detail", pk)
    context = {"form": form, "showcase": showcase, "pilot": pilot}
    return render(request, "pipeline/showcase/score.html", context)


@login_required
def showcase_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranked results as a printable PDF, in the reader's language."""
    showcase = _showcase_or_404(pk)
    context = {
        "showcase": showcase,
        "results": list(selectors.showcase_results(showcase)),
        "LANGUAGE_CODE": request.LANGUAGE_CODE,
    }
    document = pdf_of("pipeline/showcase/showcase_pdf.html", context)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="showcase-{showcase.pk}.pdf"'
    return response
