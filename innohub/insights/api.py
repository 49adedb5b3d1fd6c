"""API router of the national figures (`/stats/funnel`, `/stats/funnel/monthly`) and the
action plans (`/action-plans`) and the monthly reviews (`/reports`), and
the open data (`/open-data.zip`); wired into innohub/api/main.py. The contract is
docs/api.md, "Insights"."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from innohub.accounts.auth import signed_in
from innohub.api.errors import CREATE_ERRORS, ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.core.http import found
from innohub.geo.selectors import resolve_area_filter
from innohub.orgs.selectors import organisation_from_ref

from . import open_data, plans, reports, selectors
from .models import ActionPlan, MonthlyReport
from .schemas import (
    ActionPlanIn,
    ActionPlanOut,
    FunnelMonthOut,
    KpiActualIn,
    KpiId,
    KpiOut,
    MonthlyFilters,
    NationalFunnelOut,
    PlaceFilters,
    PlanFilters,
    PlanId,
    RankedPlanOut,
    RankingFilters,
    ReportFilters,
    ReportId,
    ReportIn,
    ReportOut,
    ReportQueuedOut,
    ScoreMonthOut,
    ScoreOut,
)

router = Router(tags=["insights"])
MONTHS_MAX = 240


def _place(filters: PlaceFilters) -> dict[str, Any]:
    return {
        "organisation": organisation_from_ref("organisation", filters.organisation),
        "area": resolve_area_filter("area", filters.area),
    }


def _first_day(text: str) -> datetime.date:
    return datetime.date(int(text[:4]), int(text[5:7]), 1)


@router.get("/stats/funnel", response={200: NationalFunnelOut, **READ_ERRORS}, summary="The funnel")
def funnel(request: HttpRequest, filters: Query[PlaceFilters]) -> Any:
    """trained → ideas → pilots → replicated → scaled → citizens reached, with budget and
    spending, for the nation or below an organisation and/or an area. Pilots count by their
    own organisation and area, ideas by their proposer's, trained people by theirs when they
    completed."""
    return selectors.funnel(**_place(filters))


@router.get(
    "/stats/funnel/monthly",
    response={200: list[FunnelMonthOut], **READ_ERRORS},
    summary="The funnel, month by month",
)
def monthly(request: HttpRequest, filters: Query[MonthlyFilters]) -> Any:
    """What happened in each month (by the date of each event), months with nothing as
    zeros; at most 240 months."""
    end = _first_day(filters.to) if filters.to else timezone.localdate().replace(day=1)
    start = _first_day(filters.from_) if filters.from_ else selectors.months_back(end, 12)
    if start > end:
        raise ValidationError({"from": _("The first month comes on or before the last.")})
    if len(selectors.months_between(start, end)) > MONTHS_MAX:
        raise ValidationError(
            {"from": _("Ask for at most %(max)s months at a time.") % {"max": MONTHS_MAX}}
        )
    return selectors.monthly(start=start, end=end, **_place(filters))


# --- Action plans ----------------------------------------------------------------------------


def _plan(pk: int) -> ActionPlan:
    return found(selectors.plan_detail(pk))


@router.get(
    "/action-plans", response={200: list[ActionPlanOut], **READ_ERRORS}, summary="Action plans"
)
@paginate(PageNumber, prepare=plans.attach_scores)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> Any:
    """The latest period first; each KPI's `actual` as of today (computed, or entered)."""
    return selectors.plan_list(
        organisation=organisation_from_ref("organisation", filters.organisation),
        starts_on=filters.starts_on,
    )


@router.post(
    "/action-plans", response={201: ActionPlanOut, **CREATE_ERRORS}, summary="Write a plan"
)
def create_plan(request: HttpRequest, payload: ActionPlanIn) -> Any:
    """Programme managers and administrators. Weights sum to exactly 100 (else 422 naming
    `kpis`); every target is more than 0; `ends_on` is on or after `starts_on`."""
    organisation = organisation_from_ref("organisation", payload.organisation)
    assert organisation is not None
    plan = plans.create_plan(
        by=signed_in(request),
        organisation=organisation,
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        kpis=[kpi.dict() for kpi in payload.kpis],
    )
    return Status(201, _plan(plan.pk))


@router.get(
    "/action-plans/ranking",
    response={200: list[RankedPlanOut], **READ_ERRORS},
    summary="Ranking of a period",
)
def ranking(request: HttpRequest, filters: Query[RankingFilters]) -> Any:
    """The plans starting on `starts_on`, highest score first; equal scores share a rank."""
    return plans.ranking(list(selectors.plan_list(starts_on=filters.starts_on)[: plans.RANKED_MAX]))


@router.get(
    "/action-plans/{plan_id}", response={200: ActionPlanOut, **ONE_ERRORS}, summary="One plan"
)
def get_plan(request: HttpRequest, plan_id: PlanId) -> Any:
    return _plan(plan_id)


@router.get(
    "/action-plans/{plan_id}/score",
    response={200: ScoreOut, **ONE_ERRORS},
    summary="A plan's score out of 100",
)
def plan_score(request: HttpRequest, plan_id: PlanId) -> Any:
    """As of today: each KPI's achievement (capped at 100 per cent) times its weight."""
    return plans.scored(_plan(plan_id))


