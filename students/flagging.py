"""The nightly flags: cards that may now be printed, and students overdue for recording.

Set-based: each flag is one lifecycle.apply_many_with_niks call (on PostgreSQL one
statement whatever the number of students, which also gives the NIKs it reports).
Idempotent and catching up: a student is flagged when the condition holds on the run's
day, whatever happened on earlier nights, and each flag is a once-per-student event under
a unique constraint, so a second run (or a second scheduler running at the same moment)
flags nobody again. A night the job did not run is covered by the next run, and the dates
do not show it: each flag carries the day the student reached it
(lifecycle.first_day_in_sql), their 17th birthday by the office's 29 February rule, the
day they became print ready if that came later, or for a married student the day the
office recorded the marriage.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from . import dates, lifecycle
from .models import EventKind, Status, Student, StudentEvent

# "Still not recorded": no recording took place yet.
NOT_RECORDED = (Status.ON_ROSTER, Status.SCHEDULED)


@transaction.atomic
def flag_due_cards(today=None, *, student_ids=None):
    """Flag, for the office day `today` (WITA today by default), every student who:

    - is print ready and 17 (or married or ever married) that day: due for print;
    - is 17 or older that day and still not recorded: overdue (the planner serves their
      school first).

    `student_ids` limits the run to those students (after an undo took their flags back).
    Returns {"today", "due_for_print", "overdue_recording"}, the NIKs flagged by this run.
    """
    today = today or dates.today()
    students = Student.objects.all()
    if student_ids is not None:
        students = students.filter(pk__in=student_ids)
    due = lifecycle.apply_many_with_niks(
        students.filter(status=Status.PRINT_READY),
        EventKind.DUE_FOR_PRINT,
        on=today,
        by=None,
        backdate=True,
    )
    already = StudentEvent.objects.filter(
        student=OuterRef("pk"), kind=EventKind.OVERDUE, taken_back_by__isnull=True
    )
    overdue = lifecycle.apply_many_with_niks(
        students.filter(status__in=NOT_RECORDED).exclude(Exists(already)),
        EventKind.OVERDUE,
        on=today,
        by=None,
        backdate=True,
    )
    return {
        "today": today.isoformat(),
        "due_for_print": sorted(due.values()),
        "overdue_recording": sorted(overdue.values()),
    }
