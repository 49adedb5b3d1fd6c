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
from .models import (
    Activity,
    Assessor,
    BudgetLine,
    Comment,
    FundingCall,
    Idea,
    JoinRequest,
    Lesson,
    Measurement,
    MentoringNote,
    Pilot,
    PilotEvent,
    Presentation,
    ProjectDesign,
    Proposal,
    Reach,
    Review,
    Risk,
    ScaleUp,
    SearchEntry,
    SearchTerm,
    Showcase,
    ShowcaseScore,
    Spend,
    Support,
)


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


class ActivityInline(ReadOnlyInline):
    model = Activity
    fields = ("position", "title", "starts_on", "ends_on", "who")
    readonly_fields = fields


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ("position", "item", "amount", "note")
    readonly_fields = fields


class DesignRiskInline(RiskInline):
    fk_name = "design"


@admin.register(ProjectDesign)
class ProjectDesignAdmin(NulFreeSearch, SimpleHistoryAdmin):
    """Designs are written on their page (all rows at once, checked together): read here."""

    list_display = ("title", "idea", "by", "modified")
    search_fields = ("title", "idea__title")
    list_select_related = ("idea", "by")
    readonly_fields = ("idea", "by", "currency")
    fields = ("title", "idea", "objectives", "team", "currency", "by")
    inlines = [ActivityInline, BudgetLineInline, DesignRiskInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ReadOnlyAdmin(NulFreeSearch, admin.ModelAdmin):
    """Records written by the pipeline's pages and API, with their rules (totals, counts,
    search words): looked up here, never edited, so no rule is bypassed."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PilotEvent)
class PilotEventAdmin(ReadOnlyAdmin):
    list_display = ("pilot", "from_status", "to_status", "by", "at")
    list_filter = ("to_status",)
    search_fields = ("pilot__title", "by__username", "note")
    list_select_related = ("pilot", "by")


@admin.register(Spend)
class SpendAdmin(ReadOnlyAdmin):
    list_display = ("pilot", "spent_on", "amount", "by")
    search_fields = ("pilot__title", "note")
    list_select_related = ("pilot", "by")


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ("description", "pilot", "design", "likelihood", "impact")
    search_fields = ("description", "pilot__title", "design__title")
    list_select_related = ("pilot", "design")


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ("pilot", "by", "created")
    search_fields = ("text", "pilot__title")
    list_select_related = ("pilot", "by")


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ("journey", "pilot", "phase", "created")
    list_filter = ("phase",)
    search_fields = ("pilot__title", "journey__ref")
    list_select_related = ("pilot", "journey")


@admin.register(MentoringNote)
class MentoringNoteAdmin(ReadOnlyAdmin):
    list_display = ("pilot", "author", "met_on")
    search_fields = ("pilot__title", "text")
    list_select_related = ("pilot", "author")


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ("idea", "user", "created")
    search_fields = ("idea__title", "user__username")
    list_select_related = ("idea", "user")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("idea", "author", "created")
    search_fields = ("idea__title", "text")
    list_select_related = ("idea", "author")


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ("idea", "user", "created")
    search_fields = ("idea__title", "user__username")
    list_select_related = ("idea", "user")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("title", "design", "starts_on", "ends_on")
    search_fields = ("title", "design__title")
    list_select_related = ("design",)


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ("item", "design", "amount")
    search_fields = ("item", "design__title")
    list_select_related = ("design",)


@admin.register(SearchEntry)
class SearchEntryAdmin(ReadOnlyAdmin):
    list_display = ("kind", "object_id")
    list_filter = ("kind",)
    search_fields = ("text",)


@admin.register(SearchTerm)
class SearchTermAdmin(ReadOnlyAdmin):
    list_display = ("word", "entries")
    search_fields = ("word",)


# --- The innovation fund, showcases, scale-up: written with their rules (funding.py,
# showcases.py, scaling.py), read here; a call's title and criteria are mended here.


class AssessorInline(ReadOnlyInline):
    model = Assessor
    fields = ("user", "by", "created")
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ("assessor", "impact", "feasibility", "replicability", "value_for_money", "note")
    readonly_fields = fields


@admin.register(FundingCall)
class FundingCallAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "organisation", "opens_on", "closes_on", "budget", "awarded")
    list_filter = ("currency", "opens_on")
    search_fields = ("title", "criteria")
    list_select_related = ("organisation",)
    fields = ("title", "criteria", "organisation", "budget", "currency", "opens_on",
              "closes_on", "awarded", "proposals_count", "by")  # fmt: skip
    readonly_fields = tuple(name for name in fields if name not in {"title", "criteria"})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # calls open on their page or through the API, with their checks


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("idea", "call", "status", "requested", "mean_score", "reviews", "amount")
    list_filter = ("status",)
    search_fields = ("idea__title", "call__title", "summary")
    list_select_related = ("idea", "call")
    inlines = [AssessorInline, ReviewInline]


@admin.register(Assessor)
class AssessorAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "user", "by", "created")
    search_fields = ("user__username", "proposal__idea__title")
    list_select_related = ("proposal__idea", "user", "by")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "assessor", "impact", "feasibility", "replicability",
                    "value_for_money", "created")  # fmt: skip
    search_fields = ("assessor__username", "proposal__idea__title")
    list_select_related = ("proposal__idea", "assessor")


class PresentationInline(ReadOnlyInline):
    model = Presentation
    fields = ("pilot", "n", "mean_total", "replicate", "scale", "stop")
    readonly_fields = fields


@admin.register(Showcase)
class ShowcaseAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("title", "organisation", "held_on", "venue")
    search_fields = ("title", "venue")
    list_select_related = ("organisation",)
    fields = ("title", "venue", "organisation", "held_on", "by")
    readonly_fields = ("organisation", "held_on", "by")
    inlines = [PresentationInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Presentation)
class PresentationAdmin(ReadOnlyAdmin):
    list_display = ("showcase", "pilot", "n", "mean_total", "replicate", "scale", "stop")
    search_fields = ("showcase__title", "pilot__title")
    list_select_related = ("showcase", "pilot")


@admin.register(ShowcaseScore)
class ShowcaseScoreAdmin(ReadOnlyAdmin):
    list_display = ("presentation", "reviewer", "impact", "cost", "replicability",
                    "readiness", "recommendation")  # fmt: skip
    list_filter = ("recommendation",)
    search_fields = ("reviewer__username", "presentation__pilot__title")
    list_select_related = ("presentation__pilot", "presentation__showcase", "reviewer")


class ReachInline(ReadOnlyInline):
    model = Reach
    fields = ("on", "citizens_reached", "by")
    readonly_fields = fields


@admin.register(ScaleUp)
class ScaleUpAdmin(ReadOnlyAdmin):
    list_display = ("pilot", "decided_on", "by")
    search_fields = ("pilot__title", "note")
    list_select_related = ("pilot", "by")
    inlines = [ReachInline]


@admin.register(Reach)
class ReachAdmin(ReadOnlyAdmin):
    list_display = ("scale_up", "on", "citizens_reached", "by")
    list_select_related = ("scale_up__pilot", "by")
