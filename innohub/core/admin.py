from django.contrib import admin

from .models import BulkImport


@admin.register(BulkImport)
class BulkImportAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "file_name", "rows", "by"]
    list_filter = ["kind"]
    search_fields = ["file_name", "digest", "by__username"]
    list_select_related = ["by"]
    readonly_fields = ["kind", "by", "created", "file_name", "digest", "rows", "counts"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
