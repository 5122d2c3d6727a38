"""Reads over many schools: set-based, one query each.

The schools app may not import students, so the student counts are reached through the
reverse relation by name ("students") and the status values are read from that related
model's field at run time.
"""

from django.db.models import Count, Q

from .models import School


def student_statuses():
    """[(value, label)] of the student status field, in lifecycle order."""
    student_model = School._meta.get_field("students").related_model
    return list(student_model._meta.get_field("status").choices)


def with_student_counts(schools):
    """The schools annotated with `n_students` and `n_<status>` for every status.

    One query: a LEFT JOIN on the students, grouped by school.
    """
    counts = {f"n_{value}": Count("students", filter=Q(students__status=value))
              for value, _label in student_statuses()}
    return schools.annotate(n_students=Count("students"), **counts)


def status_row(school):
    """The annotated counts of one school, in status order, as a list."""
    return [getattr(school, f"n_{value}") for value, _label in student_statuses()]
