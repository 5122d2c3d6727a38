import re

from django.contrib import admin, messages
from django.utils.translation import gettext as _

# Identifiers that never go into an admin URL: a filter on one of them would put the
# number in the access log, and would let anyone confirm a guessed NIK without a trace.
IDENTIFIER_FIELDS = frozenset({"nik", "kk_number", "nisn"})
_IDENTIFIER_LIKE = re.compile(r"\d{10,}")


def _names_identifier(lookup):
    return any(part in IDENTIFIER_FIELDS for part in lookup.split("__"))


class IdentifierLookupsRefused:
    """Refuses `?nik=`, `?student__nik__startswith=`, `?kk_number=`, `?nisn=`... (a 400),
    and a changelist search for a long run of digits (a NIK, KK or NISN) finds nothing."""

    def lookup_allowed(self, lookup, value, request=None):
        if _names_identifier(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        if _IDENTIFIER_LIKE.search(search_term.replace(" ", "").replace(".", "")):
            messages.error(
                request,
                _("Identity numbers cannot be searched here: the search goes into the address."),
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class ReadOnlyAdmin(IdentifierLookupsRefused, admin.ModelAdmin):
    """For records that only a service or a loader writes: shown in the admin, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
