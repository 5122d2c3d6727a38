"""Forms of the school registry: the school, its blackout periods, its coordinators."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ktpku.forms import DateInput

from . import identifiers, selectors
from .models import BlackoutPeriod, Region, School


def office_kecamatan():
    """The kecamatan of the office's own regency."""
    return Region.objects.filter(
        level=Region.Level.KECAMATAN, parent_id=settings.OFFICE_REGENCY_CODE
    ).order_by("name")


class KecamatanChoiceField(forms.ModelChoiceField):
    """A kecamatan by its name: people know "Paringin", not "63.11.06"."""

    def label_from_instance(self, obj):
        return obj.name


class SchoolForm(forms.ModelForm):
    """A school. At least one identifier is required; each is checked for its shape.

    The database enforces "at least one identifier" too; checking here first gives the
    user a message on the form instead of an IntegrityError.
    """

    kecamatan = KecamatanChoiceField(label=_("Kecamatan"), queryset=Region.objects.none())
    # Wider than what is stored: spaces, dots and an apostrophe are removed first.
    # (Declared fields ignore Meta.help_texts, so the help is given here.)
    npsn = forms.CharField(
        label=_("NPSN"), max_length=30, required=False, help_text=_("8 characters, from Dapodik.")
    )
    nsm = forms.CharField(
        label=_("NSM"),
        max_length=30,
        required=False,
        help_text=_("12 digits starting with 131, for a madrasah (EMIS)."),
    )
    nspp = forms.CharField(
        label=_("NSPP"),
        max_length=30,
        required=False,
        help_text=_("12 digits, for a pesantren (EMIS)."),
    )

    class Meta:
        model = School
        fields = [
            "name",
            "kind",
            "pesantren_level",
            "npsn",
            "nsm",
            "nspp",
            "kecamatan",
            "address",
            "head_name",
            "phone",
            "latitude",
            "longitude",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The office's own kecamatan, plus the current one of a school imported from
        # elsewhere, so that school can still be edited.
        current = Region.objects.filter(pk=self.instance.kecamatan_id)
        self.fields["kecamatan"].queryset = (office_kecamatan() | current).order_by("name")
        self.fields["kecamatan"].empty_label = _("Choose the kecamatan")
        self.fields["kind"].choices = [("", _("Choose"))] + list(School.Kind.choices)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("save", _("Save"), css_id="save-school"))

    def clean_npsn(self):
        value = identifiers.normalise(self.cleaned_data["npsn"])
        if value and not identifiers.is_npsn(value):
            raise forms.ValidationError(
                _("An NPSN has exactly 8 letters or digits."), code="npsn_format"
            )
        return self._unused("npsn", value)

    def clean_nsm(self):
        value = identifiers.normalise(self.cleaned_data["nsm"])
        if value and not identifiers.is_nsm(value):
            raise forms.ValidationError(
                _("An NSM has exactly 12 digits and starts with 131."), code="nsm_format"
            )
        return self._unused("nsm", value)

    def clean_nspp(self):
        value = identifiers.normalise(self.cleaned_data["nspp"])
        if value and not identifiers.is_nspp(value):
            raise forms.ValidationError(_("An NSPP has exactly 12 digits."), code="nspp_format")
        return self._unused("nspp", value)

    def _unused(self, field, value):
        """The value, unless another school has it already (said here, by name)."""
        if not value:
            return value
        other = (
            School.objects.filter(**{field: value})
            .exclude(pk=self.instance.pk)
            .only("name")
            .first()
        )
        if other is not None:
            raise forms.ValidationError(
                _("%(school)s already has this %(identifier)s.")
                % {"school": other.name, "identifier": field.upper()},
                code="identifier_taken",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        given = [cleaned.get(name) for name in ("npsn", "nsm", "nspp")]
        no_errors = not any(name in self.errors for name in ("npsn", "nsm", "nspp"))
        if no_errors and not any(given):
            # On the NPSN field, so the database's own check is skipped for this form
            # and the user reads one clear message.
            self.add_error(
                "npsn",
                forms.ValidationError(
                    _("Fill in at least one identifier: NPSN, NSM or NSPP."),
                    code="identifier_missing",
                ),
            )
        if cleaned.get("kind") != School.Kind.PESANTREN and cleaned.get("pesantren_level"):
            self.add_error(
                "pesantren_level",
                forms.ValidationError(
                    _("Only a pesantren has a pesantren level."), code="level_not_pesantren"
                ),
            )
        return cleaned


class BlackoutForm(forms.ModelForm):
    class Meta:
        model = BlackoutPeriod
        fields = ["start", "end", "reason"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        if school is not None:
            self.instance.school = school
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("add", _("Add"), css_id="add-blackout"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                forms.ValidationError(
                    _("The last day cannot be before the first day."), code="end_before_start"
                ),
            )
        elif (
            start
            and end
            and self.instance.school_id
            and BlackoutPeriod.objects.filter(
                school_id=self.instance.school_id, start__lte=start, end__gte=end
            ).exists()
        ):
            # A double click, or the same exam week typed twice: nothing new to add.
            self.add_error(
                "start",
                forms.ValidationError(
                    _("These days are already in a blackout period of this school."),
                    code="blackout_already_covered",
                ),
            )
        return cleaned


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


class CoordinatorForm(forms.Form):
    user = UserChoiceField(label=_("Coordinator"), queryset=None, empty_label=_("Choose a user"))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        # The school's own coordinators are listed above the form, each with its
        # "remove" button: only the accounts still free are offered here.
        self.fields["user"].queryset = selectors.coordinator_candidates(school).exclude(
            coordinated_schools=school
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("assign", _("Add coordinator"), css_id="add-coordinator"))
