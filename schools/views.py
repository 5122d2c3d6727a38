"""The school registry pages: the list, a school's page, and what staff change on it.

Who may open each page is said once, on the view, through schools.access: staff see all
schools, a coordinator their own, and any other id answers 404.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ktpku.access import POST, SAFE, requires

from . import access, geo, selectors, services
from .filters import SchoolFilter
from .forms import BlackoutForm, CoordinatorForm, SchoolForm

PAGE_SIZE = 25


@requires(access.can_view_schools)
def school_list(request):
    """The schools the user may see, with their students counted by status."""
    school_filter = SchoolFilter(
        request.GET, queryset=access.schools_for_user(request.user), request=request
    )
    schools = school_filter.qs.select_related("kecamatan").order_by("name", "pk")
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.student_counts([school.pk for school in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "schools/school_list.html",
        {
            "filter": school_filter,
            "page_obj": page,
            "query": query.urlencode(),
            "rows": [(school, *counts[school.pk]) for school in page],
            "statuses": selectors.student_statuses(),
            "can_add": access.can_add_school(request.user),
        },
    )


@requires(load=access.get_school_for_user, methods=SAFE)
def school_detail(request, school):
    return _render_detail(request, school)


@requires(access.can_add_school)
def school_create(request):
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = form.save()
        messages.success(request, _("%(name)s was added.") % {"name": school.name})
        _warn(request, form)
        return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/school_form.html", {"form": form, "school": None})


@requires(access.can_manage_school, load=access.get_school_for_user)
def school_edit(request, school):
    form = SchoolForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes to %(name)s were saved.") % {"name": school.name})
        _warn(request, form)
        return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/school_form.html", {"form": form, "school": school})


@requires(access.can_add_blackout, load=access.get_school_for_user, methods=POST)
def blackout_add(request, school):
    form = BlackoutForm(request.POST, school=school)
    if form.is_valid():
        form.save()
        messages.success(request, _("The blackout period was added."))
        return redirect(reverse("schools:detail", args=[school.pk]) + "#blackouts")
    return _render_detail(request, school, blackout_form=form, status=400)


@requires(access.can_delete_blackout, load=access.get_blackout_for_user, methods=POST)
def blackout_delete(request, blackout):
    blackout.delete()
    messages.success(request, _("The blackout period was removed."))
    return redirect(reverse("schools:detail", args=[blackout.school_id]) + "#blackouts")


@requires(access.can_manage_school, load=access.get_school_for_user, methods=POST)
def coordinator_add(request, school):
    form = CoordinatorForm(request.POST, school=school)
    if form.is_valid():
        user = form.cleaned_data["user"]
        services.school_coordinator_add(school=school, user=user, by=request.user)
        messages.success(
            request,
            _("%(user)s now coordinates %(school)s.")
            % {"user": user.get_username(), "school": school.name},
        )
        return redirect(reverse("schools:detail", args=[school.pk]) + "#coordinators")
    return _render_detail(request, school, coordinator_form=form, status=400)


@requires(access.can_remove_coordinator, load=access.get_coordinator_for_user, methods=POST)
def coordinator_remove(request, assignment):
    school, user = assignment.school, assignment.user
    services.school_coordinator_remove(school=school, user=user, by=request.user)
    messages.success(
        request,
        _("%(user)s no longer coordinates %(school)s.")
        % {"user": user.get_username(), "school": school.name},
    )
    return redirect(reverse("schools:detail", args=[school.pk]) + "#coordinators")


def _coordinates(school):
    if school.latitude is None or school.longitude is None:
        return ""
    return geo.as_text(school.latitude, school.longitude)


def _warn(request, form):
    for warning in form.warnings:
        messages.warning(request, warning)


def _render_detail(request, school, *, blackout_form=None, coordinator_form=None, status=200):
    user = request.user
    manage = access.can_manage_school(user, school)
    total, row = selectors.student_counts([school.pk])[school.pk]
    context = {
        "school": school,
        "coordinates": _coordinates(school),
        "counts": list(zip(selectors.student_statuses(), row, strict=True)),
        "n_students": total,
        "coordinators": get_user_model()
        .objects.filter(coordinated_schools=school)
        .order_by("username"),
        "can_manage": manage,
        "show_blackouts": access.can_view_blackouts(user, school),
        "blackouts": school.blackouts.order_by("start", "pk"),
        "can_delete_blackout": access.can_delete_blackouts(user, school),
    }
    if access.can_add_blackout(user, school):
        context["blackout_form"] = blackout_form or BlackoutForm()
        context["blackout_form"].helper.form_action = reverse(
            "schools:blackout_add", args=[school.pk]
        )
    if manage:
        context["coordinator_form"] = coordinator_form or CoordinatorForm(school=school)
        context["coordinator_form"].helper.form_action = reverse(
            "schools:coordinator_add", args=[school.pk]
        )
    return render(request, "schools/school_detail.html", context, status=status)
