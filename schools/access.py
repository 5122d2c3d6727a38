"""Who may see and change which school: the access rules of the schools app.

Staff see every school; a coordinator sees the schools they coordinate; anyone else sees
none. Any other school answers 404, never 403, so a guessed id reveals nothing. The
predicates below decide what a user may do with a school they can see (403 otherwise);
views apply both through `ktpku.access.requires`.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import School


def can_see_all_schools(user):
    return user.has_perm("schools.view_all_schools")


def can_view_schools(user):
    return user.has_perm("schools.view_school")


def schools_for_user(user):
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    if can_see_all_schools(user):
        return School.objects.all()
    if can_view_schools(user):
        # A coordinator's own schools; a team member's, the schools their team visits
        # (through the visits' reverse name: schools does not import campaigns).
        own = School.objects.filter(coordinators=user).values("pk")
        visited = School.objects.filter(
            visits__team__members=user, visits__status="accepted"
        ).values("pk")
        return School.objects.filter(Q(pk__in=own) | Q(pk__in=visited))
    return School.objects.none()


def get_school_for_user(user, pk):
    """The school with its kecamatan, if the user may see it (404 otherwise)."""
    return get_object_or_404(schools_for_user(user).select_related("kecamatan"), pk=pk)


def get_blackout_for_user(user, pk, blackout_pk):
    """A blackout period of a school the user may see (404 otherwise)."""
    school = get_school_for_user(user, pk)
    return get_object_or_404(school.blackouts, pk=blackout_pk)


def get_coordinator_for_user(user, pk, user_pk):
    """The coordinator assignment of user `user_pk` to a school the user may see (404 if
    either is not there), with its school and user."""
    school = get_school_for_user(user, pk)
    assignment = get_object_or_404(
        School.coordinators.through.objects.select_related("user"), school=school, user_id=user_pk
    )
    assignment.school = school
    return assignment


def can_manage_schools(user):
    """Change the registry: the schools themselves and who coordinates them."""
    return user.has_perm("schools.change_school") and can_see_all_schools(user)


def can_add_school(user):
    return can_manage_schools(user) and user.has_perm("schools.add_school")


def can_manage_school(user, school):
    return can_manage_schools(user)


def can_view_blackouts(user, school):
    return user.has_perm("schools.view_blackoutperiod")


def can_add_blackout(user, school):
    return user.has_perm("schools.add_blackoutperiod")


def can_delete_blackouts(user, school):
    return user.has_perm("schools.delete_blackoutperiod")


def can_delete_blackout(user, blackout):
    return can_delete_blackouts(user, blackout.school)


def can_remove_coordinator(user, assignment):
    return can_manage_school(user, assignment.school)
