"""Forms of the school registry: the school, its blackout periods, its coordinators."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ktpku.forms import DateInput

from . import geo, identifiers, selectors
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


# The identifier each kind of school is registered under (DOMAIN.md): Dapodik's NPSN for
# the education ministry's schools, EMIS's NSM for a madrasah, the NSPP for a pesantren.
IDENTIFIER_OF_KIND = {
    School.Kind.SMA: "npsn",
    School.Kind.SMK: "npsn",
    School.Kind.SLB: "npsn",
    School.Kind.MA: "nsm",
    School.Kind.PESANTREN: "nspp",
}
_PHONE_SEPARATORS = re.compile(r"[\s.()-]")
# Digits, with an optional leading +62 (the country code) or 0 (a domestic number).
_PHONE = re.compile(r"^(?:\+62|0)?[1-9][0-9]{5,12}$")


class SchoolForm(forms.ModelForm):
    """A school. At least one identifier is required; each is checked for its shape.

    The database enforces "at least one identifier" too; checking here first gives the
    user a message on the form instead of an IntegrityError. A new school, or one whose
    kind changes, also needs the identifier (and, for a pesantren, the level) of its kind.

    After `is_valid()`, `warnings` holds what the view shows once the school is saved
    (coordinates far outside the regency).
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
        help_texts = {
            "phone": _("Digits, starting with 0 or +62, for example 0526 2028123."),
            "latitude": _("Decimal degrees; south of the equator it is negative."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = []
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

    def clean_phone(self):
        value = _PHONE_SEPARATORS.sub("", self.cleaned_data["phone"])
        if value and not _PHONE.match(value):
            raise forms.ValidationError(
                _("A phone number is digits, optionally starting with +62 or 0."),
                code="phone_format",
            )
        return value

    def clean_latitude(self):
        return self._in_range("latitude", geo.latitude_ok, _("A latitude lies between -90 and 90."))

    def clean_longitude(self):
        message = _("A longitude lies between -180 and 180.")
        return self._in_range("longitude", geo.longitude_ok, message)

    def _in_range(self, field, check, message):
        value = self.cleaned_data[field]
        if value is not None and not check(value):
            raise forms.ValidationError(message, code=f"{field}_range")
        return value

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
        kind_rules = self.instance.pk is None or "kind" in self.changed_data
        if kind_rules:
            self._clean_for_kind(cleaned)
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
        self._clean_coordinates(cleaned)
        return cleaned

    def _clean_for_kind(self, cleaned):
        """The identifier and level the chosen kind needs (a new school, or a new kind)."""
        kind = cleaned.get("kind")
        identifier = IDENTIFIER_OF_KIND.get(kind)
        if identifier and identifier not in self.errors and not cleaned.get(identifier):
            self.add_error(
                identifier,
                forms.ValidationError(
                    _("A school of kind %(kind)s needs its %(identifier)s.")
                    % {"kind": School.Kind(kind).label, "identifier": identifier.upper()},
                    code="identifier_for_kind",
                ),
            )
        if kind == School.Kind.PESANTREN and not cleaned.get("pesantren_level"):
            self.add_error(
                "pesantren_level",
                forms.ValidationError(
                    _("Choose the level of the pesantren."), code="pesantren_level_missing"
                ),
            )

    def _clean_coordinates(self, cleaned):
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(
                missing,
                forms.ValidationError(
                    _("Give both the latitude and the longitude, or neither."),
                    code="coordinates_incomplete",
                ),
            )
            return
        if latitude is None:
            return
        distance = geo.distance_km((latitude, longitude), settings.OFFICE_AREA_CENTRE)
        if distance > settings.OFFICE_AREA_RADIUS_KM:
            self.warnings.append(
                _(
                    "The coordinates %(point)s lie %(distance)s km from %(regency)s: check "
                    "them (were latitude and longitude swapped?)."
                )
                % {
                    "point": geo.as_text(latitude, longitude),
                    "distance": number_format(round(distance), force_grouping=True),
                    "regency": settings.OFFICE_REGENCY_NAME,
                }
            )


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
