"""Pages of Free Agents' challenges: the list and its filters, posting and changing one, and a
challenge's page with its explained candidates, the offers made and the host's actions. Thin:
each validates, calls one function of `services`, `matching` or `selectors`, and renders.
The agent's own pages are in `views_people`, the programme's in `views_programme`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.core.pagination import paginate

from . import matching, selectors, services
from .forms import (
    OPEN,
    ChallengeFilterForm,
    ChallengeForm,
    OfferForm,
    ReviewForm,
    challenge_initial,
)
from .models import HOLDING, AgentStatus, Assignment, AssignmentStatus, Challenge, FreeAgent
from .views_shared import DONE, attempt, explain

CANDIDATES_PAGE = 50
DECLINED_SHOWN = 20


def challenge_or_404(pk: int) -> Challenge:
    challenge = (
        selectors.challenges().select_related("posted_by", "organisation").filter(pk=pk).first()
    )
    if challenge is None:
        raise Http404
    return challenge


def agent_of(user: User) -> FreeAgent | None:
    """The person's free agent record, withdrawn or not (one query)."""
    return FreeAgent.objects.filter(user=user).first()


# --- The list ---------------------------------------------------------------------------------


@login_required
def challenge_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ChallengeFilterForm(request.GET)
    found: QuerySet[Challenge] = Challenge.objects.none()
    if form.is_valid():
        data = form.cleaned_data
        found = selectors.challenges(
            organisation=data["organisation"],
            open_only=data["show"] == OPEN,
            skill=data["skill"].pk if data["skill"] else None,
        )
    agent = agent_of(user)
    context = {
        "form": form,
        "filtered": any(form.data.get(name) for name in ("organisation", "skill"))
        or (form.data.get("show") or OPEN) != OPEN,
        "pager": paginate(request, found),
        "may_post": user.has_perm("talent.add_challenge"),
        "is_agent": agent is not None and agent.status != AgentStatus.WITHDRAWN,
        "may_see_agents": selectors.sees_every_agent(user),
        "may_assess": user.has_perm("talent.assess_application"),
        "may_plan": user.has_perm("talent.make_plan"),
        "may_count": user.has_perm("talent.view_workforce"),
    }
    return render(request, "talent/challenge_list.html", context)


# --- Posting and changing ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def challenge_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not user.has_perm("talent.add_challenge"):
        raise PermissionDenied
    organisations = selectors.organisations_to_post_for(user)
    form = ChallengeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        made: list[Challenge] = []
        done = attempt(
            form,
            lambda data: made.append(
                services.post_challenge(
                    by=user, organisation=data["organisation"], **form.challenge_fields()
                )
            ),
            rename={"skills": form.first_skill_field()},
        )
        if done == DONE:
            messages.success(
                request, _("Your challenge is posted. The free agents who fit it are below.")
            )
            return redirect("talent:challenge_detail", made[0].pk)
    context = {"form": form, "has_organisations": organisations.exists()}
    return render(request, "talent/challenge_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    challenge = challenge_or_404(pk)
    if not user.has_perm("talent.change_challenge", challenge):
        raise PermissionDenied
    needs = list(challenge.needs.all())
    initial = challenge_initial(
        needs,
        **{
            name: getattr(challenge, name)
            for name in (
                "title", "problem", "seats", "starts_on", "weeks", "location", "remote",
                "cost_recovery", "currency",
            )
        },
    )  # fmt: skip
    form = ChallengeForm(request.POST or None, initial=initial, rows=len(needs))
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda data: services.change_challenge(
                by=user, challenge=challenge, **form.challenge_fields()
            ),
            rename={"skills": form.first_skill_field()},
        )
        if done == DONE:
            messages.success(request, _("The challenge is changed."))
            return redirect("talent:challenge_detail", challenge.pk)
    return render(
        request,
        "talent/challenge_form.html",
        {"form": form, "challenge": challenge, "has_organisations": True},
    )


# --- A challenge ------------------------------------------------------------------------------


def _after(raw: str) -> tuple[int, int] | None:
    """`?after=<match>-<agent>`: the key of the previous page's last candidate."""
    if not raw:
        return None
    match, _dash, agent = raw.partition("-")
    if not (match.isdigit() and agent.isdigit() and len(match) < 4 and len(agent) < 19):
        raise Http404
    return int(match), int(agent)


def _candidates(
    request: HttpRequest, challenge: Challenge, names: dict[int, str]
) -> dict[str, Any]:
    after = _after(request.GET.get("after", ""))
    found = matching.candidates(challenge, limit=CANDIDATES_PAGE, after=after)
    more = ""
    if len(found) == CANDIDATES_PAGE:
        last = found[-1]
        more = f"?after={last.fit.match}-{last.agent.pk}#candidates"
    return {
        "candidates": [
            {
                "candidate": candidate,
                "explained": explain(candidate.fit, names),
                "offer_label": AssignmentStatus(candidate.offer).label if candidate.offer else "",
            }
            for candidate in found
        ],
        "more_candidates": more,
        "later_page": after is not None,
    }


def _offers(challenge: Challenge, skills: list[Any]) -> dict[str, Any]:
    """The offers of the challenge that hold a seat (never more than its seats), with a
    closing review form for each active one, and the latest declined."""
    rows = Assignment.objects.filter(challenge=challenge).select_related("agent__user")
    holding = list(rows.filter(status__in=HOLDING).order_by("-id"))
    return {
        "offers": [
            {
                "assignment": assignment,
                "review_form": ReviewForm(prefix=f"review-{assignment.pk}", skills=skills)
                if assignment.status == AssignmentStatus.ACTIVE
                else None,
            }
            for assignment in holding
        ],
        "declined": list(
            rows.filter(status=AssignmentStatus.DECLINED).order_by("-id")[:DECLINED_SHOWN]
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The challenge. For whoever keeps it: the candidates, explained, 50 a page, each with a
    button to offer a seat (a POST here); the offers made and the host's actions."""
    user = signed_in(request)
    challenge = challenge_or_404(pk)
    keeps = user.has_perm("talent.view_candidates", challenge)
    refused = None
    status = DONE
    if request.method == "POST":
        if not user.has_perm("talent.add_assignment", challenge):
            raise PermissionDenied
        form = OfferForm(request.POST)
        if form.is_valid():
            agent = (
                FreeAgent.objects.select_related("user")
                .filter(pk=form.cleaned_data["agent"])
                .first()
            )
            if agent is None:
                raise Http404
            status = attempt(
                form, lambda data: services.offer(by=user, challenge=challenge, agent=agent)
            )
            if status == DONE:
                messages.success(
                    request,
                    _("A seat is offered to %(name)s; they are told, and answer on their page.")
                    % {"name": agent.user.name},
                )
                return redirect(reverse("talent:challenge_detail", args=[pk]) + "#offers")
        else:
            status = 400
        refused = form
    needs = list(challenge.needs.all())
    names = {need.skill_id: need.skill.name for need in needs}
    context: dict[str, Any] = {
        "challenge": challenge,
        "needs": needs,
        "keeps": keeps,
        "may_change": user.has_perm("talent.change_challenge", challenge),
        "refused": refused,
        "form": refused,  # the page's title says "Error:"
        "mine": Assignment.objects.filter(challenge=challenge, agent__user=user)
        .exclude(status=AssignmentStatus.DECLINED)
        .first(),
    }
    if keeps:
        context.update(_candidates(request, challenge, names))
        context.update(_offers(challenge, [need.skill for need in needs]))
    return render(request, "talent/challenge_detail.html", context, status=status)
