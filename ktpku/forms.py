from html import escape

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with a wrong-password message that reads well in Indonesian.

    Django's own message interpolates the username field's label, which its Indonesian
    catalogue then doubles ("nama pengguna nama pengguna").
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or the password is wrong. Mind capital and small "
            "letters: both fields are case-sensitive."
        ),
    }


class DateInput(forms.DateInput):
    """The browser's own date picker; its value is always ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A select whose options are written in one pass, not a template each: a list of
    thousands of schools renders in milliseconds instead of a second.

    For plain (value, label) choices, without groups or option attributes. With
    `label_field`, model choices are read as (pk, that field) pairs rather than as model
    instances (the label is then the field, not the instance's str()).
    """

    def __init__(self, attrs=None, choices=(), label_field=None):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def _pairs(self):
        queryset = getattr(self.choices, "queryset", None)
        if self.label_field is None or queryset is None:
            yield from self.choices
            return
        if self.choices.field.empty_label is not None:
            yield "", self.choices.field.empty_label
        yield from queryset.values_list("pk", self.label_field)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(option))}"'
            f"{' selected' if str(option) in chosen else ''}>{escape(str(label))}</option>"
            for option, label in self._pairs()
        )
        final = flatatt({**self.build_attrs(self.attrs, attrs), "name": name})
        return mark_safe(f"<select{final}>{options}</select>")  # noqa: S308 (every part escaped)
