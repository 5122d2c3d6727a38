"""The tallies the database keeps (students.tallies): always what counting the students says.

Each test changes students the ways the application does (lifecycle steps one at a time and
many at once, forms, a hand-written UPDATE, deletion, a school move) and compares what the
tallies answer with the same figures counted from the students and their events.
"""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef

from campaigns import figures
from campaigns.yearly import visit_rows, year_figures, year_totals
from schools.models import School
from students import dates, lifecycle, tallies
from students.models import EventKind, MaritalStatus, Status, Student, StudentEvent
from tests.campaigns.factories import CampaignFactory, VisitFactory
from tests.factories import SchoolFactory, StudentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("db")]

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
D = datetime.date
TODAY = D(2026, 8, 5)
LIVE = figures.LIVE
FIRST_CUT, SECOND_CUT = D(2009, 8, 5), D(2010, 12, 31)


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 5, 10, 0, tzinfo=WITA), tick=False)


def counts(first=FIRST_CUT, second=SECOND_CUT):
    return {
        "live": (LIVE, None),
        "of_age": (LIVE, second),
        "overdue": (figures.NOT_RECORDED, first),
        "recorded": (figures.RECORDED_OR_LATER, None),
        "closed": ((Status.CLOSED,), None),
        "all": (None, None),
    }


def counted(wanted, schools=None):
    """{school id: {name: count}} counted from the students themselves."""
    students = Student.objects.order_by()
    if schools is not None:
        students = students.filter(school__in=schools)
    rows = students.values("school_id").annotate(**figures._counted(wanted))
    return {row.pop("school_id"): row for row in rows}


def assert_tallies_agree(schools=None, **dates_):
    wanted = counts(**dates_)
    tallied = tallies.sums(schools, wanted, by_school=True)
    live = counted(wanted, schools)
    assert {k: v for k, v in tallied.items() if any(v.values())} == live
    total = tallies.sums(schools, wanted, by_school=False)
    assert total == {name: sum(row[name] for row in live.values()) for name in wanted}


def recorded_at(school, day):
    """Students of `school` recorded on `day`, and of them those printed and handed over,
    counted from the events not taken back."""
    recorded = Student.objects.filter(
        Exists(
            StudentEvent.objects.filter(
                student=OuterRef("pk"),
                kind=EventKind.RECORDED,
                date=day,
                taken_back_by__isnull=True,
            )
        ),
        school=school,
    )

    def having(kind):
        return recorded.filter(
            Exists(
                StudentEvent.objects.filter(
                    student=OuterRef("pk"), kind=kind, taken_back_by__isnull=True
                )
            )
        ).count()

    return recorded.count(), having(EventKind.PRINTED), having(EventKind.HANDED_OVER)


def tallied_at(school, day):
    from students.models import RecordingTally

    rows = RecordingTally.objects.filter(school_id=school.pk, date=day)
    return (
        sum(r.n for r in rows),
        sum(r.n for r in rows if r.printed),
        sum(r.n for r in rows if r.handed_over),
    )


def test_available_on_postgresql_only():
    assert tallies.available() == (connection.vendor == "postgresql")


def test_students_added_changed_and_removed_one_way_or_another():
    school_a, school_b = SchoolFactory(), SchoolFactory()
    old = [StudentFactory(school=school_a, birth_date=D(2009, 1, 1)) for _ in range(3)]
    young = [StudentFactory(school=school_b, birth_date=D(2011, 6, 1)) for _ in range(2)]
    between = StudentFactory(school=school_b, birth_date=D(2010, 3, 1))
    assert_tallies_agree()

    lifecycle.apply(old[0], EventKind.RECORDED, on=TODAY, by=None)  # one at a time
    lifecycle.apply_many([s.pk for s in old[1:]], EventKind.RECORDED, on=TODAY, by=None)
    lifecycle.apply(
        young[0], EventKind.CLOSED, on=TODAY, by=None, reason="moved"
    )  # any age may close
    assert_tallies_agree()

    between.birth_date = D(2008, 12, 31)  # a corrected birth date changes its band
    between.school = school_a  # and a move changes its school
    between.marital_status = MaritalStatus.MARRIED
    between.save()
    Student.objects.filter(pk=young[1].pk).update(status=Status.SCHEDULED)  # by hand
    assert_tallies_agree()
    assert_tallies_agree(schools=School.objects.filter(pk=school_b.pk))

    old[2].delete()
    Student.objects.filter(school=school_b).delete()
    assert_tallies_agree()


