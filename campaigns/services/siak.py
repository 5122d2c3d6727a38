"""Applying the SIAK results of a checked list: one set-based lifecycle step per result."""

from django.db import transaction

from students import dates, lifecycle
from students.models import EventKind, Student

from ..siak import PRINT_READY


@transaction.atomic
def siak_results_apply(*, rows, by):
    """rows: [[nik, result]] from a preview. Returns {result: students moved}.

    A student already moved (a second confirm, or a result entered meanwhile on the
    student page) is not recorded any more, so the step leaves them out: nothing doubles.
    """
    by_result = {}
    for nik, result in rows:
        by_result.setdefault(result, []).append(nik)
    moved = {}
    for result, niks in sorted(by_result.items()):
        students = Student.objects.filter(nik__in=niks)
        if result == PRINT_READY:
            changed = lifecycle.apply_many(students, EventKind.PRINT_READY, on=dates.today(), by=by)
        else:
            changed = lifecycle.apply_many(
                students, EventKind.SIAK_PROBLEM, on=dates.today(), by=by, reason=result
            )
        moved[result] = len(changed)
    return moved
