"""Monthly reviews made by the worker (docs/api.md, "Insights": `POST /reports/monthly`).

A `MonthlyReport` is a job of `innohub.core.jobs`: it always ends, and a dead worker's
report is made again (the files are written again under the same names). The worker draws
the figures (`review.figures`), keeps them with the report, and writes them as a PDF
(WeasyPrint, the product's fonts: Bangla is drawn) and as a spreadsheet (openpyxl) into
`REPORT_DIR`, in the language of the person who asked (the deployment's, for the reports
made on the 1st). Reports are kept: they are the cabinet's archive.

On the 1st of each month the worker's schedule (innohub/core/schedule.py) queues the review
of every ministry and the national one for the month before.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task
from openpyxl import Workbook

from innohub.core import jobs, schedule
from innohub.orgs.models import Kind, Organisation
from innohub.pipeline.design_pdf import pdf_of

from . import charts, review
from .models import MonthlyReport

if TYPE_CHECKING:
    from innohub.accounts.models import User

DUTY = "monthly-reviews"


def queue_report(
    *, by: User | None, organisation: Organisation | None, month: datetime.date, language: str = ""
) -> MonthlyReport:
    """Queue the review of `organisation` (the nation when None) for `month`; the worker
    makes it (`make_monthly_report`)."""
    report = MonthlyReport.objects.create(
        by=by,
        organisation=organisation,
        month=month.replace(day=1),
        language=language or settings.LANGUAGE_CODE,
        rows_total=2,
    )
    jobs.enqueue(report)
    return report


@task()
def make_monthly_report(report_id: int) -> str:
    return jobs.run(MonthlyReport, report_id, _make)


def _make(job: MonthlyReport) -> None:
    with translation.override(job.language or settings.LANGUAGE_CODE):
        figures = review.figures(job.organisation, job.month)
        directory = Path(settings.REPORT_DIR) / f"{job.month:%Y-%m}"
        directory.mkdir(parents=True, exist_ok=True)
        pdf_path = directory / job.file_name("pdf")
        xlsx_path = directory / job.file_name("xlsx")
        jobs.report_progress(job, 0, pdf_path=str(pdf_path), xlsx_path=str(xlsx_path))
        _write(pdf_path, pdf_bytes(figures))
        jobs.report_progress(job, 1)
        with xlsx_path.open("wb") as target:
            workbook(figures).save(target)
            target.flush()
            os.fsync(target.fileno())
    jobs.finish(job, ok=True, rows_done=2, figures=figures)


def _write(path: Path, content: bytes) -> None:
    with path.open("wb") as target:
        target.write(content)
        target.flush()
        os.fsync(target.fileno())  # on disk before anyone is told it is there


# --- The documents --------------------------------------------------------------------------


def stage_labels() -> dict[str, str]:
    from innohub.pipeline.models import Status

    return {str(value): str(label) for value, label in Status.choices}


def saved_labels() -> dict[str, str]:
    return {
        "days": _("Citizen-days"),
        "hours": _("Citizen-hours"),
        "cost": _("Money (citizens' costs)"),
        "visits": _("Visits to offices"),
    }


def flow_labels() -> dict[str, str]:
    return {
        "trained": _("People trained"),
        "ideas": _("Ideas"),
        "pilots_started": _("Pilots started"),
        "completed": _("Pilots completed"),
        "replications": _("Replications started"),
        "scale_ups": _("Scale-ups"),
    }


def context(figures: dict[str, Any]) -> dict[str, Any]:
    """What the page and the PDF show of a report's figures: each table's rows in order,
    with labels in the active language."""
    stages = stage_labels()
    month = datetime.date.fromisoformat(f"{figures['month']}-01")
    return {
        "figures": figures,
        "month": month,
        "organisation": figures.get("organisation"),
        "stage_rows": [
            {
                "label": stages[key],
                "now": figures["stages"][key],
                "moved": figures["moves"][key],
                "moved_before": figures["moves_before"][key],
            }
            for key in review.STAGES
        ],
        "flow_rows": [
            {
                "label": label,
                "month": figures["flows"][key],
                "before": figures["flows_before"][key],
            }
            for key, label in flow_labels().items()
        ],
        "saved_rows": [
            {
                "label": label,
                "total": figures["tcv_saved"]["total"][key],
                "month": figures["tcv_saved"]["month"][key],
            }
            for key, label in saved_labels().items()
        ],
        "stalled": [
            {**row, "status_label": stages.get(row["status"], row["status"])}
            for row in figures["stalled"]["pilots"]
        ],
        "stage_chart": charts.bars(
            [stages[key] for key in review.STAGES],
            [figures["stages"][key] for key in review.STAGES],
            title=_("Pilots by stage, as in the table"),
        ),
    }


def pdf_bytes(figures: dict[str, Any]) -> bytes:
    return pdf_of("insights/review_pdf.html", context(figures))


def workbook(figures: dict[str, Any]) -> Workbook:
    """The review as a spreadsheet: a sheet a table, figures as numbers."""
    shown = context(figures)
    book = Workbook(write_only=True)
    place = figures["organisation"]["name"] if figures["organisation"] else _("National")
    summary = book.create_sheet(_("Summary"))
    summary.append([_("Monthly review"), place, figures["month"]])
    if figures["organisation"] and figures["organisation"]["name_local"]:
        summary.append([_("Local name"), figures["organisation"]["name_local"]])
    summary.append([_("Made"), figures["made"]])
    money = figures["money"]
    summary.append([_("Budget of the pilots"), _number(money["budget"]), money["currency"]])
    summary.append([_("Spent"), _number(money["spent"]), money["currency"]])
    for key, value in figures["funnel"].items():
        summary.append([_funnel_label(key), value])
    summary.append([_("Stalled pilots"), figures["stalled"]["count"]])
    stages = book.create_sheet(_("Stages"))
    stages.append([_("Stage"), _("Now"), _("Moved in this month"), _("Moved the month before")])
    for row in shown["stage_rows"]:
        stages.append([row["label"], row["now"], row["moved"], row["moved_before"]])
    flows = book.create_sheet(_("This month"))
    flows.append(["", _("This month"), _("The month before")])
    for row in shown["flow_rows"]:
        flows.append([row["label"], row["month"], row["before"]])
    saved = book.create_sheet(_("TCV saved"))
    saved.append(["", _("All completed pilots, a year"), _("Completed this month, a year")])
    for row in shown["saved_rows"]:
        saved.append([row["label"], _number(row["total"]), _number(row["month"])])
    stalled = book.create_sheet(_("Stalled"))
    stalled.append([_("Pilot"), _("Stage"), _("Organisation"), _("No change since")])
    for row in shown["stalled"]:
        stalled.append([row["title"], row["status_label"], row["organisation"], row["since"]])
    plans = book.create_sheet(_("Action plans"))
    plans.append([_("Organisation"), _("Plan"), _("Score out of 100")])
    for row in figures["plans"]:
        plans.append([row["organisation"], row["title"], _number(row["score"])])
    if "ministries" in figures:
        ministries = book.create_sheet(_("Ministries"))
        ministries.append(
            [_("Ministry"), _("Local name"), _("Trained"), _("Ideas"), _("Pilots"),
             _("Completed pilots"), _("Replicated")]
        )  # fmt: skip
        for row in figures["ministries"]:
            ministries.append(
                [row["name"], row["name_local"], row["trained"], row["ideas"], row["pilots"],
                 row["completed"], row["replicated"]]
            )  # fmt: skip
    return book


def _number(text: str) -> float:
    return float(text)


def _funnel_label(key: str) -> str:
    return {
        "trained": _("Trained"),
        "ideas": _("Ideas"),
        "pilots": _("Pilots"),
        "replicated": _("Replicated"),
        "scaled": _("Scaled up"),
        "citizens_reached": _("Citizens reached"),
    }[key]


# --- The 1st of each month -------------------------------------------------------------------


def queue_month(period: str) -> list[MonthlyReport]:
    """The reviews of every ministry and the national one for `period` ("YYYY-MM")."""
    month = datetime.date.fromisoformat(f"{period}-01")
    made = [queue_report(by=None, organisation=None, month=month)]
    for ministry in Organisation.objects.filter(kind=Kind.MINISTRY).order_by("name", "id"):
        made.append(queue_report(by=None, organisation=ministry, month=month))
    return made


def register_duty() -> None:
    schedule.register(DUTY, due=schedule.previous_month, do=lambda period: queue_month(period))
    jobs.register("monthly-review", MonthlyReport, make_monthly_report)


# --- Downloads --------------------------------------------------------------------------------

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_response(report: MonthlyReport, kind: str) -> FileResponse | None:
    """A finished report's PDF or spreadsheet, or None when there is none yet."""
    path_text = report.pdf_path if kind == "pdf" else report.xlsx_path
    if not report.downloadable or not path_text or not Path(path_text).is_file():
        return None
    return FileResponse(
        Path(path_text).open("rb"),
        as_attachment=kind != "pdf",
        filename=report.file_name(kind),
        content_type=CONTENT_TYPES[kind],
    )
