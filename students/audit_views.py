"""The audit page (admin only): who touched which children, and what was done to one."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from ktpku.access import requires

from . import access, audit_trail
from .audit_forms import ChildForm, UserActivityForm


@requires(access.can_read_audit_trail, methods=("GET", "HEAD", "POST"))
def audit_page(request):
    question = request.POST.get("question") if request.method == "POST" else None
    user_form = UserActivityForm(request.POST if question == "user" else None)
    child_form = ChildForm(request.POST if question == "child" else None)
    context = {"user_form": user_form, "child_form": child_form, "touched": None, "child": None}
    if question == "user" and user_form.is_valid():
        context["touched"] = audit_trail.children_touched_by(
            user_form.cleaned_data["user"], *user_form.period()
        )
    elif question == "child" and child_form.is_valid():
        child = access.students_for_user(request.user).filter(nik=child_form.cleaned_data["nik"])
        child = child.select_related("school").first()
        if child is None:
            child_form.add_error("nik", _("No student has this NIK."))
        else:
            context["child"] = child
            context["child_form"] = ChildForm()  # the NIK is not echoed back into the page
            context["trail"] = audit_trail.everything_done_to(child)
    return render(request, "students/audit_page.html", context)
