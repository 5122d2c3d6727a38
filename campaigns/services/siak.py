"""Applying SIAK results: a checked list (one set-based lifecycle step per result), or the
students staff ticked on the list of recorded students (one step for all of them)."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from students import dates, lifecycle
from students.models import EventKind, SiakResult, Status, Student, StudentEvent

from ..siak import PRINT_READY


def siak_step(result):
    """(event kind, reason) of a SIAK result: print ready, or a problem with its reason."""
    if result == PRINT_READY:
        return EventKind.PRINT_READY, ""
    return EventKind.SIAK_PROBLEM, SiakResult(result).value


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
        kind, reason = siak_step(result)
        students = Student.objects.filter(nik__in=niks)
        changed = lifecycle.apply_many(students, kind, on=dates.today(), by=by, reason=reason)
        moved[result] = len(changed)
    return moved


class SiakRefused(Exception):
    """Some ticked students cannot take the result: nothing was saved. `message` lists
    them, each with why."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def _already(result):
    """A Q for students whose latest step is this very result (a second press)."""
    if result == PRINT_READY:
        return Q(status=Status.PRINT_READY)
    same = StudentEvent.objects.filter(
        student=OuterRef("pk"),
        kind=EventKind.SIAK_PROBLEM,
        reason=result,
        date=OuterRef("status_since"),
        taken_back_by__isnull=True,
    )
    return Q(status=Status.SIAK_PROBLEM) & Exists(same)


def _why(student, on):
    if student.status == Status.RECORDED and student.status_since and student.status_since > on:
        return _("recorded on %(date)s, after the date given") % {
            "date": date_format(student.status_since)
        }
    return Status(student.status).label


@transaction.atomic
def siak_results_select(*, students, result, on, by):
    """Give the SIAK `result` on `on` to every student of `students` (a queryset of the
    ticked ones), all or none. Returns (moved, already): the ids moved, and how many had
    this result already (a double submit changes nothing and is no error).

    Raises SiakRefused, changing nothing, when any of them cannot take the result (not
    recorded, or recorded after `on`). A duplicate record or an enrolment failure puts the
    student back on the school's catch-up list, as the same result on the student page.
    Set-based: the ticked rows are locked, checked in one query, moved in one step.
    """
    kind, reason = siak_step(result)
    ticked = list(
        students.order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True)
    )
    chosen = Student.objects.filter(pk__in=ticked)
    already = chosen.filter(_already(result))
    refused = list(
        chosen.exclude(lifecycle.eligible(kind, on=on, reason=reason))
        .exclude(pk__in=already.values("pk"))
        .order_by("name", "pk")
        .only("name", "status", "status_since")
    )
    if refused:
        listed = ", ".join(f"{s.name} ({_why(s, on)})" for s in refused)
        raise SiakRefused(
            _("Nothing was saved: these ticked students cannot take this result now: %(list)s.")
            % {"list": listed}
        )
    moved = lifecycle.apply_many(
        chosen.exclude(pk__in=already.values("pk")), kind, on=on, by=by, reason=reason
    )
    return moved, len(ticked) - len(moved)
