"""Forms of the campaign pages: the campaign, its calendar days, teams, and visit changes."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ktpku import roles
from schools.models import School

from .models import CalendarDay, Campaign, Team, Visit

WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _helper(label, *, form_tag=True, action=None, danger=False):
    helper = FormHelper()
    helper.form_tag = form_tag
    if action:
        helper.form_action = action
    button = Submit("submit", label)
    if danger:
        button.field_classes = "btn btn-danger"
    helper.add_input(button)
    return helper


class SchoolChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.kecamatan.name})"


class CampaignForm(forms.ModelForm):
    consent_confirmed = forms.BooleanField(
        label=_("Parents are informed and consent is arranged"),
        required=False,
        help_text=_(
            "Tick once the schools have told the parents, in writing, what is recorded and "
            "why (the privacy notice), and how to object. Without it the campaign is not "
            "planned."
        ),
    )
    schools = SchoolChoices(
        label=_("Schools taking part"),
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("All active schools are ticked for a new campaign."),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "school_year",
            "first_day",
            "last_day",
            "target",
            "fridays_half_day",
            "legal_basis",
            "consent_confirmed",
            "schools",
        ]
        widgets = {
            "first_day": DateInput(),
            "last_day": DateInput(),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "school_year": _("As written, for example 2026/2027."),
            "first_day": _("The first day a team may visit a school."),
            "last_day": _("The last day a team may visit a school."),
            "target": _("How many students the campaign means to record."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active schools, and any inactive one the campaign already has.
        chosen = Q(pk__in=self.instance.schools.values("pk")) if self.instance.pk else Q()
        self.fields["schools"].queryset = (
            School.objects.filter(Q(is_active=True) | chosen)
            .select_related("kecamatan")
            .order_by("kecamatan__name", "name")
        )
        self.initial.setdefault("consent_confirmed", self.instance.consent_confirmed_at is not None)
        if not self.instance.pk:
            self.initial.setdefault(
                "schools", list(School.objects.filter(is_active=True).values_list("pk", flat=True))
            )
        self.helper = _helper(_("Save"))

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        return cleaned


class CalendarDayForm(forms.ModelForm):
    """A day the campaign closes, or a half day, entered by staff."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (CalendarDay.Kind.CLOSED, CalendarDay.Kind.CLOSED.label),
            (CalendarDay.Kind.HALF_DAY, CalendarDay.Kind.HALF_DAY.label),
        ],
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": DateInput()}
        labels = {"name": _("Reason")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign
        self.helper = _helper(_("Add"), action=reverse("campaigns:day_add", args=[campaign.pk]))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not self.campaign.first_day <= date <= self.campaign.last_day:
            raise forms.ValidationError(
                _("This day is outside the campaign (%(first)s to %(last)s).")
                % {
                    "first": self.campaign.first_day.strftime("%d-%m-%Y"),
                    "last": self.campaign.last_day.strftime("%d-%m-%Y"),
                }
            )
        if self.campaign.days.filter(date=date).exists():
            raise forms.ValidationError(_("This day is already in the calendar."))
        return date


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class TeamForm(forms.ModelForm):
    members = MemberChoices(
        label=_("Members"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Recording team accounts (petugas)."),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Working days"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Team
        fields = ["name", "members", "kits", "per_kit_per_day", "weekdays"]
        help_texts = {
            "kits": _("Recording kits the team takes to a school."),
            "per_kit_per_day": _("Students one kit records in a full day."),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign
        self.fields["members"].queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.PETUGAS, is_active=True)
            .order_by("first_name", "username")
        )
        self.initial["weekdays"] = list(self.instance.weekdays)
        self.fields["kits"].min_value = 1
        self.fields["per_kit_per_day"].min_value = 1
        self.helper = _helper(_("Save"))

    def clean_weekdays(self):
        return "".join(sorted(self.cleaned_data["weekdays"]))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = self.campaign.teams.exclude(pk=self.instance.pk)
        if others.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("This campaign already has a team of this name."))
        return name


class TeamChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActiveSchoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.kecamatan.name})"


class VisitAddForm(forms.Form):
    school = ActiveSchoolChoice(label=_("School"), queryset=School.objects.none())
    team = TeamChoice(label=_("Team"), queryset=Team.objects.none())
    date = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = campaign.schools.select_related("kecamatan").order_by(
            "name"
        )
        self.fields["team"].queryset = campaign.teams.order_by("name")
        self.helper = _helper(_("Add the visit"))


class VisitMoveForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DateInput())
    team = TeamChoice(label=_("Team"), queryset=Team.objects.none())

    def __init__(self, *args, visit, **kwargs):
        # Several forms share the visit page: each has ids of its own.
        kwargs.setdefault("auto_id", "move_%s")
        kwargs.setdefault("initial", {"date": visit.date, "team": visit.team_id})
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = visit.campaign.teams.order_by("name")
        self.helper = _helper(_("Move the visit"), form_tag=False)


class VisitSplitForm(forms.Form):
    date = forms.DateField(label=_("Date of the new part"), widget=DateInput())
    team = TeamChoice(label=_("Team"), queryset=Team.objects.none())

    def __init__(self, *args, visit, **kwargs):
        kwargs.setdefault("auto_id", "split_%s")
        kwargs.setdefault("initial", {"team": visit.team_id})
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = visit.campaign.teams.order_by("name")
        self.helper = _helper(_("Split the visit"), form_tag=False)


class VisitCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cancel_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Cancel the visit"), form_tag=False, danger=True)


class VisitAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Visit.Answer.CONFIRMED, _("The date suits the school")),
            (Visit.Answer.CHANGE_ASKED, _("Please choose another day")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason or remark"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you ask for another day: say why, and which days suit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the answer"), form_tag=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("answer") == Visit.Answer.CHANGE_ASKED
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", _("Say why the school asks for another day."))
        return cleaned
