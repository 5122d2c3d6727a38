"""A team's visits as an iCalendar feed that phone calendars subscribe to.

Each accepted visit is an all-day event (the team stays until every student is done);
its UID is stable, so a moved visit moves in the phone's calendar instead of doubling,
and a cancelled one drops out of the feed.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Visit


def team_calendar(team, *, host):
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//KTPku//Jadwal kunjungan//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{team.name} · {team.campaign.name}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    visits = (
        team.visits.filter(status=Visit.Status.ACCEPTED)
        .select_related("school", "school__kecamatan")
        .order_by("date", "pk")
    )
    stamp = timezone.now()
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("last-modified", visit.updated_at)
        event.add("dtstart", visit.date)
        event.add("dtend", visit.date + datetime.timedelta(days=1))
        summary = _("KTP-el recording: %(school)s") % {"school": visit.school.name}
        if visit.parts > 1:
            summary += f" ({visit.part}/{visit.parts})"
        event.add("summary", summary)
        event.add(
            "location", ", ".join(filter(None, [visit.school.address, visit.school.kecamatan.name]))
        )
        event.add(
            "description",
            _("%(count)d students expected. Team: %(team)s.")
            % {"count": visit.expected, "team": team.name},
        )
        calendar.add_component(event)
    return calendar.to_ical()
