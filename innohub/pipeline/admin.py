"""Admin for ideas and pilots: for looking things up and mending text. What has rules — a
pilot's status, its spending, who leads and mentors it, its budget — changes through the
pipeline's pages and API (`pilots.py`), so here it is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from innohub.geo.admin import NulFreeSearch

from . import search
from .ideas import TEXT_FIELDS
from .models import Idea, Lesson, Pilot, PilotEvent, Risk, Spend


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PilotEventInline(ReadOnlyInline):
    model = PilotEvent
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields


class SpendInline(ReadOnlyInline):
    model = Spend
    fields = ("spent_on", "amount", "note", "by")
    readonly_fields = fields


class RiskInline(ReadOnlyInline):
    model = Risk
    fields = ("description", "likelihood", "impact", "exposure", "course_correction")
    readonly_fields = fields


class LessonInline(ReadOnlyInline):
    model = Lesson
    fields = ("created", "text", "by")
    readonly_fields = fields


@admin.register(Idea)
class IdeaAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "proposer", "service", "organisation", "created")
    list_filter = ("created",)
    search_fields = ("title", "problem", "proposer__username")
    list_select_related = ("proposer", "service", "organisation")
    fields = (
        "title",
        "problem",
        "who_suffers",
        "proposed_change",
        "expected_change",
        "service",
        "proposer",
        "organisation",
        "area",
        "skills",
        "supporters_count",
        "comments_count",
    )
    readonly_fields = tuple(name for name in fields if name not in {*TEXT_FIELDS, "skills"})
    filter_horizontal = ("skills",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # ideas are proposed on their page or through the API

    def save_model(self, request: HttpRequest, obj: Idea, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        search.index_idea(obj)


@admin.register(Pilot)
class PilotAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "status", "area", "organisation", "lead", "mentor", "created")
    list_filter = ("status", "currency")
    search_fields = ("title", "lead__username", "area__code", "budget_code")
    list_select_related = ("area", "organisation", "lead", "mentor")
    fields = (
        "title",
        "status",
        "idea",
        "service",
        "area",
        "organisation",
        "lead",
        "mentor",
        "budget",
        "spent",
        "currency",
        "budget_code",
        "annual_volume",
        "started_on",
        "ended_on",
        "replicates",
    )
    # Only text and dates are mended here; everything with rules is read-only.
    readonly_fields = tuple(
        name
        for name in fields
        if name not in {"title", "budget_code", "annual_volume", "started_on", "ended_on"}
    )
    inlines = [PilotEventInline, SpendInline, RiskInline, LessonInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # pilots start as drafts on their page or through the API

    def save_model(self, request: HttpRequest, obj: Pilot, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        search.index_pilot(obj)
