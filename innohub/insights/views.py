"""The national dashboard: the funnel for the nation or below an organisation and an area,
its children one level down (drill-down), and the last twelve months — each a chart with
its table, read from the roll-ups through `selectors.py`. The action plans: the ranking of
a period, a plan's score KPI by KPI with its trend, writing a plan, entering manual actuals."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.core.forms import write_with
from innohub.core.http import found
from innohub.core.jobs import ACTIVE
from innohub.core.pagination import paginate

from . import open_data, plans, reports, selectors
from .forms import (
    ActionPlanForm,
    ActualForm,
    PeriodForm,
    PlaceForm,
    ReviewAskForm,
    ReviewFilterForm,
)
from .models import ActionPlan, Measure

STEPS = [
    ("trained", _("Trained")),
    ("ideas", _("Ideas")),
    ("pilots", _("Pilots")),
    ("completed", _("Completed pilots")),
    ("replicated", _("Replicated")),
    ("scaled", _("Scaled up")),
]
MONTHS = 12


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.GET or None)
    place: dict[str, Any] = {"organisation": None, "area": None}
    if form.is_bound and form.is_valid():
        place = {
            "organisation": form.cleaned_data["organisation"],
            "area": form.cleaned_data["area"],
        }
    funnel = selectors.funnel(**place)
    end = timezone.localdate().replace(day=1)
    start = selectors.months_back(end, MONTHS)
    months = selectors.monthly(start=start, end=end, **place)
    context = {
        "form": form,
        "place": place,
        "funnel": funnel,
        "steps": [(key, label, funnel[key]) for key, label in STEPS],
        "funnel_chart": {
            "type": "bar",
            "horizontal": True,
            "labels": [str(label) for _key, label in STEPS],
            "values": [funnel[key] for key, _label in STEPS],
            "series": str(_("Count")),
        },
        "months": months,
        "trend_chart": {
            "type": "line",
            "labels": [f"{row['month']:%Y-%m}" for row in months],
            "values": [row["pilots_started"] for row in months],
            "series": str(_("Pilots started")),
        },
        "children": selectors.children(**place),
    }
    return render(request, "insights/dashboard.html", context)


# --- Action plans ----------------------------------------------------------------------------


def _may(request: HttpRequest, perm: str, plan: ActionPlan | None = None) -> User:
    user = signed_in(request)
    if not user.has_perm(perm, plan):
        raise PermissionDenied
    return user


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The ranking of one period (the latest by default): every plan starting that day,
    highest score first, with its score as a bar and a number."""
    periods = selectors.plan_periods()
    form = PeriodForm(request.GET or None, periods=periods)
    chosen = periods[0] if periods else None
    if form.is_bound and form.is_valid() and form.cleaned_data["starts_on"]:
        chosen = datetime.date.fromisoformat(form.cleaned_data["starts_on"])
    ranked = (
        plans.ranking(list(selectors.plan_list(starts_on=chosen)[: plans.RANKED_MAX]))
        if chosen
        else []
    )
    context = {
        "form": form,
        "period": chosen,
        "ranked": ranked,
        "ranking_chart": {
            "type": "bar",
            "horizontal": True,
            "labels": [row["organisation_name"] for row in ranked],
            "values": [float(row["score"]) for row in ranked],
            "series": str(_("Score out of 100")),
        },
        "may_add": signed_in(request).has_perm("insights.add_actionplan"),
    }
    return render(request, "insights/plan_list.html", context)


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    user = _may(request, "insights.add_actionplan")
    form = ActionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.create_plan(
                by=user,
                organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                kpis=form.kpis(),
            )
        except ValidationError as error:
            for key, found in error.message_dict.items():
                for message in found:
                    form.add_domain_error(key, message)
        else:
            messages.success(request, _("The plan is written. Its score is computed as it goes."))
            return redirect("insights:plan_detail", plan.pk)
    return render(request, "insights/plan_new.html", {"form": form})


