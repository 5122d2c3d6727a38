"""Which students a user may see, and whether they may see a full NIK.

A student is visible when their school is (schools.access) and the user may view
students at all. Every view that takes a student id goes through get_student_for_user.
"""

from django.shortcuts import get_object_or_404

from schools.access import schools_for_user

from .models import Student


def students_for_user(user):
    if not user.is_authenticated or not user.has_perm("students.view_student"):
        return Student.objects.none()
    if user.has_perm("schools.view_all_schools"):
        return Student.objects.all()
    return Student.objects.filter(school__in=schools_for_user(user).values("pk"))


def get_student_for_user(user, pk):
    return get_object_or_404(students_for_user(user).for_list(), pk=pk)


def can_see_full_nik(user):
    return user.has_perm("students.view_full_nik")


def can_edit_students(user):
    """The edit form holds the full NIK, so editing needs the right to see it too."""
    return user.has_perm("students.change_student") and can_see_full_nik(user)


def can_record_events(user):
    return user.has_perm("students.record_event")
