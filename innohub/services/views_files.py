"""Pages to import journeys from a file, follow a background import, and export journeys.

Thin views: the importer, the task and the exporter do the work. Everything works without
JavaScript; a background import's page is refreshed by following its link.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innohub.accounts.auth import signed_in
from innohub.core.jobs import JobStatus
from innohub.core.models import MAX_ID
from innohub.core.text import nul_message

from . import downloads, exporter, selectors
from .importer import MAX_ROWS_IN_REQUEST, file_too_large, import_journeys
from .models import ImportStatus, JourneyExport
from .tasks import queue_journey_import


class JourneyFileForm(forms.Form):
    file = forms.FileField(
        label=_("Journey file"),
        help_text=_("A CSV (UTF-8) or XLSX file, one row per step, with the header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Choose a .csv or .xlsx file."))
        if problem := file_too_large(upload.size):
            raise ValidationError(problem)
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[("csv", _("CSV (UTF-8)")), ("xlsx", _("Excel workbook (XLSX)"))],
        initial="csv",
        widget=forms.RadioSelect,
    )
    service = forms.IntegerField(
        label=_("Service id"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Leave empty for every service."),
    )
    area = forms.CharField(
        label=_("Area code"),
        required=False,
        max_length=32,
        help_text=_("For example BD-13; includes everything below it. Empty for everywhere."),
    )

    def clean_area(self) -> str:
        area = self.cleaned_data["area"].strip()
        if "\x00" in area:
            raise ValidationError(nul_message())
        return area


@login_required
def journey_import(request: HttpRequest) -> HttpResponse:
    """Upload a file: small ones are imported at once (or their errors listed), large ones
    are queued and followed on their own page."""
    user = signed_in(request)
    if not user.has_perm("services.add_journey"):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        form = JourneyFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            source, name = upload.file, upload.name.replace("\x00", "")
            result = import_journeys(
                source=source, by=user, file_name=name, max_rows=MAX_ROWS_IN_REQUEST
            )
            if result.over_max_rows:  # a large file: in the background
                job = queue_journey_import(by=user, source=source, file_name=name)
                return redirect("journey_files:import_progress", pk=job.pk)
            if not result.errors:
                form = JourneyFileForm()
    else:
        form = JourneyFileForm()
    return render(
        request,
        "services/import.html",
        {
            "form": form,
            "result": result,
            "max_rows": number_format(MAX_ROWS_IN_REQUEST, force_grouping=True),
            "max_size": filesizeformat(settings.IMPORT_MAX_BYTES),
        },
    )


@login_required
def journey_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.journey_import_for(import_id=pk, user=request.user)
    if job is None:
        raise Http404
    return render(
        request,
        "services/import_progress.html",
        {
            "job": job,
            "finished": job.status in (ImportStatus.DONE, ImportStatus.FAILED),
        },
    )


@login_required
def journey_export(request: HttpRequest) -> HttpResponseBase:
    """The export form; submitted (a GET with `format`), the file itself, or — when it is
    large — the page that follows the worker building it."""
    user = signed_in(request)
    if "format" not in request.GET:
        return render(request, "services/import_export.html", _export_context(ExportForm()))
    form = ExportForm(request.GET)
    if form.is_valid():
        try:
            answer = downloads.export_or_queue(
                user=user,
                fmt=form.cleaned_data["format"],
                service=form.cleaned_data["service"],
                area=form.cleaned_data["area"] or None,
            )
            if isinstance(answer, JourneyExport):
                return redirect("journey_files:export_progress", pk=answer.pk)
            return answer
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
    if not form.errors:  # pragma: no cover - a valid form either answers or gains errors
        form.add_error(None, gettext("The export could not be made."))
    return render(request, "services/import_export.html", _export_context(form))


def _export_context(form: ExportForm) -> dict[str, Any]:
    return {
        "form": form,
        "max_rows": number_format(exporter.MAX_ROWS_DIRECT, force_grouping=True),
        "days": settings.JOB_FILE_DAYS,
    }


@login_required
def journey_export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A large export being built: its progress, then its download (or why it failed)."""
    job = selectors.journey_export_for(export_id=pk, user=request.user)
    if job is None:
        raise Http404
    expired = job.status == JobStatus.DONE and not job.downloadable
    return render(
        request,
        "services/export_progress.html",
        {"job": job, "expired": expired},
        status=410 if expired else 200,
    )


@login_required
def journey_export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = selectors.journey_export_for(export_id=pk, user=request.user)
    if job is None:
        raise Http404
    response = downloads.export_file_response(job)
    if response is None:  # not ready, or expired: its page says which
        return redirect("journey_files:export_progress", pk=job.pk)
    return response
