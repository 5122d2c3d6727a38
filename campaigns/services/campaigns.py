"""Creating a campaign, its calendar, and asking the planner for a proposal."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class PrivacyNotReady(Exception):
    """The campaign has no legal basis or no confirmed consent arrangements yet."""

    def __str__(self):
        return str(
            _(
                "This campaign has no legal basis or its parental consent arrangements are not "
                "confirmed yet: fill both in on the campaign's edit page first."
            )
        )


def require_privacy_ready(campaign):
    if not campaign.privacy_ready:
        raise PrivacyNotReady(campaign.pk)


def campaign_privacy_set(*, campaign, legal_basis, consent_confirmed, by):
    """Record the campaign's legal basis and whether its consent arrangements are confirmed.

    The confirmation keeps its first time and author while it stays ticked."""
    campaign.legal_basis = legal_basis.strip()
    if not consent_confirmed:
        campaign.consent_confirmed_at = campaign.consent_confirmed_by = None
    elif campaign.consent_confirmed_at is None:
        campaign.consent_confirmed_at = timezone.now()
        campaign.consent_confirmed_by = by
    campaign.save(
        update_fields=["legal_basis", "consent_confirmed_at", "consent_confirmed_by", "updated_at"]
    )


PLANNER_UNAVAILABLE = gettext_lazy(
    "The background service is not available at the moment, so the planner did not start "
    "and nothing was changed. Try again in a few minutes."
)


def plan_request(*, campaign):
    """Queue a planner run for the page; a second press while one waits or runs does nothing.

    Returns True when this call queued the run. When the broker cannot take it, the
    campaign's planner state goes back to what it was and the user is told (ktpku.tasks).
    """
    from ..tasks import plan_campaign

    require_privacy_ready(campaign)
    before = {
        "plan_state": campaign.plan_state,
        "plan_requested_at": campaign.plan_requested_at,
        "plan_error": campaign.plan_error,
    }

    def send():
        if not enqueue(plan_campaign, campaign.pk, unavailable=PLANNER_UNAVAILABLE):
            Campaign.objects.filter(pk=campaign.pk, plan_state=Campaign.PlanState.QUEUED).update(
                **before
            )

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
        transaction.on_commit(send)
    return bool(claimed)
