from django.contrib import admin

from .models import BulkImport, ScheduledRun, WorkerBeat


@admin.register(BulkImport)
class BulkImportAdmin(admin.ModelAdmin):
    """The audit trail of imports, refused ones too: readable, never edited or deleted."""

    list_display = ["created", "kind", "outcome", "file_name", "rows", "errors_total", "by"]
    list_filter = ["outcome", "kind"]
    search_fields = ["file_name", "digest", "by__username"]
    list_select_related = ["by"]
    readonly_fields = [
        "kind",
        "outcome",
        "by",
        "created",
        "file_name",
        "digest",
        "rows",
        "errors_total",
        "counts",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """What the workers' schedule did, and when (innohub/core/schedule.py). Deleting a row
    makes the duty of that period happen again at the next tick."""

    list_display = ["name", "period", "created"]
    list_filter = ["name"]
    readonly_fields = ["name", "period", "created"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    """The task workers that beat lately (`/healthz` counts them); a row of a worker killed
    grows old and may be deleted."""

    list_display = ["name", "started", "seen"]
    readonly_fields = ["name", "started", "seen"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
