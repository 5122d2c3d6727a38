"""A handover-only visit for schools whose printed cards have no visit within reach.

The planner proposes it (campaigns.services.planning.handover_propose): a team-day at the
school within CARD_HANDOVER_WITHIN_DAYS, inside the running campaign that includes the
school, on a day the school, a team and the calendar allow, by the same solver and the
same conflict check as the recording plan. It is a proposal (status proposed, source
planner): staff accept, move or cancel it on the schedule as any other, and the school
is told only once it is accepted.
"""

import datetime

from django.conf import settings

from students import dates

from ..models import Campaign


def _campaign_of(school_ids, first, last):
    """{school id: the running campaign that includes it} for the window (one query)."""
    rows = (
        Campaign.schools.through.objects.filter(
            school_id__in=school_ids,
            campaign__first_day__lte=last,
            campaign__last_day__gte=first,
        )
        .select_related("campaign")
        .order_by("campaign__first_day", "campaign_id")
    )
    found = {}
    for row in rows:  # a few per school
        found.setdefault(row.school_id, row.campaign)
    return found


def propose(schools, *, today=None, avoid=None):
    """Propose a handover-only visit for each of `schools`, not on the days `avoid` gives
    a school ({school id: dates}: a day just cancelled). Returns {school id: visit}; a
    school in no running campaign, or with no free day within reach, gets none."""
    from ..services.planning import handover_propose

    today = today or dates.today()
    first = today + datetime.timedelta(days=1)
    last = today + datetime.timedelta(days=settings.CARD_HANDOVER_WITHIN_DAYS)
    campaigns = _campaign_of([school.pk for school in schools], first, last)
    by_campaign = {}
    for school in schools:
        if school.pk in campaigns:
            campaign = campaigns[school.pk]
            by_campaign.setdefault(campaign.pk, (campaign, []))[1].append(school)
    proposed = {}
    for campaign, members in by_campaign.values():  # campaigns, not schools or students
        proposed |= handover_propose(
            campaign=campaign, schools=members, first=first, last=last, avoid=avoid
        )
    return proposed
