"""The audit page's two questions. Both are posted: a NIK never goes into a URL."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ktpku.forms import DateInput

from .filters import NikSearchForm


class UserActivityForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"), queryset=get_user_model().objects.order_by("username")
    )
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until (inclusive)"), widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data

    def period(self):
        """[start, end) as aware datetimes: whole days in WITA."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.cleaned_data["start"], datetime.time(), zone)
        end = datetime.datetime.combine(
            self.cleaned_data["end"] + datetime.timedelta(days=1), datetime.time(), zone
        )
        return start, end


class ChildForm(NikSearchForm):
    """One child, by NIK."""
