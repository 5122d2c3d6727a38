from django.contrib import admin

from ktpku.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Shown, never changed: the rows are append-only (and the database refuses it too)."""

    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor"]
    search_fields = ["actor__username"]
    date_hierarchy = "at"
