from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only a service or a loader writes: shown in the admin, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
