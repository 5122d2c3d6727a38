from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
