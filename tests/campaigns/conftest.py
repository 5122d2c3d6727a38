import datetime

import pytest

from tests.factories import SchoolFactory, StudentFactory

from .factories import CampaignFactory, TeamFactory, VisitFactory

# Wednesdays of the factory campaign (4 January to 31 March 2027), all still to come.
WED = datetime.date(2027, 1, 6)


@pytest.fixture
def campaign(school_a, school_b):
    return CampaignFactory(name="Perekaman 2027", schools=[school_a, school_b])


@pytest.fixture
def team(campaign, petugas):
    return TeamFactory(campaign=campaign, name="Tim Paringin", members=[petugas])


@pytest.fixture
def visit(campaign, team, school_a):
    pupils = [
        StudentFactory(school=school_a, name="Ahmad Fauzi", birth_date=datetime.date(2010, 5, 17)),
        StudentFactory(school=school_a, name="Bunga Lestari", birth_date=datetime.date(2010, 8, 2)),
    ]
    return VisitFactory(campaign=campaign, team=team, school=school_a, date=WED, students=pupils)


def make_visits(campaign, team, count):
    """`count` accepted visits of `team`, one school each, on the Wednesdays after WED."""
    visits = []
    for n in range(count):
        school = SchoolFactory(name=f"SMA Negeri {n + 3} Contoh")
        campaign.schools.add(school)
        pupils = StudentFactory.create_batch(2, school=school)
        visits.append(
            VisitFactory(
                campaign=campaign,
                team=team,
                school=school,
                date=WED + datetime.timedelta(weeks=n + 1),
                students=pupils,
            )
        )
    return visits
