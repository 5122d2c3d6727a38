"""Forms of the SIAK pages: the list of recorded students (its filter) and the result
given to the ticked ones."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ktpku.forms import DateInput
from schools.models import School
from students.models import SiakResult

from .card_forms import IdListField, not_after_today
from .siak import PRINT_READY, RESULT_LABELS


class RecordedFilterForm(forms.Form):
    sekolah = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.order_by("name"),
        required=False,
        empty_label=_("All schools"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kunjungan = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SiakSelectForm(forms.Form):
    """The ticked students (`siswa`), the result SIAK gave them, and the day it came."""

    siswa = IdListField(required=False)
    hasil = forms.ChoiceField(
        label=_("SIAK result"),
        choices=[(PRINT_READY, RESULT_LABELS[PRINT_READY]), *SiakResult.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    tanggal = forms.DateField(
        label=_("Date of the result"), widget=DateInput(attrs={"class": "form-control"})
    )

    def clean_tanggal(self):
        return not_after_today(self.cleaned_data["tanggal"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("siswa"):
            raise forms.ValidationError(_("Tick at least one student."))
        return cleaned
