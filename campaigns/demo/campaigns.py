"""The demo's campaigns: 2023 and 2024 as history, and the current one ready to plan."""

import datetime
import random

from django.contrib.auth.models import User

from schools.models import BlackoutPeriod

from ..models import Campaign, Team, Visit, VisitTally
from ..planning.calendar import open_days
from ..services import campaign_create, campaign_privacy_set

DEMO_LEGAL_BASIS = (
    "UU 24/2013 tentang Administrasi Kependudukan; Permendagri 7/2019; surat edaran Bupati "
    "tentang perekaman KTP-el di sekolah."
)

# What the programme served (DESIGN.md): (year, schools, students).
HISTORY = [(2023, 20, 513), (2024, 19, 541)]
TEAMS = [("Tim 1", 2, "123456"), ("Tim 2", 1, "12345")]
EXAM_WEEKS = [(1, 21), (4, 28), (10, 35)]  # (school index, days after the first day)


def _school_year(first_day):
    start = first_day.year if first_day.month >= 7 else first_day.year - 1
    return f"{start}/{start + 1}"


def _teams(campaign, members=()):
    teams = []
    for name, kits, weekdays in TEAMS:
        team, _created = Team.objects.get_or_create(
            campaign=campaign, name=name, defaults={"kits": kits, "weekdays": weekdays}
        )
        teams.append(team)
    if members:
        teams[0].members.add(*members)
    return teams


def _campaign(name, year, first_day, last_day, status):
    campaign = Campaign.objects.filter(name=name).first()
    if campaign is None:
        campaign = campaign_create(
            name=name,
            year=year,
            school_year=_school_year(first_day),
            first_day=first_day,
            last_day=last_day,
        )
        campaign_privacy_set(
            campaign=campaign, legal_basis=DEMO_LEGAL_BASIS, consent_confirmed=True, by=None
        )
    if campaign.status != status:
        campaign.status = status
        campaign.save(update_fields=["status", "updated_at"])
    return campaign


def _history(schools, year, school_count, student_count):
    first_day, last_day = datetime.date(year, 8, 1), datetime.date(year, 11, 29)
    campaign = _campaign(
        f"Perekaman KTP-el di Sekolah {year}", year, first_day, last_day, Campaign.Status.CLOSED
    )
    teams = _teams(campaign)
    if not campaign.visits.exists():
        _history_visits(campaign, teams, schools, school_count, student_count)
    _history_tallies(campaign)
    return campaign


def _history_visits(campaign, teams, schools, school_count, student_count):
    year, first_day, last_day = campaign.year, campaign.first_day, campaign.last_day
    rows = dict(campaign.days.values_list("date", "kind"))
    days, _half = open_days(first_day, last_day, rows, fridays_half_day=False)
    days = [d for d in days if d.isoweekday() != 6]
    rng = random.Random(year)  # noqa: S311 - demo data
    weights = [rng.randint(15, 40) for _ in range(school_count)]
    expected = [student_count * w // sum(weights) for w in weights]
    expected[0] += student_count - sum(expected)
    Visit.objects.bulk_create(
        Visit(
            campaign=campaign,
            school=school,
            team=teams[index % 2],
            date=days[3 * (index // 2)],
            expected=expected[index],
            status=Visit.Status.ACCEPTED,
            source=Visit.Source.PLANNER,
        )
        for index, school in enumerate(schools[:school_count])
    )


def _history_tallies(campaign):
    """What came of each past visit, kept as numbers: its students are no longer held one by
    one. Everyone expected was recorded; a few cards were still waiting when the year's
    report was written."""
    rng = random.Random(campaign.year + 1)  # noqa: S311 - demo data
    source = f"Laporan inovasi {campaign.year}"
    tallies = []
    for visit in campaign.visits.filter(tally=None).order_by("date", "pk"):
        printed = visit.expected - rng.randint(0, 2) if visit.expected > 2 else visit.expected
        handed_over = printed - rng.randint(0, 1) if printed else 0
        tallies.append(
            VisitTally(
                visit=visit,
                recorded=visit.expected,
                printed=printed,
                handed_over=handed_over,
                source=source,
            )
        )
    VisitTally.objects.bulk_create(tallies)


def next_campaign_start(today):
    """The first Monday at least two weeks after `today`."""
    day = today + datetime.timedelta(days=14)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def seed_campaigns(schools, today):
    history = [_history(schools, *row) for row in HISTORY]
    first_day = next_campaign_start(today)
    last_day = first_day + datetime.timedelta(weeks=16, days=-3)
    school_year = _school_year(first_day)
    current = _campaign(
        f"Perekaman KTP-el di Sekolah {school_year}",
        first_day.year,
        first_day,
        last_day,
        Campaign.Status.DRAFT,
    )
    _teams(current, members=User.objects.filter(username="demo_petugas"))
    for index, offset in EXAM_WEEKS:
        start = first_day + datetime.timedelta(days=offset)
        BlackoutPeriod.objects.get_or_create(
            school=schools[index],
            start=start,
            end=start + datetime.timedelta(days=5),
            defaults={"reason": "Ujian tengah semester"},
        )
    return [*history, current]
