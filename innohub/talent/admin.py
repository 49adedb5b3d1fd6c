"""Admin for Free Agents: for looking things up. Applications, agents, challenges and
assignments change through the pages and the API (`services` keeps the seats taken, the
offers waiting and the evidence in step), so here they are read-only, with their history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from innohub.geo.admin import NulFreeSearch

from .models import (
    Application,
    AssessmentStep,
    Assignment,
    Challenge,
    ChallengeSkill,
    FreeAgent,
    SkillEvidence,
    WorkforceSnapshot,
)


class LookUpOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnly(LookUpOnly, NulFreeSearch, SimpleHistoryAdmin):
    pass


class StepInline(LookUpOnly, admin.TabularInline):
    model = AssessmentStep
    extra = 0
    fields = ("kind", "outcome", "done_on", "assessor", "note")


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("person", "status", "available_from", "created", "decided_at")
    list_filter = ("status",)
    search_fields = ("person__username", "person__first_name", "person__last_name")
    list_select_related = ("person",)
    inlines = [StepInline]


@admin.register(FreeAgent)
class FreeAgentAdmin(ReadOnly):
    list_display = ("user", "status", "available_from", "joined_on", "completed", "offers_waiting")
    list_filter = ("status",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user",)


class NeedInline(LookUpOnly, admin.TabularInline):
    model = ChallengeSkill
    extra = 0
    fields = ("skill", "level")


@admin.register(Challenge)
class ChallengeAdmin(ReadOnly):
    list_display = ("title", "organisation", "starts_on", "weeks", "seats", "seats_taken")
    search_fields = ("title",)
    date_hierarchy = "starts_on"
    list_select_related = ("organisation",)
    inlines = [NeedInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ("agent", "challenge", "status", "match", "of", "created", "completed_on")
    list_filter = ("status",)
    search_fields = ("challenge__title", "agent__user__username")
    list_select_related = ("agent__user", "challenge")


@admin.register(SkillEvidence)
class SkillEvidenceAdmin(ReadOnly):
    list_display = ("user", "skill", "level", "assignment", "created")
    search_fields = ("user__username", "skill__name")
    list_select_related = ("user", "skill", "assignment")


@admin.register(WorkforceSnapshot)
class WorkforceSnapshotAdmin(LookUpOnly, admin.ModelAdmin):
    list_display = ("made_at",)


@admin.register(AssessmentStep)
class AssessmentStepAdmin(ReadOnly):
    list_display = ("application", "kind", "outcome", "done_on", "assessor")
    list_filter = ("kind", "outcome")
    list_select_related = ("application__person", "assessor")


@admin.register(ChallengeSkill)
class ChallengeSkillAdmin(LookUpOnly, admin.ModelAdmin):
    list_display = ("challenge", "skill", "level")
    list_select_related = ("challenge", "skill")
