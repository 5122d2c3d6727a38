from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ktpku import roles
from schools.access import schools_for_user
from students import selectors
from students.access import students_for_user
from students.models import Status, Student

# The start page lists this many schools; the school list has them all, with filters.
HOME_SCHOOLS = 50


@login_required
@require_safe
def home(request):
    """Each role's start page: what that person needs first when they sign in."""
    user = request.user
    role = roles.role_of(user)
    context = {
        "role": role,
        "role_label": roles.ROLE_LABELS.get(role, ""),
        "statuses": Status.choices,
    }
    if user.has_perm("students.view_statistics") and not user.has_perm("students.view_student"):
        # The head of office: aggregate figures only, never a name or a NIK.
        everyone = Student.objects.all()
        context["status_counts"] = selectors.status_counts(everyone)
        context["kecamatan_counts"] = selectors.counts_by_kecamatan(everyone)
        context["total"] = sum(context["status_counts"].values())
        return render(request, "campaigns/home_figures.html", context)
    schools = list(
        schools_for_user(user).select_related("kecamatan").order_by("name")[:HOME_SCHOOLS]
    )
    students = students_for_user(user)
    counts = selectors.status_counts_by_school(
        students.filter(school__in=[school.pk for school in schools])
    )
    empty = dict.fromkeys(Status.values, 0)
    context["school_rows"] = [(school, counts.get(school.pk, empty)) for school in schools]
    context["status_counts"] = selectors.status_counts(students)
    context["total"] = sum(context["status_counts"].values())
    context["school_total"] = schools_for_user(user).count()
    return render(request, "campaigns/home.html", context)