@router.get(
    "/action-plans/{plan_id}/trend",
    response={200: list[ScoreMonthOut], **ONE_ERRORS},
    summary="A plan's score month by month",
)
def plan_trend(request: HttpRequest, plan_id: PlanId) -> Any:
    """The score as of the end of each month of the plan, up to today."""
    return plans.trend(_plan(plan_id))


@router.put(
    "/action-plans/{plan_id}/kpis/{kpi_id}",
    response={200: KpiOut, **WRITE_ERRORS, 409: ErrorOut},
    summary="Enter a manual KPI's actual",
)
def set_actual(request: HttpRequest, plan_id: PlanId, kpi_id: KpiId, payload: KpiActualIn) -> Any:
    """Programme managers, administrators and the organisation's innovation team; only a
    `manual` KPI (409 otherwise)."""
    plan = _plan(plan_id)
    kpi = found(selectors.kpi_of(plan, kpi_id))
    plans.set_actual(
        by=signed_in(request), kpi=kpi, actual=payload.actual, evidence=payload.evidence
    )
    fresh = _plan(plan_id)
    return next(row for row in plans.scored(fresh)["kpis"] if row["id"] == kpi_id)


# --- Monthly reviews ---------------------------------------------------------------------------


def _report(request: HttpRequest, pk: int) -> MonthlyReport:
    return found(selectors.report_detail(signed_in(request), pk))


@router.post(
    "/reports/monthly",
    response={202: ReportQueuedOut, **CREATE_ERRORS},
    summary="Ask for a monthly review",
)
def ask_for_report(request: HttpRequest, payload: ReportIn) -> Any:
    """Programme managers, administrators and senior reviewers, for any organisation or the
    nation (no `organisation`); an innovation team, for its own organisation. The worker
    makes it; follow it at `/reports/{id}`."""
    user = signed_in(request)
    organisation = organisation_from_ref("organisation", payload.organisation)
    if not user.has_perm("insights.add_monthlyreport", organisation):
        raise PermissionDenied(_("You may not ask for this organisation's review."))
    report = reports.queue_report(
        by=user,
        organisation=organisation,
        month=_first_day(payload.month),
        language=translation.get_language() or "",
    )
    return Status(202, {"report": report.pk})


@router.get("/reports", response={200: list[ReportOut], **READ_ERRORS}, summary="Monthly reviews")
@paginate(PageNumber)
def list_reports(request: HttpRequest, filters: Query[ReportFilters]) -> Any:
    """The reviews this person may read (the archive), newest month first."""
    return selectors.reports_for(
        signed_in(request),
        organisation=organisation_from_ref("organisation", filters.organisation),
        month=_first_day(filters.month) if filters.month else None,
    )


@router.get("/reports/{report_id}", response={200: ReportOut, **ONE_ERRORS}, summary="A review")
def get_report(request: HttpRequest, report_id: ReportId) -> Any:
    """`pdf` and `xlsx` are download addresses once it is `done`."""
    return _report(request, report_id)


def _file(request: HttpRequest, report_id: int, kind: str) -> Any:
    response = reports.file_response(_report(request, report_id), kind)
    if response is None:
        raise Http404(_("The review is not made yet."))
    return response


@router.get(
    "/reports/{report_id}/report.pdf",
    response={200: None, **ONE_ERRORS},
    summary="A review as PDF",
    url_name="report_pdf",
    openapi_extra={
        "responses": {200: {"description": "A PDF", "content": {"application/pdf": {}}}}
    },
)
def report_pdf(request: HttpRequest, report_id: ReportId) -> Any:
    return _file(request, report_id, "pdf")


@router.get(
    "/reports/{report_id}/report.xlsx",
    response={200: None, **ONE_ERRORS},
    summary="A review as a spreadsheet",
    url_name="report_xlsx",
    openapi_extra={
        "responses": {
            200: {"description": "A spreadsheet", "content": {reports.CONTENT_TYPES["xlsx"]: {}}}
        }
    },
)
def report_xlsx(request: HttpRequest, report_id: ReportId) -> Any:
    return _file(request, report_id, "xlsx")


# --- Open data ---------------------------------------------------------------------------------


@router.get(
    "/open-data.zip",
    auth=None,
    url_name="open_data",
    summary="Open data: a Frictionless Data Package",
    response={200: None},
    openapi_extra={
        "security": [],
        "responses": {
            200: {"description": "A ZIP of CSV files", "content": {"application/zip": {}}}
        },
    },
)
def open_data_package(request: HttpRequest) -> StreamingHttpResponse:
    """Public: `datapackage.json` and `services.csv`, `tcv.csv`, `pilots.csv`, `funnel.csv`,
    streamed as they are written. No personal data; groups of fewer than 5 journeys are
    kept with their figures left empty and `suppressed` true."""
    response = StreamingHttpResponse(open_data.package(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="innohub-open-data.zip"'
    response["Cache-Control"] = "no-store"
    return response
