"""The officers' pages of citizen engagement: thin views over `services.py`, the selectors
and the rules. Every page works without JavaScript; a write redirects after success, and a
refusal comes back beside the field it names with what was typed kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.core.forms import write_with
from innohub.core.http import found
from innohub.core.pagination import paginate
from innohub.orgs.selectors import organisation_for_page

from . import kpis, selectors, services
from .forms import (
    ConsultationEditForm,
    ConsultationForm,
    EvidenceForm,
    FindingForm,
    OfficerContributionForm,
    ResponseForm,
)
from .models import CHANNELS, Channel, Consultation, Contribution, Finding


def _consultation(pk: int) -> Consultation:
    return found(selectors.consultation_detail(pk))


def _require(request: HttpRequest, perm: str, obj: Any = None) -> Any:
    user = signed_in(request)
    if not user.has_perm(perm, obj):
        raise PermissionDenied
    return user


def _choice(contribution: Contribution) -> tuple[int, str]:
    return contribution.pk, f"{contribution.text[:160]} ({contribution.get_channel_display()})"


def channel_chart(figures: dict[str, Any]) -> dict[str, Any]:
    """The reach by channel, for static/js/pipeline/charts.js (the table beside it holds the
    same numbers)."""
    labels = dict(Channel.choices)
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [str(labels[channel]) for channel in CHANNELS],
        "values": [figures["by_channel"][channel] for channel in CHANNELS],
        "series": str(_("Contributions")),
    }


def channel_rows(figures: dict[str, Any]) -> list[tuple[str, int]]:
    return [(str(label), figures["by_channel"][channel]) for channel, label in Channel.choices]


def area_chart(areas: list[Any]) -> dict[str, Any]:
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [row.area.name for row in areas],
        "values": [row.contributions for row in areas],
        "series": str(_("Contributions")),
    }


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    profile = getattr(user, "profile", None)
    organisation = getattr(profile, "organisation", None)
    context = {
        "pager": paginate(request, selectors.consultation_list()),
        "may_create": (
            organisation is not None and user.has_perm("engagement.add_consultation", organisation)
        )
        or user.has_perm("engagement.add_consultation", None),
        "organisation": organisation,
    }
    return render(request, "engagement/consultation_list.html", context)


@login_required
def consultation_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made: list[Consultation] = []
        if write_with(
            form, lambda data: made.append(services.create_consultation(by=user, **data))
        ):
            messages.success(request, _("The consultation is ready. Share its public page."))
            return redirect("engagement:consultation_detail", made[0].pk)
    return render(request, "engagement/consultation_new.html", {"form": form})


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change what a consultation asks, its dates, channels, service and retention."""
    user = signed_in(request)
    consultation = _consultation(pk)
    _require(request, "engagement.change_consultation", consultation)
    initial = {
        "title": consultation.title,
        "question": consultation.question,
        "service": consultation.service_id,
        "opens_on": consultation.opens_on,
        "closes_on": consultation.closes_on,
        "channels": consultation.channels,
        "retention_days": consultation.retention_days,
    }
    form = ConsultationEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and write_with(
            form,
            lambda data: services.update_consultation(by=user, consultation=consultation, **data),
        )
    ):
        messages.success(request, _("The consultation is changed."))
        return redirect("engagement:consultation_detail", consultation.pk)
    context = {"form": form, "consultation": consultation}
    return render(request, "engagement/consultation_edit.html", context)


def _detail(request: HttpRequest, consultation: Consultation, **forms: Any) -> HttpResponse:
    user = signed_in(request)
    may_run = user.has_perm("engagement.view_contribution", consultation)
    figures = kpis.figures(consultation)
    areas = selectors.areas_reached(consultation)
    context: dict[str, Any] = {
        "consultation": consultation,
        "may_run": may_run,
        "figures": figures,
        "channel_rows": channel_rows(figures),
        "areas": areas,
        "channel_chart": channel_chart(figures),
        "area_chart": area_chart(areas),
        "findings": selectors.findings_of(consultation),
    }
    if may_run:
        unfiled = selectors.contribution_list(consultation, unfiled=True)
        pager = paginate(request, unfiled)
        context |= {
            "pager": pager,
            "suggestions": selectors.suggested_findings(consultation)[:10],
            "entry_form": forms.get("entry_form")
            or OfficerContributionForm(consultation=consultation),
            "finding_form": forms.get("finding_form")
            or FindingForm(choices=[_choice(row) for row in pager["page"].object_list]),
        }
    return render(request, "engagement/consultation_detail.html", context)


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _consultation(pk))


