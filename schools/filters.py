"""The filters of the school list, and the kecamatan filter the student list shares."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import identifiers
from .forms import KecamatanChoiceField, office_kecamatan
from .models import School


class KecamatanFilter(django_filters.ModelChoiceFilter):
    """One of the office's own kecamatan, chosen by name."""

    field_class = KecamatanChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Kecamatan"))
        kwargs.setdefault("queryset", lambda request: office_kecamatan())
        kwargs.setdefault("empty_label", _("All kecamatan"))
        super().__init__(*args, **kwargs)


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_q")
    kecamatan = KecamatanFilter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=School.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = School
        fields = ["q", "kecamatan", "kind"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        code = identifiers.normalise(value)
        return queryset.filter(Q(name__icontains=value) | Q(npsn=code) | Q(nsm=code) | Q(nspp=code))
