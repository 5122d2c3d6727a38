from django.shortcuts import render

from ktpku import roles
from ktpku.access import SAFE, requires
from schools import selectors as school_selectors
from schools.access import schools_for_user
from students import dates, selectors
from students.access import sees_figures_only, students_for_user
from students.models import Status, Student

from .access import can_answer_visits, can_plan_campaigns, can_view_dashboard
from .cards import queue
from .dashboard import dashboard_figures, summary_figures
from .todo import staff_todo

# The start page lists this many schools; the school list has them all, with filters.
HOME_SCHOOLS = 50


@requires(methods=SAFE)
def home(request):
    """Each role's start page: what that person needs first when they sign in."""
    user = request.user
    role = roles.role_of(user)
    context = {
        "role": role,
        "role_label": roles.ROLE_LABELS.get(role, ""),
        "statuses": Status.choices,
        "can_view_dashboard": can_view_dashboard(user),
    }
    if sees_figures_only(user):
        everyone = Student.objects.all()
        context["status_counts"] = selectors.status_counts(everyone)
        context["kecamatan_counts"] = selectors.counts_by_kecamatan(everyone)
        context["total"] = sum(context["status_counts"].values())
        return render(request, "campaigns/home_figures.html", context)
    if can_plan_campaigns(user):
        return _staff_home(request, context)
    schools = list(
        schools_for_user(user).select_related("kecamatan").order_by("name")[:HOME_SCHOOLS]
    )
    students = students_for_user(user)
    # Whole schools are visible or not, so a school's students are all the user's to count.
    counts = school_selectors.student_counts([school.pk for school in schools])
    context["school_rows"] = [
        (school, dict(zip(Status.values, counts[school.pk][1], strict=True))) for school in schools
    ]
    context["status_counts"] = selectors.status_counts(students)
    context["total"] = sum(context["status_counts"].values())
    context["school_total"] = schools_for_user(user).count()
    if schools and can_answer_visits(user):
        context["figures"] = dashboard_figures(user)
        context["batches"] = list(queue.open_batches().filter(school__in=schools_for_user(user)))
    return render(request, "campaigns/home.html", context)


def _staff_home(request, context):
    today = dates.today()
    figures = summary_figures(request.user, today)
    campaign = figures["campaign"]
    visits_today, visits_tomorrow, items = staff_todo(campaign and campaign["pk"], today)
    context.update(
        figures=figures,
        visits_today=visits_today,
        visits_tomorrow=visits_tomorrow,
        todo=items,
        today=today,
    )
    return render(request, "campaigns/home_staff.html", context)
