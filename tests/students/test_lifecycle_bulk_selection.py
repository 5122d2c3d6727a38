"""lifecycle.apply_many: which students a step takes, however they are chosen."""

import datetime
import zoneinfo

import pytest

from students import lifecycle
from students.models import EventKind, Status, Student, StudentEvent
from tests.factories import SchoolFactory, StudentFactory

pytestmark = pytest.mark.usefixtures("english", "db")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
D = datetime.date
TODAY = D(2026, 8, 5)


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 5, 10, 0, tzinfo=WITA), tick=False)


def test_students_chosen_through_their_school(school_a, school_b):
    """A queryset that reaches another table (the school's name) chooses the same students."""
    here = StudentFactory.create_batch(2, school=school_a, birth_date=D(2009, 1, 1))
    StudentFactory(school=school_b, birth_date=D(2009, 1, 1))

    changed = lifecycle.apply_many_with_niks(
        Student.objects.filter(school__name=school_a.name), EventKind.RECORDED, on=TODAY, by=None
    )

    assert changed == {student.pk: student.nik for student in here}
    assert Student.objects.filter(status=Status.RECORDED).count() == 2


def test_empty_choice_changes_nothing(school_a):
    StudentFactory(school=school_a, birth_date=D(2009, 1, 1))

    changed = lifecycle.apply_many(Student.objects.none(), EventKind.RECORDED, on=TODAY, by=None)

    assert changed == []
    assert not StudentEvent.objects.exists()


def test_a_milestone_taken_back_is_recorded_again(school_a):
    """Due for print, undone: the milestone is taken back (no longer reached), so the nightly
    flag records it again, once: the one statement skips only milestones still in force."""
    student = StudentFactory(school=school_a, birth_date=D(2009, 1, 1))
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY, EventKind.DUE_FOR_PRINT):
        lifecycle.apply(student, kind, on=TODAY, by=None)
    lifecycle.undo(student, student.events.get(kind=EventKind.DUE_FOR_PRINT), on=TODAY, by=None)

    changed = lifecycle.apply_many([student.pk], EventKind.DUE_FOR_PRINT, on=TODAY, by=None)
    again = lifecycle.apply_many([student.pk], EventKind.DUE_FOR_PRINT, on=TODAY, by=None)

    student.refresh_from_db()
    assert changed == [student.pk]
    assert again == []
    assert student.status == Status.DUE_FOR_PRINT
    flags = student.events.filter(kind=EventKind.DUE_FOR_PRINT).order_by("pk")
    assert [event.taken_back_by_id is None for event in flags] == [False, True]


def test_a_fact_is_noted_for_the_eligible_students_only(school_a):
    overdue = StudentFactory(school=SchoolFactory(), birth_date=D(2009, 1, 1))
    StudentFactory(school=school_a, birth_date=D(2010, 1, 1))  # 16: not overdue yet

    changed = lifecycle.apply_many_with_niks(
        Student.objects.all(), EventKind.OVERDUE, on=TODAY, by=None
    )

    assert changed == {overdue.pk: overdue.nik}
    assert Student.objects.get(pk=overdue.pk).status == Status.ON_ROSTER


def test_a_slice_of_students_is_a_slice(school_a):
    StudentFactory.create_batch(3, school=school_a, birth_date=D(2009, 1, 1))

    changed = lifecycle.apply_many(
        Student.objects.order_by("pk")[:2], EventKind.RECORDED, on=TODAY, by=None
    )

    assert changed == list(Student.objects.order_by("pk").values_list("pk", flat=True)[:2])
