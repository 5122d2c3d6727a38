"""Who may see which students, and what they may do with them.

A student is visible when their school is (schools.access) and the user may view
students at all; any other student answers 404. Every view that takes a student id loads
it through get_student_for_user; the predicates below answer 403, applied through
`ktpku.access.requires`.
"""

from django.shortcuts import get_object_or_404

from schools.access import can_see_all_schools, schools_for_user

from .models import Student


def can_view_students(user):
    return user.has_perm("students.view_student")


def students_for_user(user):
    if not user.is_authenticated or not can_view_students(user):
        return Student.objects.none()
    if can_see_all_schools(user):
        return Student.objects.all()
    return Student.objects.filter(school__in=schools_for_user(user).values("pk"))


def get_student_for_user(user, pk):
    return get_object_or_404(students_for_user(user).for_list(), pk=pk)


def get_student_page_for_user(user, pk):
    """The student as their page shows them: with school, kecamatan and confirmed moves."""
    return get_object_or_404(students_for_user(user).for_list(), pk=pk)


def sees_figures_only(user):
    """The head of office: aggregate figures, never a name or a NIK."""
    return user.has_perm("students.view_statistics") and not can_view_students(user)


def can_see_full_nik(user):
    return user.has_perm("students.view_full_nik")


def can_reveal_nik(user, student):
    """Pressing "Tampilkan NIK": staff with the full-NIK right, or a coordinator of the
    student's own school (each reveal is audit-logged)."""
    if can_see_full_nik(user):
        return True
    return student.school.coordinators.filter(pk=user.pk).exists()


def can_export_students(user):
    """The student list as a workbook: whoever sees the list, for the students it shows."""
    return can_view_students(user)


def can_export_full_nik(user):
    """Ticking "Tampilkan NIK lengkap" on an export: office staff with the full-NIK right.

    A coordinator may reveal one student's NIK on its page (audit-logged), but a list that
    leaves the system keeps its NIKs masked for them (DESIGN.md, "Printables and exports").
    """
    return can_see_full_nik(user)


def can_read_audit_trail(user):
    """The audit page: the admin role (office IT, head of PIAK) only."""
    return user.has_perm("audit.view_auditevent")


def can_add_students(user):
    return user.has_perm("students.add_student")


def can_edit_students(user):
    """The edit form holds the full NIK, so editing needs the right to see it too."""
    return user.has_perm("students.change_student") and can_see_full_nik(user)


def can_edit_student(user, student):
    return can_edit_students(user)


def can_record_event(user, student):
    return user.has_perm("students.record_event")