@login_required
@require_POST
def contribution_new(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    user = _require(request, "engagement.add_contribution", consultation)
    form = OfficerContributionForm(request.POST, consultation=consultation)
    if form.is_valid() and write_with(
        form,
        lambda data: services.contribute(consultation=consultation, by=user, **data),
    ):
        messages.success(request, _("The citizen's words are recorded."))
        return redirect("engagement:consultation_detail", consultation.pk)
    return _detail(request, consultation, entry_form=form)


@login_required
@require_POST
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    user = _require(request, "engagement.add_finding", consultation)
    ids = [value for value in request.POST.getlist("contributions") if value.isdigit()]
    rows = Contribution.objects.filter(consultation=consultation, pk__in=ids[:1000])
    form = FindingForm(request.POST, choices=[_choice(row) for row in rows])
    made: list[Finding] = []
    if form.is_valid() and write_with(
        form,
        lambda data: made.append(
            services.create_finding(
                by=user,
                consultation=consultation,
                title=data["title"],
                contributions=data["contributions"],
            )
        ),
    ):
        messages.success(request, _("The finding is written. Now record what was done."))
        return redirect("engagement:finding_detail", made[0].pk)
    return _detail(request, consultation, finding_form=form)


def _finding_page(request: HttpRequest, finding: Finding, **forms: Any) -> HttpResponse:
    consultation = finding.consultation
    _require(request, "engagement.view_contribution", consultation)
    suggested = selectors.suggested_evidence(finding)
    context = {
        "finding": finding,
        "consultation": consultation,
        "evidence": list(finding.evidence.select_related("area").order_by("-id")[:200]),
        "responses": list(finding.responses.select_related("pilot").order_by("responded_on")),
        "response_form": forms.get("response_form") or ResponseForm(),
        "evidence_form": forms.get("evidence_form")
        or EvidenceForm(choices=[_choice(row) for row in suggested]),
        "suggested": suggested,
    }
    return render(request, "engagement/finding_detail.html", context)


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _finding_page(request, found(selectors.finding_detail(pk)))


@login_required
@require_POST
def response_new(request: HttpRequest, pk: int) -> HttpResponse:
    finding = found(selectors.finding_detail(pk))
    user = _require(request, "engagement.add_response", finding.consultation)
    form = ResponseForm(request.POST)
    if form.is_valid() and write_with(
        form, lambda data: services.respond(by=user, finding=finding, **data)
    ):
        messages.success(request, _("What was done is recorded, and shown on the public page."))
        return redirect("engagement:finding_detail", finding.pk)
    return _finding_page(request, finding, response_form=form)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    finding = found(selectors.finding_detail(pk))
    user = _require(request, "engagement.add_finding", finding.consultation)
    ids = [value for value in request.POST.getlist("contributions") if value.isdigit()]
    rows = Contribution.objects.filter(consultation=finding.consultation, pk__in=ids[:1000])
    form = EvidenceForm(request.POST, choices=[_choice(row) for row in rows])
    if form.is_valid() and write_with(
        form,
        lambda data: services.add_evidence(
            by=user, finding=finding, contributions=data["contributions"]
        ),
    ):
        messages.success(request, _("The evidence is added."))
        return redirect("engagement:finding_detail", finding.pk)
    return _finding_page(request, finding, evidence_form=form)


@login_required
def organisation_kpis(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's engagement, its tree below included: from its roll-up row."""
    organisation = found(organisation_for_page(pk))
    figures = selectors.organisation_figures(organisation)
    context = {
        "organisation": organisation,
        "figures": figures,
        "channel_rows": channel_rows(figures),
        "channel_chart": channel_chart(figures),
        "area_chart": area_chart(figures["areas"]),
        "pager": paginate(request, selectors.consultation_list(organisation=organisation)),
    }
    return render(request, "engagement/organisation_kpis.html", context)
