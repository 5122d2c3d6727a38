"""Forms of the card pages: the queue's filter and actions, reprint, handover."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ktpku.forms import DateInput
from schools.models import School
from students import dates
from students.models import ReprintReason


def not_after_today(day):
    if day > dates.today():
        raise forms.ValidationError(
            _("The date %(date)s is in the future.") % {"date": date_format(day)}
        )
    return day


class QueueFilterForm(forms.Form):
    sekolah = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.order_by("name"),
        required=False,
        empty_label=_("All schools"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    dari = forms.DateField(
        label=_("Due from"), required=False, widget=DateInput(attrs={"class": "form-control"})
    )
    sampai = forms.DateField(
        label=_("Due until"), required=False, widget=DateInput(attrs={"class": "form-control"})
    )


class IdListField(forms.Field):
    """Ticked ids; which of them may be acted on is the service's question."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(
                _("The list of students is damaged: reload the page.")
            ) from exc


class CardIdsForm(forms.Form):
    """The ticked students (`siswa`), or the one of a row's own button (`satu`), and a day."""

    siswa = IdListField(required=False)
    satu = forms.IntegerField(required=False)
    tanggal = forms.DateField(label=_("Date"), widget=DateInput())

    def clean_tanggal(self):
        return not_after_today(self.cleaned_data["tanggal"])

    def clean(self):
        cleaned = super().clean()
        one = cleaned.get("satu")
        cleaned["ids"] = [one] if one is not None else cleaned.get("siswa") or []
        if not self.errors and not cleaned["ids"]:
            raise forms.ValidationError(_("Tick at least one student."))
        return cleaned


class HandoverForm(CardIdsForm):
    ikd = IdListField(required=False)


class ReprintForm(forms.Form):
    alasan = forms.ChoiceField(label=_("Reason"), choices=ReprintReason.choices)
    tanggal = forms.DateField(label=_("Date"), widget=DateInput())
    catatan = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_tanggal(self):
        return not_after_today(self.cleaned_data["tanggal"])
