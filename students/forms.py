"""Forms of the student registry: the student record and the next lifecycle event.

The status is never a form field: it moves only through students.lifecycle.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ktpku.forms import DateInput
from schools import regions

from . import birthdates, dates, lifecycle
from . import nik as nik_rules
from .models import CloseReason, EventKind, FailureReason, Sex, SiakResult, Student

_DIGITS = re.compile(r"^[0-9]+$")


class StudentForm(forms.ModelForm):
    """Create or edit a student. NIK errors block; NIK warnings are kept for the view.

    After `is_valid()`, `nik_warnings` holds the warnings (birth date or sex disagreeing
    with the NIK, an unknown region) for the view to show once the record is saved.
    """

    # Wider than the stored 16 digits: spaces, dots and an apostrophe are removed first.
    # The help texts are those of the roster template's instructions sheet.
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        help_text=_(
            "Required. The student's own 16-digit NIK (not the parents' and not the KK number)."
        ),
    )
    kk_number = forms.CharField(
        label=_("No. KK"),
        max_length=40,
        required=False,
        help_text=_("The 16-digit number of the family card (KK)."),
    )
    nisn = forms.CharField(
        label=_("NISN"),
        max_length=30,
        required=False,
        help_text=_(
            "The 10-digit NISN, leading zeros included; leave empty when the student has none."
        ),
    )

    class Meta:
        model = Student
        fields = [
            "name",
            "nik",
            "kk_number",
            "nisn",
            "sex",
            "birth_place",
            "birth_date",
            "marital_status",
            "school",
            "class_name",
            "guardian_name",
            "guardian_phone",
            "consent_by",
            "consent_on",
            "consent_method",
        ]
        widgets = {"birth_date": DateInput(), "consent_on": DateInput()}

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.nik_warnings = []
        self.fields["school"].queryset = schools.select_related("kecamatan").order_by("name")
        self.fields["school"].empty_label = _("Choose the school")
        self.fields["sex"].choices = [("", _("Choose"))] + list(Sex.choices)
        for name in ("nik", "kk_number", "nisn"):
            self.fields[name].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("save", _("Save"), css_id="save"))

    def clean_nik(self):
        raw = self.cleaned_data["nik"]
        if nik_rules.looks_like_lost_precision(raw):
            raise forms.ValidationError(
                _(
                    "This NIK was written as a number in scientific notation and has lost "
                    "digits: type the 16 digits again."
                ),
                code="nik_precision_lost",
            )
        value = nik_rules.normalise(raw)
        try:
            nik_rules.parse(value, reference=dates.today())
        except nik_rules.NikInvalid as exc:
            raise forms.ValidationError(exc.issue.message, code=exc.issue.code) from None
        return value

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if self.instance.pk and value == self.instance.birth_date:
            return value  # a student who has grown past 25 can still be edited
        problem = birthdates.implausible_age(value, dates.today())
        if problem:
            raise forms.ValidationError(problem, code=birthdates.IMPLAUSIBLE)
        return value

    def clean_kk_number(self):
        value = nik_rules.normalise(self.cleaned_data["kk_number"])
        if value and not (len(value) == 16 and _DIGITS.match(value)):
            raise forms.ValidationError(_("No. KK must be exactly 16 digits."), code="kk_format")
        return value

    def clean_nisn(self):
        value = nik_rules.normalise(self.cleaned_data["nisn"])
        if value and not (len(value) == 10 and _DIGITS.match(value)):
            raise forms.ValidationError(
                _("NISN must be exactly 10 digits, leading zeros included."), code="nisn_format"
            )
        return value

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("nik")
        if not value:
            return cleaned
        issues = nik_rules.check(
            value,
            birth_date=cleaned.get("birth_date"),
            sex=cleaned.get("sex"),
            kk_number=cleaned.get("kk_number"),
            known_regions=regions.kecamatan_prefixes(),
            reference=dates.today(),
        )
        for issue in issues:
            if issue.severity == nik_rules.ERROR:
                self.add_error("nik", forms.ValidationError(issue.message, code=issue.code))
        self.nik_warnings = [issue for issue in issues if issue.severity == nik_rules.WARNING]
        return cleaned


_REASON_CHOICES = [
    ("", _("— no reason —")),
    (_("Closing reason"), CloseReason.choices),
    (_("SIAK result"), SiakResult.choices),
    (_("Why recording failed"), FailureReason.choices),
]


class StepSelect(forms.Select):
    """A select that shows some options without letting them be chosen (`not_yet`)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.not_yet = set()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.not_yet:
            option["attrs"]["disabled"] = True
        return option


class EventForm(forms.Form):
    """The next step in a student's lifecycle; the choices follow the current status.

    A step the student cannot take yet (too young, or before the current status began) is
    shown disabled, with the day it becomes possible.
    """

    kind = forms.ChoiceField(label=_("Event"), widget=StepSelect)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=_REASON_CHOICES,
        required=False,
        help_text=_("Needed when closing a record or for a SIAK result."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, student, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", dates.today())
        super().__init__(*args, **kwargs)
        steps = lifecycle.next_steps(student)
        self.fields["kind"].choices = [
            (kind, _step_label(kind, possible_from)) for kind, possible_from in steps
        ]
        self.fields["kind"].widget.not_yet = {
            kind for kind, possible_from in steps if possible_from is not None
        }
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("record", _("Record event"), css_id="record-event"))


def _step_label(kind, possible_from):
    label = EventKind(kind).label
    if possible_from is None:
        return label
    return gettext("%(event)s (possible from %(date)s)") % {
        "event": label,
        "date": date_format(possible_from),
    }
