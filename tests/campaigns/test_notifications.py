"""Reminders go out once, seven days and one day ahead; coordinators hear of a moved visit."""

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from campaigns import services
from campaigns.models import Visit
from campaigns.notifications import visit_moved_notify, visits_set_notify, whatsapp_link
from tests.factories import SchoolFactory, UserFactory

from .factories import TeamFactory, VisitFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 1, 4)


@pytest.fixture
def school():
    coordinator = UserFactory(email="guru@sman1juai.sch.id", role="koordinator")
    return SchoolFactory(
        name="SMA Negeri 1 Juai", phone="0812-3456-7890", coordinators=[coordinator]
    )


def reminders(today):
    out = StringIO()
    call_command(
        "send_visit_reminders", "--today", today.isoformat(), "--format", "json", stdout=out
    )
    return json.loads(out.getvalue())["sent"]


def test_reminders_are_sent_seven_days_and_one_day_ahead_once(school):
    member = UserFactory(email="hendra@disdukcapil.go.id", role="petugas")
    team = TeamFactory(name="Tim 1", members=[member])
    week = VisitFactory(
        campaign=team.campaign, team=team, school=school, date=TODAY.replace(day=11)
    )
    day = VisitFactory(
        campaign=team.campaign, team=team, school=SchoolFactory(), date=TODAY.replace(day=5)
    )
    VisitFactory(
        campaign=team.campaign,
        team=team,
        school=SchoolFactory(),
        date=TODAY.replace(day=6),
        status=Visit.Status.PROPOSED,
    )
    assert reminders(TODAY) == [
        {"visit": week.pk, "days_before": 7},
        {"visit": day.pk, "days_before": 1},
    ]
    assert reminders(TODAY) == []
    assert [sorted(m.to) for m in mail.outbox] == [
        ["guru@sman1juai.sch.id", "hendra@disdukcapil.go.id"],
        ["hendra@disdukcapil.go.id"],
    ]
    assert mail.outbox[0].subject == (
        "Pengingat: perekaman KTP-el di SMA Negeri 1 Juai seminggu lagi"
    )


def test_a_moved_visit_resets_its_reminders_and_tells_the_coordinator(school):
    visit = VisitFactory(school=school, date=TODAY.replace(day=11), team__name="Tim 1")
    visit.campaign.schools.add(school)
    reminders(TODAY)
    services.visit_move(visit=visit, date=TODAY.replace(day=12), by=None, today=TODAY)
    visit.refresh_from_db()
    assert visit.reminder_week_sent_at is None
    assert visit_moved_notify(visit.pk, "2027-01-11") == 1
    assert mail.outbox[-1].body == (
        "Kunjungan tim perekaman KTP-el ke SMA Negeri 1 Juai dipindahkan dari "
        "Senin 11 Januari 2027 ke Selasa 12 Januari 2027 (Tim 1). "
        "Mohon konfirmasi tanggal baru di KTPku."
    )


def test_visits_set_mail_one_message_per_school(school):
    team = TeamFactory(name="Tim 1")
    first = VisitFactory(campaign=team.campaign, team=team, school=school, date=TODAY, expected=60)
    second = VisitFactory(
        campaign=team.campaign, team=team, school=school, date=TODAY.replace(day=5), expected=20
    )
    assert visits_set_notify([first.pk, second.pk]) == 1
    assert mail.outbox[0].body.splitlines()[2:4] == [
        "Senin 4 Januari 2027: Tim 1, diperkirakan 60 siswa.",
        "Selasa 5 Januari 2027: Tim 1, diperkirakan 20 siswa.",
    ]


def test_whatsapp_link_goes_to_the_school_phone_with_the_message(school):
    visit = VisitFactory(school=school, date=TODAY, expected=45, team__name="Tim 2")
    link = whatsapp_link(visit)
    assert link.startswith("https://wa.me/6281234567890?text=Selamat%20siang.%20Tim%20perekaman")
    school.phone = ""
    assert whatsapp_link(visit) == ""
