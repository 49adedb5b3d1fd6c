"""The pages of a person in Free Agents: their own page (applying, or, as an agent, their
availability, the challenges that fit them, their offers and past assignments, withdrawing)
and one assignment (the offer a notification links to), where the agent answers and the host
starts and closes it. Thin, as `views.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.core.pagination import paginate

from . import matching, services
from .forms import ApplicationForm, AvailabilityForm, DeclineForm, ReviewForm
from .models import (
    AgentStatus,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    FreeAgent,
)
from .views import agent_of
from .views_shared import DONE, NOT_NOW, WRONG_VALUE, attempt, back, explain, skill_names

APPLY, AVAILABILITY, WITHDRAW = "apply", "availability", "withdraw"
ACCEPT, DECLINE, START, COMPLETE = "accept", "decline", "start", "complete"


# --- The person's own page --------------------------------------------------------------------


def agent_context(request: HttpRequest, agent: FreeAgent) -> dict[str, Any]:
    assignments = Assignment.objects.filter(agent=agent).select_related(
        "challenge", "challenge__organisation"
    )
    openings = matching.challenges_for(agent) if agent.status == AgentStatus.AVAILABLE else []
    names = skill_names(skill for opening in openings for skill in opening.fit.missing)
    return {
        "offers": list(assignments.filter(status=AssignmentStatus.OFFERED).order_by("-id")),
        "current": list(
            assignments.filter(
                status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.ACTIVE]
            ).order_by("-id")
        ),
        "past": paginate(
            request,
            assignments.filter(
                status__in=[AssignmentStatus.COMPLETED, AssignmentStatus.DECLINED]
            ).order_by("-id"),
            param="past",
        ),
        "openings": [
            {"opening": opening, "explained": explain(opening.fit, names)} for opening in openings
        ],
    }


def _write(
    request: HttpRequest, action: str, user: User, agent: FreeAgent | None, form: forms.Form
) -> int:
    if action == APPLY:
        return attempt(
            form,
            lambda data: services.apply(
                person=user, statement=data["statement"], available_from=data["available_from"]
            ),
        )
    if agent is None or agent.status == AgentStatus.WITHDRAWN:
        raise PermissionDenied
    if action == AVAILABILITY:
        return attempt(
            form,
            lambda data: services.set_availability(
                by=user, agent=agent, available_from=data["available_from"]
            ),
        )
    return attempt(form, lambda data: services.withdraw(by=user, agent=agent))


DONE_MESSAGES = {
    APPLY: lambda: _("Thank you. The programme's managers will assess your application."),
    AVAILABILITY: lambda: _("Your availability is changed."),
    WITHDRAW: lambda: _("You have left Free Agents. You may apply again at any time."),
}


@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    """Not an agent: the application form, or how their application stands. An agent: their
    status and availability, the challenges that fit them, their offers and assignments."""
    user = signed_in(request)
    agent = agent_of(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in DONE_MESSAGES:
        raise BadRequest
    posted = request.POST if request.method == "POST" else None
    forms_by_action: dict[str, forms.Form] = {
        APPLY: ApplicationForm(posted if action == APPLY else None),
        AVAILABILITY: AvailabilityForm(
            posted if action == AVAILABILITY else None,
            initial={"available_from": agent.available_from if agent else None},
        ),
        WITHDRAW: forms.Form(posted if action == WITHDRAW else None),
    }
    status = DONE
    if action:
        form = forms_by_action[action]
        status = _write(request, action, user, agent, form) if form.is_valid() else WRONG_VALUE
        if status == DONE:
            messages.success(request, DONE_MESSAGES[action]())
            return redirect("talent:me")
    is_agent = agent is not None and agent.status != AgentStatus.WITHDRAWN
    context: dict[str, Any] = {
        "agent": agent,
        "is_agent": is_agent,
        "application_form": forms_by_action[APPLY],
        "availability_form": forms_by_action[AVAILABILITY],
        "withdraw_form": forms_by_action[WITHDRAW],
        "form": forms_by_action[action] if action else None,
    }
    if is_agent:
        assert agent is not None
        context.update(agent_context(request, agent))
    else:
        application = (
            Application.objects.filter(person=user)
            .prefetch_related("steps")
            .order_by("-id")
            .first()
        )
        context["application"] = application
        context["may_apply"] = (
            application is None or application.status != ApplicationStatus.SUBMITTED
        )
    # A form the person filled in and a refusal: 200 with the errors (as every form page);
    # a refused button (withdrawing on a challenge): 409.
    return render(
        request,
        "talent/me.html",
        context,
        status=NOT_NOW if status == NOT_NOW and action == WITHDRAW else DONE,
    )


# --- One assignment ---------------------------------------------------------------------------


def _assignment_or_404(user: User, pk: int) -> tuple[Assignment, bool, bool]:
    """The assignment, if it was offered to the person or they keep its challenge."""
    assignment = (
        Assignment.objects.select_related(
            "challenge", "challenge__organisation", "challenge__posted_by", "agent__user"
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    is_agent = user.has_perm("talent.answer_assignment", assignment)
    keeps = user.has_perm("talent.change_challenge", assignment.challenge)
    if not (is_agent or keeps):
        raise Http404
    return assignment, is_agent, keeps


def _skills_asked(assignment: Assignment) -> list[Any]:
    return [
        need.skill
        for need in assignment.challenge.needs.select_related("skill").order_by("skill__name")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer and how it went. The agent accepts or declines; whoever keeps the challenge
    starts it and closes it with a review. A refusal comes back here with its reason."""
    user = signed_in(request)
    assignment, is_agent, keeps = _assignment_or_404(user, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    skills = _skills_asked(assignment) if keeps else []
    review_prefix = f"review-{assignment.pk}"
    posted = request.POST if request.method == "POST" else None
    decline_form = DeclineForm(posted if action == DECLINE else None)
    review_form = ReviewForm(
        posted if action == COMPLETE else None, prefix=review_prefix, skills=skills
    )
    button_form = forms.Form(posted if action in (ACCEPT, START) else None)
    status = DONE
    if action:
        if action in (ACCEPT, DECLINE) and not is_agent:
            raise PermissionDenied
        if action in (START, COMPLETE) and not keeps:
            raise PermissionDenied
        writes: dict[str, tuple[forms.Form, Any, Any]] = {
            ACCEPT: (
                button_form,
                lambda data: services.accept(by=user, assignment=assignment),
                _("You accepted. The host will record the day you start."),
            ),
            DECLINE: (
                decline_form,
                lambda data: services.decline(
                    by=user, assignment=assignment, reason=data["reason"]
                ),
                _("You declined. The seat goes to someone else."),
            ),
            START: (
                button_form,
                lambda data: services.start(by=user, assignment=assignment),
                _("Recorded: the free agent has started."),
            ),
            COMPLETE: (
                review_form,
                lambda data: services.complete(
                    by=user,
                    assignment=assignment,
                    review=data["review"],
                    shown=[services.Shown(*item) for item in data["shown"]],
                    completed_on=data["completed_on"],
                ),
                _("Closed. The review's evidence is on the free agent's skills."),
            ),
        }
        if action not in writes:
            raise BadRequest
        form, write, done = writes[action]
        status = attempt(form, write) if form.is_valid() else WRONG_VALUE
        if status == DONE:
            messages.success(request, done)
            return back(request, request.path)
    context = {
        "assignment": assignment,
        "is_agent": is_agent,
        "keeps": keeps,
        "decline_form": decline_form,
        "review_form": review_form,
        "button_form": button_form,
        "form": {DECLINE: decline_form, COMPLETE: review_form}.get(action, button_form),
        "evidence": list(assignment.evidence.select_related("skill")),
    }
    return render(request, "talent/assignment_detail.html", context, status=status)