def test_bands_move_to_other_birth_dates_and_back():
    school = SchoolFactory()
    for day in range(1, 29):
        StudentFactory(school=school, birth_date=D(2009, 7, day))
        StudentFactory(school=school, birth_date=D(2010, 2, day))

    for first, second in [
        (D(2009, 7, 10), D(2010, 2, 10)),
        (D(2009, 7, 11), D(2010, 2, 10)),  # the next day: one day's births move
        (D(2009, 7, 11), D(2010, 2, 20)),  # another campaign's last day
        (D(2009, 7, 1), D(2010, 2, 28)),
    ]:
        assert_tallies_agree(first=first, second=second)


def test_one_query_when_the_bands_are_cut_where_asked(django_assert_num_queries):
    StudentFactory(birth_date=D(2009, 1, 1))
    tallies.sums(None, counts(), by_school=True)  # moves the cuts

    with django_assert_num_queries(1):
        tallies.sums(None, counts(), by_school=True)
    with django_assert_num_queries(1):  # one of the two cuts: nothing moves
        tallies.sums(None, {"overdue": (figures.NOT_RECORDED, D(2009, 8, 5))}, by_school=False)


def test_recordings_follow_events_and_school_moves():
    school_a, school_b = SchoolFactory(), SchoolFactory()
    students = [StudentFactory(school=school_a, birth_date=D(2008, 1, 1)) for _ in range(4)]
    day = D(2026, 7, 20)
    lifecycle.apply_many([s.pk for s in students], EventKind.RECORDED, on=day, by=None)
    for kind in (EventKind.PRINT_READY, EventKind.DUE_FOR_PRINT, EventKind.PRINTED):
        lifecycle.apply_many([s.pk for s in students[:2]], kind, on=TODAY, by=None)
    lifecycle.apply(students[0], EventKind.HANDED_OVER, on=TODAY, by=None)
    assert tallied_at(school_a, day) == recorded_at(school_a, day) == (4, 2, 1)

    students[1].school = school_b  # moved after the visit: counted at the new school
    students[1].save()
    assert tallied_at(school_a, day) == recorded_at(school_a, day) == (3, 1, 1)
    assert tallied_at(school_b, day) == recorded_at(school_b, day) == (1, 1, 0)

    StudentEvent.objects.filter(student=students[0], kind=EventKind.HANDED_OVER).delete()
    students[2].delete()
    assert tallied_at(school_a, day) == recorded_at(school_a, day) == (2, 1, 0)


def test_recordings_leave_out_steps_taken_back():
    school = SchoolFactory()
    students = [StudentFactory(school=school, birth_date=D(2008, 1, 1)) for _ in range(4)]
    day = D(2026, 7, 20)
    lifecycle.apply_many([s.pk for s in students], EventKind.RECORDED, on=day, by=None)
    for kind in (EventKind.PRINT_READY, EventKind.DUE_FOR_PRINT, EventKind.PRINTED):
        lifecycle.apply_many([s.pk for s in students[:2]], kind, on=TODAY, by=None)
    lifecycle.apply(students[0], EventKind.HANDED_OVER, on=TODAY, by=None)
    assert tallied_at(school, day) == recorded_at(school, day) == (4, 2, 1)

    handed = students[0].events.get(kind=EventKind.HANDED_OVER)
    lifecycle.undo(students[0], handed, on=TODAY, by=None)
    assert tallied_at(school, day) == recorded_at(school, day) == (4, 2, 0)

    recorded = students[3].events.get(kind=EventKind.RECORDED)
    undone = lifecycle.undo(students[3], recorded, on=TODAY, by=None)
    assert tallied_at(school, day) == recorded_at(school, day) == (3, 2, 0)

    undone.delete()  # the recording is in force again (taken_back_by set to NULL)
    assert tallied_at(school, day) == recorded_at(school, day) == (4, 2, 0)


