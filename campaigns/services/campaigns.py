"""Creating a campaign, its calendar, and asking the planner for a proposal."""

from django.db import transaction
from django.utils import timezone

from ktpku.tasks import enqueue
from schools.models import School

from ..models import CalendarDay, Campaign
from ..planning.calendar import national_days


@transaction.atomic
def campaign_create(
    *,
    name,
    year,
    first_day,
    last_day,
    created_by=None,
    school_year="",
    schools=None,
    target=None,
    fridays_half_day=True,
):
    """A new draft campaign with every active school (or `schools`) and its national calendar."""
    campaign = Campaign.objects.create(
        name=name,
        year=year,
        school_year=school_year,
        first_day=first_day,
        last_day=last_day,
        target=target,
        fridays_half_day=fridays_half_day,
        created_by=created_by,
    )
    campaign.schools.set(schools if schools is not None else School.objects.filter(is_active=True))
    calendar_fill(campaign=campaign)
    return campaign


def calendar_fill(*, campaign):
    """Add the national holidays and cuti bersama of the campaign's dates that are missing.

    A day staff already entered (or edited) stays as it is. Returns the number added.
    """
    existing = set(CalendarDay.objects.filter(campaign=campaign).values_list("date", flat=True))
    rows = [
        CalendarDay(
            campaign=campaign,
            date=day.date,
            kind=day.kind,
            name=day.name[:200],
            source=CalendarDay.Source.CALENDAR,
        )
        for day in national_days(campaign.first_day, campaign.last_day)
        if day.date not in existing
    ]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def plan_request(*, campaign):
    """Queue a planner run for the page; a second press while one waits or runs does nothing.

    Returns True when this call queued the run.
    """
    from ..tasks import plan_campaign

    claimed = (
        Campaign.objects.filter(pk=campaign.pk)
        .exclude(plan_state__in=[Campaign.PlanState.QUEUED, Campaign.PlanState.RUNNING])
        .update(
            plan_state=Campaign.PlanState.QUEUED,
            plan_requested_at=timezone.now(),
            plan_error="",
        )
    )
    if claimed:
        transaction.on_commit(lambda: enqueue(plan_campaign, campaign.pk))
    return bool(claimed)
