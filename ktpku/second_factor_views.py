"""Enrolling an authenticator app and proving it at each sign-in."""

from django import forms
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from . import second_factor
from .access import requires

BOTH = ("GET", "POST")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "home"


@requires(second_factor.needs_second_factor, methods=BOTH)
def setup(request):
    if second_factor.has_app(request.user):
        return redirect("second_factor_verify")
    device = second_factor.pending_app(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = second_factor.confirm_app(request, device, form.cleaned_data["code"])
        if codes is not None:
            context = {"codes": codes, "next": resolve_url(_next_url(request))}
            return render(request, "registration/second_factor_codes.html", context)
        form.add_error("code", _("The code is wrong or too old. Type the code the app shows now."))
    context = {
        "form": form,
        "qr": second_factor.qr_svg(device),
        "secret": second_factor.secret_text(device),
        "next": request.GET.get("next", ""),
    }
    return render(request, "registration/second_factor_setup.html", context)


@requires(second_factor.needs_second_factor, methods=BOTH)
def verify(request):
    if not second_factor.must_verify(request):
        return redirect(_next_url(request))
    if not second_factor.has_app(request.user):
        return redirect("second_factor_setup")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("The code is wrong, already used or too old. Wait for a new code and try again."),
        )
    context = {"form": form, "next": request.GET.get("next", "")}
    return render(request, "registration/second_factor_verify.html", context)
