"""Admin for training: for looking things up and mending text. Selection, attendance,
completion and the stored counts change through training's pages and API, with their rules,
so here they are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from innohub.geo.admin import NulFreeSearch

from .models import (
    Application,
    Assignment,
    Attendance,
    Cohort,
    Concept,
    Feedback,
    Module,
    Note,
    Participant,
    Programme,
    Session,
    Theme,
    Trained,
)


class ReadOnlyAdmin(NulFreeSearch, SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ("day", "position", "title", "goals", "track")


@admin.register(Programme)
class ProgrammeAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("name", "days", "key")
    search_fields = ("name", "description")
    fields = ("name", "description", "days", "tracks", "key")
    readonly_fields = ("key",)
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "programme", "day", "track")
    list_filter = ("programme",)
    search_fields = ("title", "goals")
    list_select_related = ("programme",)


@admin.register(Cohort)
class CohortAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "programme", "starts_on", "ends_on", "capacity", "selected_count",
                    "completed_count", "closed_on")  # fmt: skip
    list_filter = ("programme", "starts_on")
    search_fields = ("title", "venue")
    list_select_related = ("programme",)
    fields = ("title", "venue", "programme", "institute", "starts_on", "ends_on",
              "applications_close_on", "capacity", "completion_pct", "applications_count",
              "selected_count", "completed_count", "closed_on", "by")  # fmt: skip
    # Dates, capacity and the completion rule have checks of their own (cohorts.py).
    readonly_fields = tuple(name for name in fields if name not in {"title", "venue"})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cohorts are created on their page or through the API, with their checks


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("applicant", "cohort", "status", "score", "created")
    list_filter = ("status",)
    search_fields = ("applicant__username", "cohort__title", "motivation")
    list_select_related = ("applicant", "cohort")


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("user", "cohort", "track", "attended", "completed")
    list_filter = ("completed",)
    search_fields = ("user__username", "cohort__title")
    list_select_related = ("user", "cohort")


@admin.register(Session)
class SessionAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "cohort", "starts_at", "ends_at", "track")
    search_fields = ("title", "cohort__title")
    list_select_related = ("cohort",)
    fields = ("title", "cohort", "starts_at", "ends_at", "track")
    readonly_fields = ("cohort", "starts_at", "ends_at", "track")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("session", "participant", "marked_by", "marked_at")
    list_select_related = ("session", "participant__user", "marked_by")


@admin.register(Trained)
class TrainedAdmin(ReadOnlyAdmin):
    list_display = ("user", "on", "cohort", "organisation", "area")
    list_filter = ("on",)
    search_fields = ("user__username",)
    list_select_related = ("user", "cohort", "organisation", "area")


@admin.register(Theme)
class ThemeAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "cohort", "by")
    search_fields = ("title",)
    fields = ("title", "cohort", "by")
    readonly_fields = ("cohort", "by")


@admin.register(Note)
class NoteAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("text", "kind", "cohort", "author", "theme")
    list_filter = ("kind",)
    search_fields = ("text",)
    fields = ("text", "kind", "cohort", "author", "theme")
    readonly_fields = ("kind", "cohort", "author", "theme")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("participant", "service", "cohort", "by")
    list_select_related = ("participant", "service", "cohort", "by")


@admin.register(Concept)
class ConceptAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "cohort", "track", "idea")
    search_fields = ("title", "problem", "proposal")
    list_select_related = ("cohort", "idea")
    fields = ("title", "problem", "users", "proposal", "next_step", "cohort", "track", "by",
              "idea")  # fmt: skip
    readonly_fields = ("cohort", "track", "by", "idea")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("user", "cohort", "overall", "relevance", "facilitation", "recommend")
    list_select_related = ("user", "cohort")
