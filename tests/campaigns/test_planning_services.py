"""Creating a campaign fills its calendar; planning runs once per request; accepting."""

import datetime

import pytest

from campaigns import services
from campaigns.models import Campaign, Visit
from tests.factories import SchoolFactory, StudentFactory

from .factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    school = SchoolFactory()
    SchoolFactory(is_active=False)
    StudentFactory.create_batch(3, school=school, birth_date=datetime.date(2010, 1, 1))
    campaign = services.campaign_create(
        name="Perekaman 2027",
        year=2027,
        first_day=datetime.date(2027, 3, 15),
        last_day=datetime.date(2027, 3, 26),
    )
    TeamFactory(campaign=campaign, name="Tim 1")
    services.campaign_privacy_set(
        campaign=campaign, legal_basis="UU 24/2013", consent_confirmed=True, by=None
    )
    return campaign


def test_campaign_create_takes_active_schools_and_the_national_calendar(campaign):
    assert campaign.schools.count() == 1
    assert list(campaign.days.values_list("date", "kind", "name")) == [
        (datetime.date(2027, 3, 15), "cuti_bersama", "Cuti Bersama Hari Raya Idul Fitri"),
        (datetime.date(2027, 3, 25), "cuti_bersama", "Cuti Bersama Wafat Yesus Kristus"),
        (datetime.date(2027, 3, 26), "holiday", "Wafat Yesus Kristus"),
    ]
    assert services.calendar_fill(campaign=campaign) == 0


def test_plan_request_runs_once_and_accept_fixes_the_visits(campaign):
    assert services.plan_request(campaign=campaign) is True
    assert services.plan_request(campaign=campaign) is False
    report = services.plan_run(campaign.pk)
    assert services.plan_run(campaign.pk) is None
    campaign.refresh_from_db()
    assert campaign.plan_state == Campaign.PlanState.DONE
    assert campaign.plan_report == report
    assert [(v["expected"], v["team"]) for v in report["visits"]] == [(3, "Tim 1")]
    assert services.plan_accept(campaign=campaign, by=None) == 1
    assert services.plan_accept(campaign=campaign, by=None) == 0
    assert Visit.objects.get().status == Visit.Status.ACCEPTED
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PLANNED
