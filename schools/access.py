"""Which schools a user may see: the one object-level check of the schools app.

Staff see every school; a coordinator sees the schools they coordinate; anyone else sees
none. Any other school answers 404, never 403, so a guessed id reveals nothing.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import School


def schools_for_user(user):
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    if user.has_perm("schools.view_all_schools"):
        return School.objects.all()
    if user.has_perm("schools.view_school"):
        # A coordinator's own schools; a team member's, the schools their team visits
        # (through the visits' reverse name: schools does not import campaigns).
        own = School.objects.filter(coordinators=user).values("pk")
        visited = School.objects.filter(
            visits__team__members=user, visits__status="accepted"
        ).values("pk")
        return School.objects.filter(Q(pk__in=own) | Q(pk__in=visited))
    return School.objects.none()


def get_school_for_user(user, pk, queryset=None):
    base = schools_for_user(user)
    if queryset is not None:
        base = queryset & base
    return get_object_or_404(base, pk=pk)


def can_manage_schools(user):
    return user.has_perm("schools.change_school") and user.has_perm("schools.view_all_schools")
