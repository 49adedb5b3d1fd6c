"""Admin for organisations."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from innohub.geo.admin import NulFreeSearch

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(NulFreeSearch, SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "area", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "name_local", "short_name", "area__code", "area__name")
    autocomplete_fields = ("parent", "area")
    list_select_related = ("area", "parent")
    ordering = ("path",)
    list_per_page = 50
    fields = ("name", "name_local", "short_name", "kind", "partner_type", "parent", "area")
