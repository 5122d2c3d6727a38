"""The school registry pages: the list, a school's page, and what staff change on it.

Every school is reached through schools.access: staff see all, a coordinator their own
school, and any other id answers 404. Changing a school needs the staff permissions.
"""

import logging

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from . import identifiers, selectors
from .access import can_manage_schools, get_school_for_user, schools_for_user
from .forms import (
    BlackoutForm,
    CoordinatorForm,
    KecamatanChoiceField,
    SchoolForm,
    office_kecamatan,
)
from .models import School

PAGE_SIZE = 25

# Who may see which school's children is decided by these assignments: keep a trace,
# since simple-history does not follow many-to-many changes.
audit = logging.getLogger("ktpku.audit")


class KecamatanFilter(django_filters.ModelChoiceFilter):
    field_class = KecamatanChoiceField


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Name or code"), method="filter_q")
    kecamatan = KecamatanFilter(
        label=gettext_lazy("Kecamatan"),
        queryset=lambda request: office_kecamatan(),
        empty_label=gettext_lazy("All kecamatan"),
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"),
        choices=School.Kind.choices,
        empty_label=gettext_lazy("All kinds"),
    )

    class Meta:
        model = School
        fields = ["q", "kecamatan", "kind"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        code = identifiers.normalise(value)
        return queryset.filter(Q(name__icontains=value) | Q(npsn=code) | Q(nsm=code) | Q(nspp=code))


@login_required
@permission_required("schools.view_school", raise_exception=True)
def school_list(request):
    """The schools the user may see, with their students counted by status."""
    school_filter = SchoolFilter(
        request.GET, queryset=schools_for_user(request.user), request=request
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
            "can_add": can_manage_schools(request.user)
            and request.user.has_perm("schools.add_school"),
        },
    )


@login_required
@require_safe
def school_detail(request, pk):
    school = get_school_for_user(request.user, pk, School.objects.select_related("kecamatan"))
    return _render_detail(request, school)


@login_required
@permission_required("schools.add_school", raise_exception=True)
def school_create(request):
    if not can_manage_schools(request.user):
        raise PermissionDenied
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = form.save()
        messages.success(request, _("%(name)s was added.") % {"name": school.name})
        return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/school_form.html", {"form": form, "school": None})


@login_required
def school_edit(request, pk):
    school = _school_to_manage(request, pk)
    form = SchoolForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes to %(name)s were saved.") % {"name": school.name})
        return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/school_form.html", {"form": form, "school": school})


@login_required
@require_POST
def blackout_add(request, pk):
    school = get_school_for_user(request.user, pk)
    if not request.user.has_perm("schools.add_blackoutperiod"):
        raise PermissionDenied
    form = BlackoutForm(request.POST, school=school)
    if form.is_valid():
        form.save()
        messages.success(request, _("The blackout period was added."))
        return redirect(reverse("schools:detail", args=[school.pk]) + "#blackouts")
    return _render_detail(request, school, blackout_form=form, status=400)


@login_required
@require_POST
def blackout_delete(request, pk, blackout_pk):
    school = get_school_for_user(request.user, pk)
    blackout = get_object_or_404(school.blackouts, pk=blackout_pk)
    if not request.user.has_perm("schools.delete_blackoutperiod"):
        raise PermissionDenied
    blackout.delete()
    messages.success(request, _("The blackout period was removed."))
    return redirect(reverse("schools:detail", args=[school.pk]) + "#blackouts")


@login_required
@require_POST
def coordinator_add(request, pk):
    school = _school_to_manage(request, pk)
    form = CoordinatorForm(request.POST, school=school)
    if form.is_valid():
        user = form.cleaned_data["user"]
        school.coordinators.add(user)
        audit.info("coordinator_added school=%s user=%s by=%s", school.pk, user.pk, request.user.pk)
        messages.success(
            request,
            _("%(user)s now coordinates %(school)s.")
            % {"user": user.get_username(), "school": school.name},
        )
        return redirect(reverse("schools:detail", args=[school.pk]) + "#coordinators")
    return _render_detail(request, school, coordinator_form=form, status=400)


@login_required
@require_POST
def coordinator_remove(request, pk, user_pk):
    school = _school_to_manage(request, pk)
    user = get_object_or_404(school.coordinators.all(), pk=user_pk)
    school.coordinators.remove(user)
    audit.info("coordinator_removed school=%s user=%s by=%s", school.pk, user.pk, request.user.pk)
    messages.success(
        request,
        _("%(user)s no longer coordinates %(school)s.")
        % {"user": user.get_username(), "school": school.name},
    )
    return redirect(reverse("schools:detail", args=[school.pk]) + "#coordinators")


def _school_to_manage(request, pk):
    """The school, if the user may see it (else 404) and manage it (else 403)."""
    school = get_school_for_user(request.user, pk)
    if not can_manage_schools(request.user):
        raise PermissionDenied
    return school


def _render_detail(request, school, *, blackout_form=None, coordinator_form=None, status=200):
    user = request.user
    manage = can_manage_schools(user)
    total, row = selectors.student_counts([school.pk])[school.pk]
    context = {
        "school": school,
        "counts": list(zip(selectors.student_statuses(), row, strict=True)),
        "n_students": total,
        "coordinators": get_user_model()
        .objects.filter(coordinated_schools=school)
        .order_by("username"),
        "can_manage": manage,
        "show_blackouts": user.has_perm("schools.view_blackoutperiod"),
        "blackouts": school.blackouts.order_by("start", "pk"),
        "can_delete_blackout": user.has_perm("schools.delete_blackoutperiod"),
    }
    if user.has_perm("schools.add_blackoutperiod"):
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
