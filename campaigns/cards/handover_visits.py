"""A handover-only visit for a school whose printed cards have no visit within reach.

Proposed like the planner's visits (status proposed, source planner): staff accept, move or
cancel it on the schedule as any other. The first free day from tomorrow, within
CARD_HANDOVER_WITHIN_DAYS and the running campaign that includes the school, with the
first of the campaign's teams free that day, by the same conflict check as every visit.
"""

import datetime

from django.conf import settings

from students import dates

from ..conflicts import ERROR, Calendar
from ..models import Campaign, Visit


def propose(school, *, cards, today=None):
    """Propose a handover visit to `school` for `cards` cards; None when no day fits."""
    today = today or dates.today()
    first = today + datetime.timedelta(days=1)
    last = today + datetime.timedelta(days=settings.CARD_HANDOVER_WITHIN_DAYS)
    campaign = (
        Campaign.objects.filter(schools=school, first_day__lte=last, last_day__gte=first)
        .order_by("first_day", "pk")
        .first()
    )
    if campaign is None:
        return None
    teams = list(campaign.teams.order_by("name", "pk"))
    calendar = Calendar(campaign)
    day = max(first, campaign.first_day)
    while day <= min(last, campaign.last_day):
        for team in teams:
            findings = calendar.check(school=school, team=team, date=day, today=today)
            if not any(finding.level == ERROR for finding in findings):
                return Visit.objects.create(
                    campaign=campaign,
                    school=school,
                    team=team,
                    date=day,
                    kind=Visit.Kind.HANDOVER,
                    expected=cards,
                    status=Visit.Status.PROPOSED,
                    source=Visit.Source.PLANNER,
                )
        day += datetime.timedelta(days=1)
    return None
