"""Pages of the people who run Free Agents: the queue of applications and one application's
assessment and decision, the best plan of all open challenges, and the workforce figures.
Thin, as `views.py`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from innohub.accounts.auth import signed_in
from innohub.accounts.models import Gender, User
from innohub.core.pagination import paginate

from . import planning, selectors, services, workforce
from .forms import ACCEPT, EVERY, ApplicationFilterForm, DecisionForm, OfferForm, StepForm
from .limits import SMALL_GROUP
from .models import ApplicationStatus, Challenge, FreeAgent
from .views_shared import DONE, attempt

PLAN_SHOWN = 200
STEP, DECIDE = "step", "decide"


def _allowed(user: User, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


# --- Applications -----------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The queue: applications being assessed, oldest first (or any status, newest first)."""
    user = signed_in(request)
    _allowed(user, "talent.assess_application")
    form = ApplicationFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ApplicationStatus.SUBMITTED
    applications = selectors.applications_for(user)
    if status == ApplicationStatus.SUBMITTED:
        applications = applications.filter(status=status).order_by("id")
    elif status != EVERY:
        applications = applications.filter(status=status)
    context = {"form": form, "status": status, "pager": paginate(request, applications)}
    return render(request, "talent/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: the statement, the steps (a form records one) and the decision."""
    user = signed_in(request)
    _allowed(user, "talent.assess_application")
    application = selectors.applications_for(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    posted = request.POST if request.method == "POST" else None
    step_form = StepForm(posted if action == STEP else None)
    decision_form = DecisionForm(posted if action == DECIDE else None)
    status = DONE
    if action == STEP and step_form.is_valid():
        status = attempt(
            step_form,
            lambda data: services.record_step(by=user, application=application, **data),
        )
        if status == DONE:
            messages.success(request, _("The step is recorded."))
            return redirect("talent:application_detail", pk)
    elif action == DECIDE and decision_form.is_valid():
        accept = decision_form.cleaned_data["decision"] == ACCEPT
        status = attempt(
            decision_form,
            lambda data: services.decide_application(
                by=user, application=application, accept=accept, note=data["note"]
            ),
        )
        if status == DONE:
            messages.success(
                request,
                _("Accepted: they are a free agent now, and are told.")
                if accept
                else _("Declined. They are told, with your reason."),
            )
            return redirect("talent:application_detail", pk)
    elif action not in ("", STEP, DECIDE):
        raise BadRequest
    context = {
        "application": application,
        "steps": list(application.steps.all()),
        "step_form": step_form,
        "decision_form": decision_form,
        "form": decision_form if action == DECIDE else step_form,
        "is_open": application.status == ApplicationStatus.SUBMITTED,
    }
    return render(request, "talent/application_detail.html", context, status=status)


# --- The plan ---------------------------------------------------------------------------------


def _plan_rows(plan: Any) -> list[dict[str, Any]]:
    shown = plan.placements[:PLAN_SHOWN]
    challenges = Challenge.objects.select_related("organisation").in_bulk(
        {p.challenge for p in shown}
    )
    agents = FreeAgent.objects.select_related("user").in_bulk({p.agent for p in shown})
    return [
        {"challenge": challenges[p.challenge], "agent": agents[p.agent], "match": p.match}
        for p in shown
        if p.challenge in challenges and p.agent in agents
    ]


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    """A button asks for the best plan of every open challenge; each row of it has a button
    that offers the seat. After an offer the plan is made again without that seat and agent."""
    user = signed_in(request)
    _allowed(user, "talent.make_plan")
    context: dict[str, Any] = {"asked": False}
    status = DONE
    if request.method == "POST":
        if request.POST.get("action") == "offer":
            form = OfferForm(request.POST)
            status = 400
            if form.is_valid() and form.cleaned_data["challenge"]:
                challenge = Challenge.objects.filter(pk=form.cleaned_data["challenge"]).first()
                agent = (
                    FreeAgent.objects.select_related("user")
                    .filter(pk=form.cleaned_data["agent"])
                    .first()
                )
                if challenge is None or agent is None:
                    raise Http404
                status = attempt(
                    form, lambda data: services.offer(by=user, challenge=challenge, agent=agent)
                )
                if status == DONE:
                    messages.success(
                        request,
                        _("A seat of “%(title)s” is offered to %(name)s.")
                        % {"title": challenge.title, "name": agent.user.name},
                    )
            context["form"] = form if form.errors else None
        made = planning.make_plan()
        context.update(
            {
                "asked": True,
                "rows": _plan_rows(made),
                "placements": len(made.placements),
                "total_match": made.total_match,
                "shown": min(len(made.placements), PLAN_SHOWN),
            }
        )
    return render(request, "talent/plan.html", context, status=status)


# --- The workforce ----------------------------------------------------------------------------


def _groups(groups: list[dict[str, Any]], label: Any) -> list[dict[str, Any]]:
    return [
        {"label": label(group), "n": group["n"], "suppressed": group["suppressed"]}
        for group in groups
    ]


@login_required
def workforce_figures(request: HttpRequest) -> HttpResponse:
    """The latest count: totals, who the agents are, whether they stay, the skills asked for
    against those held. Groups of fewer than 5 people are not shown."""
    user = signed_in(request)
    _allowed(user, "talent.view_workforce")
    snapshot = workforce.latest()
    context: dict[str, Any] = {"snapshot": snapshot, "small_group": SMALL_GROUP}
    if snapshot is not None:
        figures = snapshot.figures
        genders = dict(Gender.choices)
        context.update(
            {
                "totals": figures.get("totals", {}),
                "gender": _groups(
                    figures.get("gender", []),
                    lambda g: genders.get(g["key"], g["key"]) if g["key"] else _("Not given"),
                ),
                "grade": _groups(figures.get("grade", []), lambda g: g["key"] or _("Not given")),
                "ministry": _groups(
                    figures.get("ministry", []), lambda g: g.get("name") or _("Not given")
                ),
                "retention": figures.get("retention", []),
                "skills": figures.get("skills", []),
            }
        )
    return render(request, "talent/workforce.html", context)


@login_required
@require_POST
def workforce_count(request: HttpRequest) -> HttpResponse:
    """Count the figures again now (the worker does; it takes a moment)."""
    _allowed(signed_in(request), "talent.view_workforce")
    workforce.count_again.enqueue()
    messages.success(
        request, _("Counting. The new figures are here in a minute or two: reload the page.")
    )
    return redirect("talent:workforce")
