from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ktpku.admin import ReadOnlyAdmin

from . import selectors, services
from .forms import SchoolForm, office_kecamatan
from .models import BlackoutPeriod, Region, School


class SchoolAdminForm(SchoolForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # This school's coordinators and the accounts not yet given a school.
        if "coordinators" in self.fields:
            self.fields["coordinators"].queryset = selectors.coordinator_candidates(self.instance)


class OfficeKecamatanFilter(admin.SimpleListFilter):
    """The office's own kecamatan only: the full table has over 7,000."""

    title = _("kecamatan")
    parameter_name = "kecamatan"
    field_path = "kecamatan"

    def lookups(self, request, model_admin):
        return [(region.code, region.name) for region in office_kecamatan()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field_path: self.value()})
        return queryset


class BlackoutKecamatanFilter(OfficeKecamatanFilter):
    field_path = "school__kecamatan"


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """The Kemendagri table is loaded from the bundled file, never edited by hand."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    show_full_result_count = False


class BlackoutInline(admin.TabularInline):
    model = BlackoutPeriod
    extra = 0


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    form = SchoolAdminForm
    list_display = ["name", "kind", "code", "kecamatan", "is_active"]
    list_filter = ["kind", OfficeKecamatanFilter, "is_active"]
    search_fields = ["name", "npsn", "nsm", "nspp"]
    list_select_related = ["kecamatan"]
    filter_horizontal = ["coordinators"]
    inlines = [BlackoutInline]

    def save_related(self, request, form, formsets, change):
        # The coordinators go through the service, which writes the audit log; the form's
        # own many-to-many save would change them without a trace.
        coordinators = form.cleaned_data.pop("coordinators", None)
        super().save_related(request, form, formsets, change)
        if coordinators is not None:
            services.school_coordinators_set(
                school=form.instance, users=coordinators, by=request.user
            )

    def get_form(self, request, obj=None, change=False, **kwargs):
        # SchoolForm lists its own fields; the admin also edits the coordinators.
        kwargs["fields"] = [*SchoolForm.Meta.fields, "coordinators"]
        return super().get_form(request, obj, change, **kwargs)


@admin.register(BlackoutPeriod)
class BlackoutPeriodAdmin(admin.ModelAdmin):
    list_display = ["school", "start", "end", "reason"]
    list_filter = [BlackoutKecamatanFilter]
    search_fields = ["school__name", "reason"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    date_hierarchy = "start"
