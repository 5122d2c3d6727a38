"""The student registry pages: list and search, the student page, create and edit.

Every student is reached through students.access, so a coordinator or a team member
only ever sees the students of their own schools; anyone else's id answers 404.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from schools.access import schools_for_user

from . import lifecycle
from . import nik as nik_rules
from .access import (
    can_edit_students,
    can_record_events,
    can_see_full_nik,
    get_student_for_user,
    students_for_user,
)
from .filters import NikSearchForm, StudentFilter
from .forms import EventForm, StudentForm
from .models import CloseReason, SiakResult

PAGE_SIZE = 25

audit = logging.getLogger("ktpku.audit")

_REASON_LABELS = {**dict(CloseReason.choices), **dict(SiakResult.choices)}


@login_required
@permission_required("students.view_student", raise_exception=True)
def student_list(request):
    """Students the user may see, filtered by GET parameters and paginated.

    Name and NISN are searched with `?q=`. A NIK is searched only through the POST form
    (`nik` field) so that it never appears in a URL or an access log; a NIK typed into
    `q` is refused with a message pointing to that form. A NIK that matches one of the
    user's students leads straight to that student's page.
    """
    students = students_for_user(request.user)
    nik_form = NikSearchForm(request.POST or None)
    if request.method == "POST" and nik_form.is_valid():
        found = students.filter(nik=nik_form.cleaned_data["nik"]).first()
        if found is not None:
            return redirect("students:detail", pk=found.pk)
        nik_form.add_error("nik", _("None of your students has this NIK."))
    data = request.GET if request.method == "GET" else None
    student_filter = StudentFilter(
        data, queryset=students.for_list(), schools=schools_for_user(request.user)
    )
    page = Paginator(student_filter.qs.order_by("name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "students/student_list.html",
        {
            "filter": student_filter,
            "nik_form": nik_form,
            "page_obj": page,
            "query": query.urlencode(),
            "can_add": request.user.has_perm("students.add_student"),
        },
    )


@login_required
@require_safe
def student_detail(request, pk):
    student = get_student_for_user(request.user, pk)
    return _render_detail(request, student, event_form=_event_form(request, student))


@login_required
@require_POST
def student_record_event(request, pk):
    """Record the next lifecycle event. A refused step is a form error; nothing changes."""
    student = get_student_for_user(request.user, pk)
    if not can_record_events(request.user):
        raise PermissionDenied
    form = _event_form(request, student, data=request.POST)
    if form.is_valid():
        try:
            event = lifecycle.apply(
                student,
                form.cleaned_data["kind"],
                on=form.cleaned_data["date"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except lifecycle.TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("“%(event)s” recorded for %(name)s.")
                % {"event": event.get_kind_display(), "name": student.name},
            )
            return redirect("students:detail", pk=student.pk)
    return _render_detail(request, student, event_form=form, status=400)


@login_required
@permission_required("students.add_student", raise_exception=True)
def student_create(request):
    """Add a student; `?school=<id>` (from a school's page) preselects one of the user's
    schools, and any other value is simply not offered by the form."""
    form = StudentForm(
        request.POST or None,
        schools=schools_for_user(request.user),
        initial={"school": request.GET.get("school")},
    )
    if request.method == "POST" and form.is_valid():
        student = form.save()
        messages.success(request, _("%(name)s was added.") % {"name": student.name})
        _warn(request, form)
        return redirect("students:detail", pk=student.pk)
    return render(request, "students/student_form.html", {"form": form, "student": None})


@login_required
def student_edit(request, pk):
    student = get_student_for_user(request.user, pk)
    if not can_edit_students(request.user):
        raise PermissionDenied
    form = StudentForm(
        request.POST or None, instance=student, schools=schools_for_user(request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes to %(name)s were saved.") % {"name": student.name})
        _warn(request, form)
        return redirect("students:detail", pk=student.pk)
    _audit_full_nik_shown(request, student)  # the form's NIK field holds it in full
    return render(request, "students/student_form.html", {"form": form, "student": student})


def _warn(request, form):
    for issue in form.nik_warnings:
        messages.warning(request, issue.message)


def _audit_full_nik_shown(request, student):
    # UU 27/2022: who saw a full NIK, and when, must be answerable later.
    audit.info("full_nik_shown user=%s student=%s", request.user.pk, student.pk)


def _event_form(request, student, data=None):
    if not can_record_events(request.user):
        return None
    form = EventForm(data, student=student)
    form.helper.form_action = reverse("students:record_event", args=[student.pk])
    return form


def _render_detail(request, student, *, event_form, status=200):
    full_nik = can_see_full_nik(request.user)
    if full_nik:
        _audit_full_nik_shown(request, student)
    events = list(
        student.events.select_related("recorded_by").order_by("date", "recorded_at", "pk")
    )
    for event in events:
        event.reason_label = _REASON_LABELS.get(event.reason, event.reason)
    if event_form is not None and not event_form.fields["kind"].choices:
        event_form = None  # nothing can follow the current status
    return render(
        request,
        "students/student_detail.html",
        {
            "student": student,
            "full_nik": full_nik,
            "events": events,
            "kk_number": student.kk_number if full_nik else nik_rules.mask(student.kk_number),
            "event_form": event_form,
            "can_edit": can_edit_students(request.user),
        },
        status=status,
    )
