"""The student list's filters: school, kecamatan, status, the month a student turns 17.

The name/NISN search is a GET field too, but a NIK is never accepted here: a GET query
ends up in URLs and access logs (SECURITY.md LOG-02), so a NIK is searched through the
separate POST form (`NikSearchForm`) instead.
"""

import calendar
import datetime
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ktpku.forms import QuickSelect
from schools.filters import KecamatanFilter

from . import dates
from . import nik as nik_rules
from .models import Status

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SIXTEEN_DIGITS = re.compile(r"^[\d\s.'\-\u2010-\u2015]{16,}$")
# What people paste around a NIK's digits when searching: spaces, dots and dashes of any
# kind (a hyphen, or the en dash a word processor makes of one).
_PASTED_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]")


# The hidden field that marks the filter form posted to the list (not the NIK form).
FILTER_BY_POST = "filter"


def looks_like_nik(value):
    """True for what is a NIK, pasted with its usual separators: 16 digits or more."""
    return bool(_SIXTEEN_DIGITS.match(value.strip()))


def born_to_turn(age, year, month):
    """A Q for the students who reach `age` in `month` of `year`.

    That is everyone born in that month `age` years earlier, corrected for 29 February:
    such a person's birthday in a common year is decided by students.dates (1 March by
    default, 28 February where the office says so).
    """
    birth_year = year - age
    first = datetime.date(birth_year, month, 1)
    last = datetime.date(birth_year, month, calendar.monthrange(birth_year, month)[1])
    condition = Q(birth_date__range=(first, last))
    if calendar.isleap(birth_year):
        leap_day = datetime.date(birth_year, 2, 29)
        birthday = dates.turns(leap_day, age)
        in_month = (birthday.year, birthday.month) == (year, month)
        in_range = first <= leap_day <= last
        if in_month and not in_range:
            condition |= Q(birth_date=leap_day)
        elif in_range and not in_month:
            condition &= ~Q(birth_date=leap_day)
    return condition


def born_by(age, on):
    """A Q for the students who are `age` or older on the day `on` (29 February included,
    by the office's birthday rule in students.dates)."""
    year = on.year - age
    cutoff = on.replace(year=year, day=28) if (on.month, on.day) == (2, 29) else on
    cutoff = cutoff.replace(year=year)
    condition = Q(birth_date__lte=cutoff)
    if calendar.isleap(year):
        leap_day = datetime.date(year, 2, 29)
        reached = dates.turns(leap_day, age) <= on
        if reached and leap_day > cutoff:
            condition |= Q(birth_date=leap_day)
        elif not reached and leap_day <= cutoff:
            condition &= ~Q(birth_date=leap_day)
    return condition


class MonthInput(forms.TextInput):
    input_type = "month"


class StudentFilterForm(forms.Form):
    def clean_q(self):
        value = self.cleaned_data.get("q", "")
        if looks_like_nik(value):
            raise forms.ValidationError(
                _(
                    "That looks like a NIK. Search a NIK with the “Find by NIK” form, so the "
                    "number does not end up in the address bar."
                ),
                code="nik_in_url",
            )
        return value

    def clean_turns_17(self):
        value = (self.cleaned_data.get("turns_17") or "").strip()
        if not value:
            return value
        match = _MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise forms.ValidationError(
                _("Give a month as YYYY-MM, for example 2027-03."), code="month_invalid"
            )
        return value


class TickBoxFilter(django_filters.Filter):
    field_class = forms.BooleanField


class StudentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or NISN"), method="filter_q")
    school = django_filters.ModelChoiceFilter(
        label=_("School"),
        queryset=None,
        empty_label=_("All schools"),
        widget=QuickSelect(label_field="name"),
    )
    kecamatan = KecamatanFilter(field_name="school__kecamatan")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Any status")
    )
    turns_17 = django_filters.CharFilter(
        label=_("Turns 17 in"),
        method="filter_turns_17",
        widget=MonthInput(attrs={"placeholder": "2027-03"}),
    )
    # A tick box: unticked is no filter at all (BooleanField, not NullBooleanField).
    overdue = TickBoxFilter(
        label=_("Overdue: 17 or older and not recorded"),
        method="filter_overdue",
    )

    class Meta:
        form = StudentFilterForm

    def __init__(self, data=None, queryset=None, *, schools, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # The school choices are the user's own schools, so `?school=` of another
        # school is an invalid choice, never a way in.
        self.filters["school"].queryset = schools.order_by("name")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(nisn__startswith=value)
        return queryset.filter(name__icontains=value)

    def filter_turns_17(self, queryset, name, value):
        year, month = (int(part) for part in _MONTH.match(value).groups())
        return queryset.filter(born_to_turn(dates.CARD_AGE, year, month))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        waiting = queryset.filter(status__in=(Status.ON_ROSTER, Status.SCHEDULED))
        return waiting.filter(born_by(dates.CARD_AGE, dates.today()))


class NikSearchForm(forms.Form):
    """Find one student by NIK. Always submitted by POST: NIKs never go into a URL."""

    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_nik(self):
        value = nik_rules.normalise(_PASTED_SEPARATORS.sub("", self.cleaned_data["nik"]))
        if not re.fullmatch(r"[0-9]{16}", value):
            raise forms.ValidationError(_("A NIK is 16 digits."), code="nik_format")
        return value
