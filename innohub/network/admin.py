"""Admin for the peer network: for looking things up. Posts, comments and reports change
through the network's pages and API (moderation keeps its counts and the search index), so
here they are read-only; topics may be renamed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from innohub.geo.admin import NulFreeSearch

from .models import Comment, Post, Report, Topic


class LookUpOnly:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnly(LookUpOnly, NulFreeSearch, SimpleHistoryAdmin):
    pass


@admin.register(Topic)
class TopicAdmin(NulFreeSearch, admin.ModelAdmin):
    list_display = ("name", "posts_count")
    search_fields = ("name",)
    fields = ("name",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnly):
    list_display = ("title", "kind", "author", "organisation", "created", "hidden_at")
    list_filter = ("kind",)
    search_fields = ("title", "author__username")
    list_select_related = ("author", "organisation")
    raw_id_fields = ("author", "organisation", "area", "hidden_by")


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ("__str__", "post", "author", "created", "hidden_at")
    search_fields = ("body", "author__username")
    list_select_related = ("post", "author")


@admin.register(Report)
class ReportAdmin(LookUpOnly, admin.ModelAdmin):
    list_display = ("reason", "post", "reporter", "created", "resolved_at")
    list_select_related = ("post", "reporter")
