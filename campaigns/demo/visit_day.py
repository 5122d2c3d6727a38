"""The demo's visit day: demo_petugas leads a team with a visit today (or on the next
working day), so the checklist is there at once for whoever signs in."""

import datetime

from django.contrib.auth.models import User

from students import dates

from ..models import Campaign, Team, Visit
from ..services import campaign_create
from ..services.planning import waiting_students

NAME = "Perekaman susulan (demo)"
STUDENTS = 12


def visit_day(today):
    """Today, or the next day from Monday to Friday."""
    day = today
    while day.isoweekday() > 5:
        day += datetime.timedelta(days=1)
    return day


def seed_visit_day(schools, today):
    """The demo visit of demo_petugas's team (made once per visit day). Returns it."""
    day = visit_day(today)
    campaign = Campaign.objects.filter(name=NAME).first()
    if campaign is None:
        campaign = campaign_create(
            name=NAME,
            year=day.year,
            school_year="",
            first_day=day,
            last_day=day + datetime.timedelta(days=6),
        )
    if campaign.first_day > day or campaign.last_day < day:
        campaign.first_day, campaign.last_day = (
            min(campaign.first_day, day),
            max(campaign.last_day, day),
        )
    campaign.status = Campaign.Status.PLANNED
    campaign.save()
    petugas = User.objects.get(username="demo_petugas")
    team, _created = Team.objects.get_or_create(
        campaign=campaign, name="Tim Susulan", defaults={"leader": petugas}
    )
    team.members.add(petugas)
    visit = Visit.objects.live().filter(team=team, date=day).first()
    if visit is not None:
        return visit
    school = schools[0]
    campaign.schools.add(school)
    students = waiting_students(campaign=campaign, school=school, date=day)[:STUDENTS]
    visit = Visit.objects.create(
        campaign=campaign,
        school=school,
        team=team,
        date=day,
        expected=len(students),
        status=Visit.Status.ACCEPTED,
        source=Visit.Source.MANUAL,
        coordinator_answer=Visit.Answer.CONFIRMED,
    )
    visit.students.set(students)
    return visit


def summary(visit):
    return {
        "id": visit.pk,
        "date": visit.date.isoformat(),
        "school": visit.school.code,
        "students": visit.expected,
        "checklist": f"/kunjungan/{visit.pk}/daftar/",
        "today": visit.date == dates.today(),
    }
