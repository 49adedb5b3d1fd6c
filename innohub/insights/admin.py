"""Admin for insights: plans and their KPIs to look up and mend (titles, names, evidence);
the weights, targets and scores follow their rules on the pages and the API, so they are
read-only here. Monthly reviews are jobs: readable; `manage.py jobs` retries or cancels."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from innohub.geo.admin import NulFreeSearch

from .models import ActionPlan, Kpi, MonthFigures, MonthlyReport, NationalMonth, Standing


class KpiInline(admin.TabularInline):
    model = Kpi
    extra = 0
    fields = ("position", "name", "measure", "target", "weight", "actual", "evidence")
    readonly_fields = ("measure", "target", "weight", "actual")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "organisation", "starts_on", "ends_on")
    list_filter = ("starts_on",)
    search_fields = ("title", "organisation__name")
    list_select_related = ("organisation",)
    readonly_fields = ("organisation", "starts_on", "ends_on", "by")
    inlines = [KpiInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written on the page or through the API, where the weights are checked


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("month", "organisation", "status", "by", "created", "finished")
    list_filter = ("status", "month")
    list_select_related = ("organisation", "by")
    readonly_fields = [field.name for field in MonthlyReport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RollUpAdmin(admin.ModelAdmin):
    """Roll-ups, counted again from the records on every write (`manage.py refresh_insights`
    counts them all again): to look at, never to edit."""

    list_select_related = ("organisation", "area")
    search_fields = ("key",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Standing)
class StandingAdmin(RollUpAdmin):
    list_display = ("key", "organisation", "area", "trained", "ideas", "ongoing", "completed")


@admin.register(MonthFigures)
class MonthFiguresAdmin(RollUpAdmin):
    list_display = ("key", "month", "trained", "ideas", "pilots_started", "completed")
    list_filter = ("month",)


@admin.register(NationalMonth)
class NationalMonthAdmin(RollUpAdmin):
    list_display = ("month", "trained", "ideas", "pilots_started", "completed", "scale_ups")


@admin.register(Kpi)
class KpiAdmin(NulFreeSearch, SimpleHistoryAdmin):
    """KPIs to look up (their history shows every actual entered, by whom); mended through
    their plan."""

    list_display = ("name", "plan", "measure", "target", "weight", "actual")
    list_filter = ("measure",)
    search_fields = ("name", "plan__title")
    list_select_related = ("plan",)
    readonly_fields = ("plan", "measure", "target", "weight", "actual")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
