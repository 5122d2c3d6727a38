"""The nightly flags: cards that may now be printed, and students overdue for recording.

Set-based: each flag is one lifecycle.apply_many_with_niks call (on PostgreSQL one statement
whatever the number of students, which also gives the NIKs it reports). Idempotent and
catching up: a student is flagged when the condition holds on the run's day, whatever
happened on earlier nights, and each flag is a once-per-student event under a unique
constraint, so a second run (or a second scheduler running at the same moment) flags
nobody again. A night the job did not
run is covered by the next run; the event then carries the day it was noticed.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from . import dates, lifecycle
from .models import EventKind, Status, Student, StudentEvent

# "Still not recorded": no recording took place yet.
NOT_RECORDED = (Status.ON_ROSTER, Status.SCHEDULED)


@transaction.atomic
def flag_due_cards(today=None):
    """Flag, for the office day `today` (WITA today by default), every student who:

    - is print ready and 17 (or married or ever married) that day: due for print;
    - is 17 or older that day and still not recorded: overdue (the planner serves their
      school first).

    Returns {"today", "due_for_print", "overdue_recording"}, the NIKs flagged by this run.
    """
    today = today or dates.today()
    due = lifecycle.apply_many_with_niks(
        Student.objects.filter(status=Status.PRINT_READY),
        EventKind.DUE_FOR_PRINT,
        on=today,
        by=None,
    )
    already = StudentEvent.objects.filter(student=OuterRef("pk"), kind=EventKind.OVERDUE)
    overdue = lifecycle.apply_many_with_niks(
        Student.objects.filter(status__in=NOT_RECORDED).exclude(Exists(already)),
        EventKind.OVERDUE,
        on=today,
        by=None,
    )
    return {
        "today": today.isoformat(),
        "due_for_print": sorted(due.values()),
        "overdue_recording": sorted(overdue.values()),
    }
