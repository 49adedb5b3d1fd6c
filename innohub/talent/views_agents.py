"""The programme's free agents: the list (for those who choose among agents), making someone
a free agent (programme managers), and one agent's page — the challenges that fit them,
explained, and their assignments. Thin, as `views.py`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innohub.accounts.auth import signed_in
from innohub.core.pagination import paginate

from . import selectors, services
from .forms import EVERY, AgentFilterForm, MakeAgentForm
from .models import AgentStatus, FreeAgent
from .views_people import agent_context
from .views_shared import DONE, attempt


@login_required
@require_http_methods(["GET", "POST"])
def agent_list(request: HttpRequest) -> HttpResponse:
    """Free agents, newest first, filtered by status (available by default) and the day they
    are free by; programme managers make someone a free agent here."""
    user = signed_in(request)
    if not selectors.sees_every_agent(user):
        raise PermissionDenied
    may_make = user.has_perm("talent.add_freeagent")
    make_form = MakeAgentForm(request.POST or None, prefix="make")
    status = 200
    if request.method == "POST":
        if not may_make:
            raise PermissionDenied
        if make_form.is_valid():
            status = attempt(
                make_form,
                lambda data: services.make_agent(
                    by=user, person=data["username"], available_from=data["available_from"]
                ),
                rename={"user": "username"},
            )
            if status == DONE:
                messages.success(
                    request,
                    _("%(name)s is a free agent.")
                    % {"name": make_form.cleaned_data["username"].name},
                )
                return redirect("talent:agent_list")
        else:
            status = 400
    filters = AgentFilterForm(request.GET or {"status": AgentStatus.AVAILABLE})
    chosen: dict[str, Any] = (
        filters.cleaned_data if filters.is_valid() else {"status": AgentStatus.AVAILABLE}
    )
    agents = selectors.agents_for(
        user,
        status=None if chosen.get("status") in (EVERY, "", None) else chosen["status"],
        available_by=chosen.get("available_by"),
    ).select_related("user__profile__organisation", "home_organisation")
    return render(
        request,
        "talent/agent_list.html",
        {
            "filters": filters,
            "pager": paginate(request, agents),
            "make_form": make_form if may_make else None,
            "form": make_form,
        },
        status=status,
    )


@login_required
def agent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One free agent, for the agent and the programme's managers (their own page is
    `talent:me`, where they act)."""
    user = signed_in(request)
    agent = FreeAgent.objects.select_related("user", "home_organisation").filter(pk=pk).first()
    if agent is None:
        raise Http404
    if not user.has_perm("talent.view_freeagent", agent):
        raise PermissionDenied
    if agent.user_id == user.pk:
        return redirect(reverse("talent:me"))
    return render(
        request,
        "talent/agent_detail.html",
        {"agent": agent, **agent_context(request, agent)},
    )
