"""The form staff use to enter the regency's coverage figures for a year."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from schools.forms import KecamatanChoiceField, office_kecamatan
from students import dates


class CoverageForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    # The office's own kecamatan only, by name (the region table holds all of Indonesia).
    kecamatan = KecamatanChoiceField(
        label=_("Kecamatan"),
        queryset=office_kecamatan(),
        required=False,
        empty_label=_("The whole regency"),
    )
    obliged = forms.IntegerField(label=_("Residents obliged to hold a KTP"), min_value=0)
    without_ktp = forms.IntegerField(label=_("Of them without a KTP"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = office_kecamatan()  # the office as now configured
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= dates.today().year:
            raise forms.ValidationError(
                _("Give a year from 2000 to this year."), code="year_out_of_range"
            )
        return year

    def clean(self):
        data = super().clean()
        obliged, without = data.get("obliged"), data.get("without_ktp")
        if obliged is not None and without is not None and without > obliged:
            self.add_error(
                "without_ktp",
                forms.ValidationError(
                    _("Cannot be more than the residents obliged to hold a KTP."),
                    code="without_over_obliged",
                ),
            )
        return data
