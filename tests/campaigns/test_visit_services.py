"""Manual changes to visits: the same conflict checks as the planner, refusals in Indonesian."""

import datetime

import pytest
from django.utils import translation

from campaigns import services
from campaigns.conflicts import VisitRefused
from campaigns.models import Visit
from tests.factories import BlackoutPeriodFactory, SchoolFactory, StudentFactory

from .factories import CalendarDayFactory, CampaignFactory, TeamFactory, VisitFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 1, 1)
WED = datetime.date(2027, 1, 6)


@pytest.fixture
def visit():
    school = SchoolFactory(name="SMA Negeri 1 Juai")
    campaign = CampaignFactory(schools=[school], fridays_half_day=True)
    team = TeamFactory(campaign=campaign, name="Tim 1")
    pupils = StudentFactory.create_batch(4, school=school, birth_date=datetime.date(2010, 1, 1))
    return VisitFactory(campaign=campaign, team=team, school=school, date=WED, students=pupils)


def refused(call, **kwargs):
    with translation.override("id"), pytest.raises(VisitRefused) as caught:
        call(**kwargs)
    return caught.value.messages


def test_move_to_a_sunday_is_refused_and_nothing_changes(visit):
    messages = refused(
        services.visit_move, visit=visit, date=datetime.date(2027, 1, 10), by=None, today=TODAY
    )
    assert messages == ["Minggu 10 Januari 2027 adalah hari Minggu."]
    visit.refresh_from_db()
    assert (visit.date, visit.expected) == (WED, 4)


def test_move_to_a_closed_calendar_day_is_refused(visit):
    CalendarDayFactory(campaign=visit.campaign, date=datetime.date(2027, 1, 7), name="Rapat")
    messages = refused(
        services.visit_move, visit=visit, date=datetime.date(2027, 1, 7), by=None, today=TODAY
    )
    assert messages == ["Kamis 7 Januari 2027 tutup: Rapat."]


def test_move_into_a_school_exam_week_is_refused(visit):
    BlackoutPeriodFactory(
        school=visit.school,
        start=datetime.date(2027, 1, 11),
        end=datetime.date(2027, 1, 16),
        reason="Ujian tengah semester",
    )
    messages = refused(
        services.visit_move, visit=visit, date=datetime.date(2027, 1, 12), by=None, today=TODAY
    )
    assert messages == [
        "SMA Negeri 1 Juai tidak dapat menerima tim pada Selasa 12 Januari 2027: "
        "Ujian tengah semester."
    ]


def test_move_onto_a_day_the_team_is_busy_is_refused(visit):
    other = SchoolFactory()
    visit.campaign.schools.add(other)
    VisitFactory(campaign=visit.campaign, team=visit.team, school=other, date=WED.replace(day=7))
    messages = refused(
        services.visit_move, visit=visit, date=datetime.date(2027, 1, 7), by=None, today=TODAY
    )
    assert messages == ["Tim 1 sudah punya kunjungan pada Kamis 7 Januari 2027."]


def test_move_to_a_friday_is_allowed_with_a_warning(visit):
    with translation.override("id"):
        warnings = services.visit_move(
            visit=visit, date=datetime.date(2027, 1, 8), by=None, today=TODAY
        )
    assert [w.message for w in warnings] == [
        "Jumat 8 Januari 2027 adalah setengah hari: Tim 1 merekam paling banyak 30 siswa."
    ]
    visit.refresh_from_db()
    assert visit.date == datetime.date(2027, 1, 8)


def test_split_moves_the_younger_half_to_a_new_visit(visit):
    new, warnings = services.visit_split(
        visit=visit, date=datetime.date(2027, 1, 7), by=None, today=TODAY
    )
    visit.refresh_from_db()
    assert (visit.expected, new.expected, warnings) == (2, 2, [])
    assert [(v.date, v.part, v.parts) for v in Visit.objects.order_by("date")] == [
        (WED, 1, 2),
        (datetime.date(2027, 1, 7), 2, 2),
    ]


def test_cancel_needs_a_reason_and_frees_the_day(visit):
    assert refused(services.visit_cancel, visit=visit, by=None, reason=" ") == [
        "Sebutkan alasan kunjungan dibatalkan."
    ]
    services.visit_cancel(visit=visit, by=None, reason="Sekolah libur mendadak")
    visit.refresh_from_db()
    assert (visit.status, visit.students.count()) == (Visit.Status.CANCELLED, 0)
    again, _warnings = services.visit_add(
        campaign=visit.campaign,
        school=visit.school,
        team=visit.team,
        date=WED,
        by=None,
        today=TODAY,
    )
    assert again.expected == 4
