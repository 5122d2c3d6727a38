"""The nightly flagging through a real Celery worker on Redis, as beat would send it."""

import pytest

from students import dates, lifecycle
from students.models import EventKind, Status, Student
from students.tasks import flag_due_cards
from tests.factories import StudentFactory
from tests.helpers import celery_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_nightly_flagging_runs_on_a_real_worker():
    today = dates.today()  # the worker, without a date, takes today in WITA too
    born = today.replace(year=today.year - 17) if (today.month, today.day) != (2, 29) else None
    born = born or today.replace(year=today.year - 17, day=28)
    student = StudentFactory(birth_date=born)
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(student, kind, on=today, by=None)
    late = StudentFactory(birth_date=born.replace(year=born.year - 1))

    with celery_worker() as queue:
        first = flag_due_cards.apply_async(queue=queue).get(timeout=90)
        second = flag_due_cards.apply_async(queue=queue).get(timeout=90)

    assert first == {
        "today": today.isoformat(),
        "due_for_print": [student.nik],
        "overdue_recording": [late.nik],
    }
    assert second == {"today": today.isoformat(), "due_for_print": [], "overdue_recording": []}
    assert Student.objects.get(pk=student.pk).status == Status.DUE_FOR_PRINT
