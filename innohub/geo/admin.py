"""Admin for areas, with the CSV import."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import AreaImportForm
from .importer import import_areas_csv
from .models import Area


class NulFreeSearch:
    """PostgreSQL refuses text with NUL (a 500 from the autocomplete): search without it."""

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        return super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term.replace("\x00", "")
        )


@admin.register(Area)
class AreaAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("code", "name", "name_local", "level", "parent", "population")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_local")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    ordering = ("path",)
    list_per_page = 50
    fields = (
        "code",
        "name",
        "name_local",
        "level",
        "parent",
        "population",
        "hourly_wage",
        "wage_currency",
    )
    change_list_template = "geo/admin/area_change_list.html"

    def may_import(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="geo_area_import_csv",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        extra_context = {**(extra_context or {}), "may_import": self.may_import(request)}
        return super().changelist_view(request, extra_context)

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → all-or-nothing import → the counts, or a table of every bad row."""
        if not self.may_import(request):
            raise PermissionDenied
        result = None
        posted = request.method == "POST"
        form = AreaImportForm(request.POST, request.FILES) if posted else AreaImportForm()
        if posted and form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_areas_csv(file=upload.file, by=request.user, file_name=upload.name)  # type: ignore[arg-type]
            if result.ok:
                self.message_user(
                    request,
                    _(
                        "Areas imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:geo_area_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import areas from CSV"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "geo/admin/area_import.html", context)
