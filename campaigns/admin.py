from django.contrib import admin

from ktpku.admin import ReadOnlyAdmin

from .models import CalendarDay, Campaign, Team, Visit


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    """Read-only: campaigns are created and planned through campaigns.services."""

    list_display = ["name", "year", "first_day", "last_day", "status", "plan_state"]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    inlines = [CalendarDayInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Members and kits may be corrected here; the visits keep their own checks."""

    list_display = ["name", "campaign", "kits", "per_kit_per_day", "weekdays"]
    list_filter = ["campaign"]
    list_select_related = ["campaign"]
    filter_horizontal = ["members"]
    exclude = ["ical_token"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    """Read-only: a visit changed here would skip the conflict checks of the services."""

    list_display = ["date", "school", "team", "status", "kind", "expected", "part", "parts"]
    list_filter = ["status", "kind", "campaign"]
    search_fields = ["school__name", "school__npsn", "school__nsm", "school__nspp"]
    list_select_related = ["school", "team"]
    date_hierarchy = "date"
    exclude = ["students"]
