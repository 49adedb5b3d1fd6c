"""Admin for services, process maps, journeys and their parts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from innohub.geo.admin import NulFreeSearch

from . import totals
from .models import (
    TOTAL_FIELDS,
    Journey,
    JourneyExport,
    JourneyImport,
    JourneyStep,
    MapStep,
    PainPoint,
    ProcessMap,
    Service,
    ServiceChannel,
)

STEP_FIELDS = (
    "position",
    "title",
    "office",
    "actor",
    "documents",
    "elapsed_days",
    "citizen_hours",
    "fees",
    "travel_cost",
    "other_cost",
    "visits",
)


class ServiceChannelInline(admin.TabularInline):
    model = ServiceChannel
    extra = 0


class ProcessMapInline(admin.TabularInline):
    model = ProcessMap
    extra = 0
    fields = ("variant", "notes")
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("name", "organisation", "currency", "annual_volume")
    list_filter = ("currency", "channels__channel")
    search_fields = ("name", "name_local", "organisation__name")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)
    inlines = [ServiceChannelInline, ProcessMapInline]


@admin.register(ServiceChannel)
class ServiceChannelAdmin(NulFreeSearch, admin.ModelAdmin):
    list_display = ("service", "channel")
    list_filter = ("channel",)
    search_fields = ("service__name",)
    autocomplete_fields = ("service",)
    list_select_related = ("service",)


class MapStepInline(admin.TabularInline):
    model = MapStep
    extra = 0
    fields = STEP_FIELDS
    ordering = ("position", "id")


@admin.register(ProcessMap)
class ProcessMapAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("service", "variant", "modified")
    list_filter = ("variant",)
    search_fields = ("service__name",)
    autocomplete_fields = ("service",)
    list_select_related = ("service",)
    inlines = [MapStepInline]


@admin.register(MapStep)
class MapStepAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "process_map", "position", "elapsed_days", "visits")
    list_filter = ("process_map__variant",)
    search_fields = ("title", "office", "process_map__service__name")
    autocomplete_fields = ("process_map",)
    list_select_related = ("process_map__service",)


class JourneyStepInline(admin.TabularInline):
    model = JourneyStep
    extra = 0
    fields = STEP_FIELDS
    ordering = ("position", "id")


@admin.register(Journey)
class JourneyAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("__str__", "service", "area", "observed_on", "method", "status", "observer")
    list_filter = ("status", "method", "observed_on")
    search_fields = ("ref", "service__name", "area__code", "area__name", "observer__username")
    autocomplete_fields = ("service", "area", "observer")
    list_select_related = ("service", "area", "observer")
    date_hierarchy = "observed_on"
    inlines = [JourneyStepInline]
    readonly_fields = TOTAL_FIELDS

    def save_model(self, request: HttpRequest, obj: Journey, form: Any, change: bool) -> None:
        if change:  # a journey moved to another service changes the figures of both
            totals.bump(*Journey.objects.filter(pk=obj.pk).values_list("service_id", flat=True))
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The steps edited inline: the journey's stored TCV follows, in the same transaction.
        super().save_related(request, form, formsets, change)
        totals.refresh(form.instance)

    def delete_model(self, request: HttpRequest, obj: Journey) -> None:
        super().delete_model(request, obj)
        totals.bump(obj.service_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Journey]) -> None:
        with transaction.atomic():  # the list's delete action runs outside one
            services = set(queryset.values_list("service_id", flat=True))
            super().delete_queryset(request, queryset)
            totals.bump(*services)


@admin.register(JourneyStep)
class JourneyStepAdmin(NulFreeSearch, admin.ModelAdmin):
    list_display = ("title", "journey", "position", "elapsed_days", "visits")
    search_fields = ("title", "office", "journey__ref")
    raw_id_fields = ("journey",)
    list_select_related = ("journey__service",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[JourneyStep]:
        # Not the steps of journeys an import has staged and not published (ADR 0014).
        return super().get_queryset(request).filter(journey__staged_by__isnull=True)

    # A step changed here changes its journey's stored TCV, in the same transaction (and
    # that of the journey it left, if it was moved to another).
    def save_model(self, request: HttpRequest, obj: JourneyStep, form: Any, change: bool) -> None:
        left = JourneyStep.objects.filter(pk=obj.pk).values_list("journey_id", flat=True).first()
        super().save_model(request, obj, form, change)
        _refresh_journeys({obj.journey_id, left})

    def delete_model(self, request: HttpRequest, obj: JourneyStep) -> None:
        super().delete_model(request, obj)
        _refresh_journeys({obj.journey_id})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[JourneyStep]) -> None:
        with transaction.atomic():
            journeys = set(queryset.values_list("journey_id", flat=True))
            super().delete_queryset(request, queryset)
            _refresh_journeys(journeys)


def _refresh_journeys(ids: Iterable[int | None]) -> None:
    for journey in Journey.with_staged.filter(pk__in={pk for pk in ids if pk is not None}):
        totals.refresh(journey)


@admin.register(PainPoint)
class PainPointAdmin(NulFreeSearch, admin.ModelAdmin):
    list_display = ("category", "description", "journey_step", "map_step")
    list_filter = ("category",)
    search_fields = ("description",)
    raw_id_fields = ("journey_step", "map_step")
    list_select_related = ("journey_step", "map_step")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PainPoint]:
        # Not the pain points of staged journeys (ADR 0014); those of process maps stay.
        return super().get_queryset(request).exclude(journey_step__journey__staged_by__isnull=False)


@admin.register(JourneyImport)
class JourneyImportAdmin(admin.ModelAdmin):
    """Imports are an audit trail: readable, never edited or deleted by hand."""

    list_display = ("created", "file_name", "status", "rows_done", "rows_total", "attempts", "by")
    list_filter = ("status",)
    search_fields = ("file_name", "digest", "by__username")
    list_select_related = ("by",)
    readonly_fields = [field.name for field in JourneyImport._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the audit of what a file did (its journeys hang on it while staged)


@admin.register(JourneyExport)
class JourneyExportAdmin(admin.ModelAdmin):
    """Large exports built by the worker: readable; `manage.py jobs` retries or cancels them."""

    list_display = ("created", "format", "status", "rows_done", "rows_total", "expires", "by")
    list_filter = ("status", "format")
    search_fields = ("by__username", "area_code")
    list_select_related = ("by",)
    readonly_fields = [field.name for field in JourneyExport._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
