"""A team member sees the schools their team visits, and those schools' students only."""

import pytest

from campaigns.models import Visit
from schools.access import schools_for_user
from students.access import students_for_user
from tests.factories import SchoolFactory, StudentFactory, UserFactory

from .factories import TeamFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_petugas_sees_the_school_of_their_team_visit_and_its_students_only():
    member = UserFactory(role="petugas")
    team = TeamFactory(members=[member])
    visited, proposed_only, other = SchoolFactory(), SchoolFactory(), SchoolFactory()
    VisitFactory(campaign=team.campaign, team=team, school=visited)
    VisitFactory(
        campaign=team.campaign,
        team=team,
        school=proposed_only,
        date=team.campaign.first_day,
        status=Visit.Status.PROPOSED,
    )
    VisitFactory(school=other)  # another team's visit
    pupil = StudentFactory(school=visited)
    StudentFactory(school=other)
    StudentFactory(school=proposed_only)

    assert list(schools_for_user(member)) == [visited]
    assert list(students_for_user(member)) == [pupil]


def test_petugas_without_a_team_sees_no_school():
    member = UserFactory(role="petugas")
    VisitFactory()
    assert list(schools_for_user(member)) == []
    assert list(students_for_user(member)) == []
