"""The student registry pages: list and search, the student page, create and edit.

Who may open each page is said once, on the view, through students.access: a coordinator
or a team member only ever sees the students of their own schools; anyone else's id
answers 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import STUDENT, audit_record
from ktpku.access import POST, SAFE, requires
from ktpku.export_views import export_answer
from schools.access import can_see_all_schools, schools_for_user

from . import access, lifecycle, selectors, tallies
from .filters import FILTER_BY_POST, NikSearchForm, StudentFilter, looks_like_nik
from .forms import EventForm, StudentForm
from .list_export import STUDENT_EXPORT, filter_params, student_filter

PAGE_SIZE = 25


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (None: it counts them itself)."""

    def __init__(self, object_list, per_page, *, count=None):
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached property


def _unfiltered_count(user, student_filter):
    """How many students the list holds when no filter is set, read from the tally the
    database keeps (students.tallies) instead of counting every student; None when a
    filter is set or no tally is kept."""
    form = student_filter.form
    if not tallies.available() or not form.is_valid() or any(form.cleaned_data.values()):
        return None
    schools = None if can_see_all_schools(user) else schools_for_user(user)
    return tallies.sums(schools, {"students": (None, None)}, by_school=False)["students"]


@requires(access.can_view_students)
def student_list(request):
    """Students the user may see, filtered by GET parameters and paginated.

    Name and NISN are searched with `?q=`. A NIK is searched only by POST (the `nik`
    field, or the filter form, which posts and is redirected to its GET address unless its
    box holds a NIK) so that it never appears in a URL or an access log; a NIK typed into
    `?q=` by hand is refused with a message. A NIK that matches one of the user's
    students leads straight to that student's page.
    """
    students = access.students_for_user(request.user)
    nik_form = NikSearchForm(request.POST or None)
    if request.method == "POST" and FILTER_BY_POST in request.POST:
        # The filter form posts too, so a NIK pasted into its search box never reaches a
        # URL: a NIK goes to the NIK search, anything else back to the list by GET.
        if not looks_like_nik(request.POST.get("q", "")):
            return redirect(_list_url(request.POST))
        nik_form = NikSearchForm({"nik": request.POST["q"]})
    if request.method == "POST" and nik_form.is_valid():
        found = students.filter(nik=nik_form.cleaned_data["nik"]).first()
        if found is not None:
            return redirect("students:detail", pk=found.pk)
        nik_form.add_error("nik", _("None of your students has this NIK."))
    data = request.GET if request.method == "GET" else None
    student_filter = StudentFilter(
        data, queryset=students.for_list(), schools=schools_for_user(request.user)
    )
    page = CountedPaginator(
        student_filter.qs.order_by("name", "pk"),
        PAGE_SIZE,
        count=_unfiltered_count(request.user, student_filter),
    ).get_page(request.GET.get("page"))
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
            "export_url": _with_query(reverse("students:export"), query.urlencode()),
            "can_add": access.can_add_students(request.user),
            "can_export_full_nik": access.can_export_full_nik(request.user),
        },
    )


@requires(access.can_export_students, methods=POST)
def student_export(request):
    """The list as a workbook, with the filters of its address (`?status=...&school=...`):
    the same students the list shows, NIKs masked unless the full-NIK box was ticked."""
    params = filter_params(request.GET)
    back = _list_url(params)
    if not student_filter(request.user, params).is_valid():
        messages.error(request, _("The filters are not valid: correct them and try again."))
        return redirect(back)
    return export_answer(request, STUDENT_EXPORT, params, back=back)


@requires(load=access.get_student_page_for_user, methods=SAFE)
def student_detail(request, student):
    # LOG-04: an "accessed" row, so "which children did U view" has an answer.
    audit_record(
        actor=request.user, action=Action.VIEWED, object_type=STUDENT, object_ids=[student.pk]
    )
    return _render_detail(request, student, event_form=_event_form(request, student))


@requires(access.can_reveal_nik, load=access.get_student_for_user, methods=POST)
def student_reveal_nik(request, student):
    """The deliberate reveal: the full NIK and KK, by POST, each time audit-logged.

    htmx swaps the identifiers in place; without JavaScript the whole page comes back
    with them shown.
    """
    audit_record(
        actor=request.user,
        action=Action.NIK_REVEALED,
        object_type=STUDENT,
        object_ids=[student.pk],
    )
    if request.htmx:
        return render(request, "students/_identifiers.html", {"student": student, "revealed": True})
    student = access.get_student_page_for_user(request.user, student.pk)
    return _render_detail(request, student, event_form=_event_form(request, student), revealed=True)


@requires(access.can_record_event, load=access.get_student_page_for_user, methods=POST)
def student_record_event(request, student):
    """Record the next lifecycle event. A refused step is a form error; nothing changes."""
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


@requires(access.can_add_students)
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


@requires(access.can_edit_student, load=access.get_student_for_user)
def student_edit(request, student):
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


def _list_url(data):
    """The list's GET address for the filters in `data`, without empty values or tokens."""
    params = {
        key: value
        for key in ("q", "school", "kecamatan", "status", "turns_17", "overdue")
        if (value := data.get(key, "").strip())
    }
    query = urlencode(params)
    return reverse("students:list") + (f"?{query}" if query else "")


def _with_query(path, query):
    return f"{path}?{query}" if query else path


def _warn(request, form):
    for issue in form.nik_warnings:
        messages.warning(request, issue.message)


def _audit_full_nik_shown(request, student):
    # UU 27/2022: who saw a full NIK, and when, must be answerable later.
    audit_record(
        actor=request.user,
        action=Action.NIK_SHOWN_FOR_EDIT,
        object_type=STUDENT,
        object_ids=[student.pk],
    )


def _event_form(request, student, data=None):
    if not access.can_record_event(request.user, student):
        return None
    form = EventForm(data, student=student)
    form.helper.form_action = reverse("students:record_event", args=[student.pk])
    return form


def _render_detail(request, student, *, event_form, status=200, revealed=False):
    if event_form is not None and not event_form.fields["kind"].choices:
        event_form = None  # nothing can follow the current status
    return render(
        request,
        "students/student_detail.html",
        {
            "student": student,
            "revealed": revealed,
            "can_reveal": access.can_reveal_nik(request.user, student),
            "timeline": selectors.student_timeline(student),
            "event_form": event_form,
            "can_edit": access.can_edit_student(request.user, student),
        },
        status=status,
    )
