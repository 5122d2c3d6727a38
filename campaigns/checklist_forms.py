"""The student who turns up at a visit without being on its list: the same checks as a
roster row (students.roster.validation), on one row typed by the team."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.regions import kecamatan_prefixes
from students.models import Sex, Student
from students.roster import validation

FIELDS = ("name", "nik", "sex", "birth_date", "nisn", "class_name")


class StudentOnTheSpotForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    nik = forms.CharField(label=_("NIK"), max_length=30)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.CharField(
        label=_("Birth date"),
        max_length=30,
        help_text=_("DD-MM-YYYY, e.g. 05-08-2009"),
    )
    nisn = forms.CharField(label=_("NISN"), max_length=30, required=False)
    class_name = forms.CharField(label=_("Class"), max_length=50, required=False)

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.warnings = []

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        labels = {name: str(self.fields[name].label) for name in FIELDS}
        row = {"row": 1, **{name: data.get(name) or "" for name in FIELDS}}
        result = validation.validate_row(
            row, labels, known_regions=kecamatan_prefixes(), reference=self.visit.date
        )
        by_label = {label: name for name, label in labels.items()}
        for issue in result.issues:
            if issue["severity"] == validation.ERROR:
                self.add_error(by_label.get(issue["column"]), issue["message"])
            else:
                self.warnings.append(issue["message"])
        if not result.is_valid:
            return data
        known = Student.objects.filter(nik=result.values["nik"]).select_related("school").first()
        if known is not None and known.school_id != self.visit.school_id:
            self.add_error(
                "nik",
                _("This NIK belongs to a student of %(school)s: the school must ask for a move.")
                % {"school": known.school.name},
            )
        self.student = known
        self.values = result.values
        return data
