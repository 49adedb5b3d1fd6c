"""Admin of people: users with their profile, skills, innovation teams, API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import PersonChangeForm, PersonCreationForm
from .models import (
    ApiToken,
    InnovationTeam,
    Notification,
    Profile,
    Skill,
    SkillFamily,
    TeamMembership,
    User,
    UserSkill,
)
from .rules import manages_teams


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    # Raw ids: areas reach 100,000 rows, too many for a select.
    raw_id_fields = ["organisation", "area"]
    fields = [
        "organisation",
        "area",
        "position",
        "grade",
        "languages",
        "gender",
        "phone",
        "bio",
    ]


@admin.register(User)
class PersonAdmin(UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_staff"]
    list_filter = ["groups", "is_staff", "is_superuser", "is_active", "profile__organisation"]
    list_select_related = ["profile__organisation"]
    search_fields = ["username", "first_name", "last_name", "name_local", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "name_local", "email")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(description=_("organisation"), ordering="profile__organisation__name")
    def organisation(self, obj: User) -> str:
        profile = getattr(obj, "profile", None)
        return str(profile.organisation) if profile and profile.organisation else "—"

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # The profile is added once the person exists.
        return list(super().get_inlines(request, obj)) if obj is not None else []


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "position", "organisation", "area"]
    list_select_related = ["user", "organisation", "area"]
    list_filter = ["organisation__kind", "area__level", "gender"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "position"]
    raw_id_fields = ["user", "organisation", "area"]


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 1


@admin.register(SkillFamily)
class SkillFamilyAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [SkillInline]


@admin.register(Skill)
class SkillAdmin(SimpleHistoryAdmin):
    list_display = ["name", "family"]
    list_select_related = ["family"]
    list_filter = ["family"]
    search_fields = ["name", "family__name"]


@admin.register(UserSkill)
class UserSkillAdmin(SimpleHistoryAdmin):
    list_display = ["user", "skill", "level", "modified"]
    list_select_related = ["user", "skill"]
    list_filter = ["level", "skill__family"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "skill__name"]
    raw_id_fields = ["user"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    raw_id_fields = ["user"]


class TeamManagersMixin:
    """Programme managers and administrators manage innovation teams: the rules in rules.py
    answer, not Django's per-model permission rows (the site itself lets their roles in)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and manages_teams(request.user))


@admin.register(InnovationTeam)
class InnovationTeamAdmin(TeamManagersMixin, SimpleHistoryAdmin):
    list_display = ["name", "organisation", "area", "member_count"]
    list_select_related = ["organisation", "area"]
    list_filter = ["area__level", "organisation__kind"]
    search_fields = ["name", "organisation__name", "area__name", "area__code"]
    raw_id_fields = ["organisation", "area"]
    inlines = [TeamMembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InnovationTeam]:
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Any) -> int:
        return int(obj.member_count)


@admin.register(TeamMembership)
class TeamMembershipAdmin(TeamManagersMixin, SimpleHistoryAdmin):
    list_display = ["user", "team", "role", "created"]
    list_select_related = ["user", "team"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "team__name"]
    raw_id_fields = ["user", "team"]


class ExpiredFilter(admin.SimpleListFilter):
    title = _("expired")
    parameter_name = "expired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(expires__lte=now)
        if self.value() == "no":
            return queryset.filter(expires__gt=now)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners (page or API); here they can be read and revoked."""

    list_display = ["user", "name", "hint", "created", "last_used", "expires", "expired"]
    list_select_related = ["user"]
    list_filter = [ExpiredFilter]
    search_fields = ["user__username", "user__first_name", "user__last_name", "name", "hint"]
    ordering = ["user__username", "-created"]
    fields = ["user", "name", "hint", "digest", "created", "last_used", "expires"]
    readonly_fields = ["user", "hint", "digest", "created", "last_used"]

    @admin.display(description=_("expired"), boolean=True)
    def expired(self, obj: ApiToken) -> bool:
        return obj.is_expired

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Messages sent to people: looked up (was it e-mailed?), never written here."""

    list_display = ("user", "kind", "created", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "kind")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "kind",
        "subject",
        "body",
        "params",
        "url",
        "created",
        "read_at",
        "emailed_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
