"""Reads over many students: set-based, one query each."""

from django.db.models import Count

from .models import Status


def status_counts(students):
    """{status: count} for every status, zeros included, in lifecycle order."""
    found = dict(students.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in Status.values}


def counts_by_kecamatan(students):
    """[(kecamatan name, count)] of the given students, by kecamatan name."""
    rows = (
        students.order_by()
        .values_list("school__kecamatan__name")
        .annotate(n=Count("pk"))
        .order_by("school__kecamatan__name")
    )
    return list(rows)