def _plan_page(
    request: HttpRequest, plan: ActionPlan, forms: dict[int, ActualForm]
) -> HttpResponse:
    user = signed_in(request)
    scored = plans.scored(plan)
    trend = plans.trend(plan)
    may_enter = user.has_perm("insights.change_actionplan", plan)
    rows = [
        {
            **row,
            "form": forms.get(row["id"])
            or ActualForm(
                initial={
                    "actual": row["actual"] if row["actual"] else None,
                    "evidence": row["evidence"],
                },
                prefix=f"kpi-{row['id']}",
            ),
        }
        for row in scored["kpis"]
    ]
    context = {
        "plan": plan,
        "score": scored["score"],
        "rows": rows,
        "manual": Measure.MANUAL,
        "measures": dict(Measure.choices),
        "may_enter": may_enter,
        "trend": trend,
        "trend_chart": {
            "type": "line",
            "labels": [f"{row['month']:%Y-%m}" for row in trend],
            "values": [float(row["score"]) for row in trend],
            "series": str(_("Score out of 100")),
        },
    }
    return render(request, "insights/plan_detail.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, found(selectors.plan_detail(pk)), {})


@login_required
@require_POST
def kpi_actual(request: HttpRequest, pk: int, kpi_id: int) -> HttpResponse:
    plan = found(selectors.plan_detail(pk))
    kpi = found(selectors.kpi_of(plan, kpi_id))
    user = _may(request, "insights.change_actionplan", plan)
    form = ActualForm(request.POST, prefix=f"kpi-{kpi.pk}")
    if form.is_valid() and write_with(
        form, lambda data: plans.set_actual(by=user, kpi=kpi, **data)
    ):
        messages.success(request, _("The figure and its evidence are saved."))
        return redirect("insights:plan_detail", plan.pk)
    return _plan_page(request, plan, {kpi.pk: form})


# --- Monthly reviews ---------------------------------------------------------------------------


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """The archive: the reviews this person may read, newest month first, by organisation
    and month; and, for those who may, a form to ask for one."""
    user = signed_in(request)
    filters = ReviewFilterForm(request.GET or None)
    chosen: dict[str, Any] = {"organisation": None, "month": None}
    if filters.is_bound and filters.is_valid():
        chosen = {key: filters.cleaned_data[key] for key in chosen}
    ask = ReviewAskForm(
        request.POST or None,
        initial={
            "organisation": chosen["organisation"],
            "month": previous_month_of(timezone.localdate()),
        },
    )
    if request.method == "POST" and ask.is_valid():
        organisation = ask.cleaned_data["organisation"]
        if not user.has_perm("insights.add_monthlyreport", organisation):
            raise PermissionDenied
        report = reports.queue_report(
            by=user,
            organisation=organisation,
            month=ask.cleaned_data["month"],
            language=translation.get_language() or "",
        )
        messages.success(
            request, _("The review is being made. This page shows it when it is ready.")
        )
        return redirect("insights:review_detail", report.pk)
    context = {
        "filters": filters,
        "ask": ask,
        "may_ask": user.has_perm("insights.add_monthlyreport", chosen["organisation"])
        or user.has_perm("insights.add_monthlyreport", None)
        or selectors.serves_any_organisation(user),
        "pager": paginate(request, selectors.reports_for(user, **chosen)),
    }
    return render(request, "insights/review_list.html", context)


def previous_month_of(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = found(selectors.report_detail(signed_in(request), pk))
    context: dict[str, Any] = {"report": report, "waiting": report.status in ACTIVE}
    if report.downloadable and report.figures:
        context.update(reports.context(report.figures))
    return render(request, "insights/review_detail.html", context)


@login_required
def review_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    report = found(selectors.report_detail(signed_in(request), pk))
    response = reports.file_response(report, kind) if kind in reports.CONTENT_TYPES else None
    if response is None:
        raise Http404
    return response


# --- Open data ---------------------------------------------------------------------------------


def open_data_page(request: HttpRequest) -> HttpResponse:
    """Public: what the open data holds, field by field (the data dictionary), its licence,
    what is left out for privacy, and the download."""
    fields = open_data.schemas()
    context = {
        "resources": [
            {"name": name, "file": f"{name}.csv", "fields": resource_fields}
            for name, resource_fields in fields.items()
        ],
        "license": open_data.license_of(),
        "suppress_below": open_data.SUPPRESS_BELOW,
    }
    return render(request, "insights/open_data.html", context)
