"""Admin for citizen engagement: consultations, findings and responses to look up and mend
(titles, texts); contributions to read (their personal fields are the citizen's, erased by
the worker); counters, roll-ups, the rate limit's counts and erasures to look at only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from innohub.geo.admin import NulFreeSearch

from .models import (
    Consultation,
    ConsultationArea,
    Contribution,
    ContributionQuota,
    Erasure,
    Finding,
    OrganisationArea,
    OrganisationEngagement,
    Response,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consultation)
class ConsultationAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "organisation", "opens_on", "closes_on", "contributions", "findings")
    search_fields = ("title",)
    list_select_related = ("organisation",)
    readonly_fields = ("organisation", "by", "contributions", "findings", "findings_with_response")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written on the page or through the API, with its roll-ups


@admin.register(Finding)
class FindingAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "consultation", "evidence_count", "first_responded_on")
    search_fields = ("title",)
    list_select_related = ("consultation",)
    readonly_fields = ("consultation", "by", "evidence_count", "first_responded_on")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Response)
class ResponseAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("finding", "kind", "responded_on", "pilot")
    list_select_related = ("finding", "pilot")
    readonly_fields = ("finding", "responded_on", "by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Contribution)
class ContributionAdmin(ReadOnly):
    list_display = ("id", "consultation", "channel", "created", "erase_after", "erased_on")
    list_filter = ("channel",)
    list_select_related = ("consultation",)
    exclude = ("words",)


@admin.register(OrganisationEngagement)
class OrganisationEngagementAdmin(ReadOnly):
    list_display = ("organisation", "consultations", "contributions", "findings")
    list_select_related = ("organisation",)


@admin.register(ConsultationArea)
class ConsultationAreaAdmin(ReadOnly):
    list_display = ("consultation", "area", "contributions")
    list_select_related = ("consultation", "area")


@admin.register(OrganisationArea)
class OrganisationAreaAdmin(ReadOnly):
    list_display = ("organisation", "area", "contributions")
    list_select_related = ("organisation", "area")


@admin.register(ContributionQuota)
class ContributionQuotaAdmin(ReadOnly):
    list_display = ("hour", "sent")


@admin.register(Erasure)
class ErasureAdmin(ReadOnly):
    list_display = ("due_on", "status", "rows_done", "created", "finished")
    list_filter = ("status",)
