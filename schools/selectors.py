"""Reads over many schools: set-based, one query each.

The schools app may not import students, so the student counts are reached through the
reverse relation by name ("students") and the status values are read from that related
model's field at run time.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from ktpku import roles

from .models import School


def student_statuses():
    """[(value, label)] of the student status field, in lifecycle order."""
    student_model = School._meta.get_field("students").related_model
    return list(student_model._meta.get_field("status").choices)


def with_student_counts(schools):
    """The schools annotated with `n_students` and `n_<status>` for every status.

    One query: a LEFT JOIN on the students, grouped by school.
    """
    counts = {
        f"n_{value}": Count("students", filter=Q(students__status=value))
        for value, _label in student_statuses()
    }
    return schools.annotate(n_students=Count("students"), **counts)


def status_row(school):
    """The annotated counts of one school, in status order, as a list."""
    return [getattr(school, f"n_{value}") for value, _label in student_statuses()]


def student_counts(school_ids):
    """{school id: (number of students, [count per status in status order])}, one query.

    For a page of schools: only their students are counted (the (school, status) index),
    not every student of every school the filter matched.
    """
    schools = with_student_counts(School.objects.filter(pk__in=school_ids).order_by())
    return {school.pk: (school.n_students, status_row(school)) for school in schools}


def coordinator_candidates(school=None):
    """The coordinator accounts `school` may be given: active users with the coordinator
    role who coordinate no school yet, and those who already coordinate this one.

    Another school's coordinators are left out: the picker never offers them.
    """
    free = Q(coordinated_schools=None)
    if school is not None and school.pk is not None:
        free |= Q(coordinated_schools=school)
    return (
        get_user_model()
        .objects.filter(free, groups__name=roles.KOORDINATOR, is_active=True)
        .order_by("username")
        .distinct()
    )
