from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from audit.models import Action
from audit.services import STUDENT, audit_record
from ktpku.admin import IdentifierLookupsRefused, ReadOnlyAdmin
from schools.admin import OfficeKecamatanFilter

from . import nik as nik_rules
from .models import RosterImport, SchoolMoveRequest, Student, StudentEvent

# Shown masked on the admin's history pages (the change list of versions and one version).
MASKED_IN_HISTORY = {"nik": "masked_nik", "kk_number": "masked_kk"}


class StudentKecamatanFilter(OfficeKecamatanFilter):
    field_path = "school__kecamatan"


class EventInline(admin.TabularInline):
    """The timeline, read-only: events are written by students.lifecycle alone."""

    model = StudentEvent
    extra = 0
    fields = ["date", "kind", "reason", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields
    can_delete = False
    ordering = ["date", "recorded_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Student)
class StudentAdmin(IdentifierLookupsRefused, SimpleHistoryAdmin):
    """Students. The status is shown, never edited: it moves only through the lifecycle.

    NIK, KK and NISN are neither search fields nor filters: admin search goes into the URL,
    and identity numbers never do (IdentifierLookupsRefused).
    """

    list_display = ["name", "masked_nik", "nisn", "school", "status", "birth_date"]
    list_filter = ["status", "sex", "school__kind", StudentKecamatanFilter]
    search_fields = ["name", "school__name"]
    list_select_related = ["school", "school__kecamatan"]
    autocomplete_fields = ["school"]
    # The NIK is corrected on the staff page, where the NIK rules check it.
    readonly_fields = ["nik", "status", "status_since", "created_at", "updated_at"]
    inlines = [EventInline]
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            audit_record(
                actor=request.user,
                action=Action.NIK_SHOWN_FOR_EDIT,
                object_type=STUDENT,
                object_ids=[int(object_id)],
                via="admin",
            )
        return response

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedHistoryHelper(self.model, historical_record)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if _in_history_version(request):
            return [MASKED_IN_HISTORY.get(name, name) for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if _in_history_version(request):
            return [*readonly, *MASKED_IN_HISTORY.values()]
        return readonly

    @admin.display(description=_("No. KK"))
    def masked_kk(self, obj):
        return obj.masked_kk

    @admin.display(description=_("NIK"), ordering="nik")
    def masked_nik(self, obj):
        return obj.masked_nik


def _in_history_version(request):
    match = request.resolver_match
    return match is not None and match.url_name == "students_student_simple_history"


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """The history's "changed from → to" lines show NIK and KK masked."""

    def prepare_delta_change_value(self, change, value):
        if change.field in MASKED_IN_HISTORY and value:
            return nik_rules.mask(value)
        return super().prepare_delta_change_value(change, value)


@admin.register(StudentEvent)
class StudentEventAdmin(ReadOnlyAdmin):
    """Read-only: an event added or changed here would bypass students.lifecycle."""

    list_display = ["student", "kind", "date", "reason", "recorded_by", "recorded_at"]
    list_filter = ["kind", "date"]
    search_fields = ["student__name", "note"]
    list_select_related = ["student", "recorded_by"]
    date_hierarchy = "date"


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyAdmin):
    """Roster uploads and their counts. The kept rows (with NIKs) are not shown here."""

    list_display = [
        "original_name",
        "school",
        "status",
        "layout",
        "row_count",
        "valid_count",
        "invalid_count",
        "created_count",
        "updated_count",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["status", "layout", "school__kind"]
    search_fields = ["original_name", "school__name", "uploaded_by__username"]
    list_select_related = ["school", "uploaded_by"]
    date_hierarchy = "created_at"
    fields = [
        "school",
        "uploaded_by",
        "original_name",
        "status",
        "layout",
        "progress",
        "file_error_code",
        "file_error_message",
        "row_count",
        "valid_count",
        "invalid_count",
        "new_count",
        "changed_count",
        "unchanged_count",
        "move_count",
        "created_count",
        "updated_count",
        "created_at",
        "sent_at",
        "read_at",
        "committed_at",
        "committed_by",
        "purged_at",
    ]

    def get_queryset(self, request):
        # The kept rows and problems can be megabytes an upload, and are not shown here.
        return super().get_queryset(request).defer(*RosterImport.PAYLOAD_FIELDS)


@admin.register(SchoolMoveRequest)
class SchoolMoveRequestAdmin(ReadOnlyAdmin):
    """Possible school moves; staff decide them on their own page, through the service."""

    list_display = [
        "student",
        "from_school",
        "to_school",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status"]
    search_fields = ["student__name", "from_school__name", "to_school__name"]
    list_select_related = ["student", "from_school", "to_school", "decided_by"]
    date_hierarchy = "created_at"