def test_year_figures_from_the_tally_equal_those_from_the_events():
    school = SchoolFactory()
    campaign = CampaignFactory(
        year=2026, first_day=D(2026, 7, 1), last_day=D(2026, 12, 31), schools=[school]
    )
    visit = VisitFactory(campaign=campaign, school=school, date=D(2026, 7, 20))
    students = [StudentFactory(school=school, birth_date=D(2008, 1, 1)) for _ in range(3)]
    lifecycle.apply_many([s.pk for s in students], EventKind.RECORDED, on=visit.date, by=None)
    for kind in (EventKind.PRINT_READY, EventKind.DUE_FOR_PRINT, EventKind.PRINTED):
        lifecycle.apply(students[0], kind, on=TODAY, by=None)

    (row,) = visit_rows([2026])
    totals = year_totals([2026])[2026]
    report = year_figures([2026])[2026]

    figures_of_visit = (row["students_recorded"], row["cards_printed"], row["cards_handed_over"])
    assert figures_of_visit == recorded_at(school, visit.date) == (3, 1, 0)
    assert {key: totals[key] for key in ("schools_served", "students_recorded")} == {
        key: report[key] for key in ("schools_served", "students_recorded")
    }
    assert (totals["schools_served"], totals["students_recorded"]) == (1, 3)
    assert [(k["code"], k["students_recorded"]) for k in totals["by_kecamatan"]] == [
        (k["code"], k["students_recorded"]) for k in report["by_kecamatan"]
    ]


def test_week_figures_count_each_recording_day():
    school = SchoolFactory()
    campaign = CampaignFactory(
        year=2026, first_day=D(2026, 7, 1), last_day=D(2026, 12, 31), schools=[school]
    )
    for day in (D(2026, 7, 20), D(2026, 7, 22), D(2026, 7, 28)):
        StudentFactory.create_batch(2, school=school, birth_date=D(2008, 1, 1))
        waiting = Student.objects.filter(status=Status.ON_ROSTER)
        lifecycle.apply_many(waiting, EventKind.RECORDED, on=day, by=None)

    weeks = figures.recordings_per_week(School.objects.all(), campaign)

    assert weeks == [(D(2026, 7, 20), 4), (D(2026, 7, 27), 2)]
    live = (
        StudentEvent.objects.filter(kind=EventKind.RECORDED)
        .values("date__week")
        .annotate(n=Count("pk"))
        .order_by("date__week")
    )
    assert [row["n"] for row in live] == [4, 2]


@pytest.mark.parametrize(("leap_setting", "overdue"), [("03-01", 0), ("02-28", 1)])
def test_overdue_follows_the_office_birthday_rule(settings, leap_setting, overdue):
    """Born on 29 February 2008: 17 on 1 March 2025, or 28 February where the office says so."""
    settings.LEAP_DAY_BIRTHDAY = leap_setting
    StudentFactory(birth_date=D(2008, 2, 29))
    cut = dates.latest_birth_date(dates.CARD_AGE, D(2025, 2, 28))

    tallied = tallies.sums(None, {"n": (figures.NOT_RECORDED, cut)}, by_school=False)

    assert tallied == {"n": overdue}


def test_every_status_is_tallied():
    """The triggers' list of statuses (migration 0012) is the model's: a status added later
    needs its tally columns and the triggers again."""
    school = SchoolFactory()
    students = [StudentFactory(school=school, birth_date=D(2009, 1, 1)) for _ in Status.values]
    for student, status in zip(students, Status.values, strict=True):
        Student.objects.filter(pk=student.pk).update(status=status)

    tallied = tallies.sums(
        None, {status: ((status,), None) for status in Status.values}, by_school=False
    )

    assert tallied == dict.fromkeys(Status.values, 1)
