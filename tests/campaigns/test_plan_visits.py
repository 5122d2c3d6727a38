"""plan_visits on the demo's current campaign: a sound plan, close to its bound, repeatable."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.models import CalendarDay, Campaign, Visit
from schools.models import BlackoutPeriod, School

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    out = StringIO()
    call_command("seed_demo", "--format", "json", "--force", stdout=out)
    current = json.loads(out.getvalue())["campaigns"][-1]
    return Campaign.objects.get(pk=current["id"])


def plan(campaign, *options):
    out = StringIO()
    call_command(
        "plan_visits", "--campaign", str(campaign.pk), "--format", "json", *options, stdout=out
    )
    return json.loads(out.getvalue())


def test_plan_visits_on_the_demo_is_sound_close_to_its_bound_and_repeatable(campaign):
    report = plan(campaign)
    visits = report["visits"]
    dates = [datetime.date.fromisoformat(v["date"]) for v in visits]
    team_days = [(v["team"], v["date"]) for v in visits]
    assert len(team_days) == len(set(team_days))
    assert not [d for d in dates if d.isoweekday() == 7]
    closed = set(
        CalendarDay.objects.filter(campaign=campaign)
        .exclude(kind=CalendarDay.Kind.HALF_DAY)
        .values_list("date", flat=True)
    )
    assert closed and not closed & set(dates)
    codes = {s.code: s.pk for s in School.objects.all()}
    for visit, date in zip(visits, dates, strict=True):
        assert not BlackoutPeriod.objects.filter(
            school=codes[visit["school"]], start__lte=date, end__gte=date
        ).exists()
        assert campaign.first_day <= date <= campaign.last_day
    assert report["team_days"] == len(visits)
    assert report["team_days"] <= report["lower_bound"] * 1.1
    assert {u["reason"] for u in report["uncovered"]} == {"turns_16_after_campaign"}
    # the history's visits and the visit day of demo_petugas only: nothing was saved
    assert Visit.objects.count() == 40
    assert plan(campaign) == report


def test_plan_visits_commit_writes_proposals_and_replanning_keeps_accepted(campaign):
    first = plan(campaign, "--commit")
    proposed = Visit.objects.filter(campaign=campaign, status=Visit.Status.PROPOSED)
    assert proposed.count() == len(first["visits"])
    assert sum(v.students.count() for v in proposed) == sum(v["expected"] for v in first["visits"])
    kept = proposed.order_by("date").first()
    Visit.objects.filter(pk=kept.pk).update(status=Visit.Status.ACCEPTED)
    second = plan(campaign, "--commit")
    assert (kept.school.code, kept.date.isoformat()) not in {
        (v["school"], v["date"]) for v in second["visits"]
    }
    assert Visit.objects.filter(campaign=campaign).count() == len(second["visits"]) + 1
    assert sum(v["expected"] for v in second["visits"]) + kept.expected == sum(
        v["expected"] for v in first["visits"]
    )
