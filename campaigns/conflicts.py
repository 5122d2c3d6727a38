"""The one conflict check for a visit: the planner's proposals and every manual change.

`Calendar` loads what a check needs about one campaign in a few queries (its calendar
rows, its schools, the blackouts of its schools, its live visits), so the planner can
check hundreds of proposals without a query each. An error refuses the change; a warning
(a half day, more students than the team records that day) lets it through, said aloud.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from schools.models import BlackoutPeriod

from .models import CalendarDay, Visit
from .planning.calendar import FRIDAY, SUNDAY, day_capacity

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    message: str


class VisitRefused(Exception):
    """A visit change that breaks a rule; `findings` says which, in Indonesian."""

    def __init__(self, findings):
        self.findings = findings
        super().__init__(" ".join(f.message for f in findings))

    @property
    def messages(self):
        return [f.message for f in self.findings]


class Calendar:
    def __init__(self, campaign, *, exclude=()):
        self.campaign = campaign
        self.rows = {row.date: row for row in CalendarDay.objects.filter(campaign=campaign)}
        self.school_ids = set(campaign.schools.values_list("pk", flat=True))
        self.blackouts = {}
        for blackout in BlackoutPeriod.objects.filter(school__in=self.school_ids):
            self.blackouts.setdefault(blackout.school_id, []).append(blackout)
        self.team_days, self.school_days = {}, {}
        live = Visit.objects.filter(campaign=campaign).live().exclude(pk__in=list(exclude))
        for pk, team, school, date in live.values_list("pk", "team_id", "school_id", "date"):
            self.take(pk, team, school, date)

    def take(self, pk, team_id, school_id, date):
        """Count a visit as holding its team and school on its day (for later checks)."""
        self.team_days[team_id, date] = pk
        self.school_days[school_id, date] = pk

    def is_half_day(self, date):
        row = self.rows.get(date)
        if row is not None and row.kind == CalendarDay.Kind.HALF_DAY:
            return True
        return self.campaign.fridays_half_day and date.isoweekday() == FRIDAY

    def check(self, *, school, team, date, expected=0, today=None):
        """Every finding for `team` visiting `school` on `date` with `expected` students."""
        found = []

        def error(code, message):
            found.append(Finding(ERROR, code, message))

        campaign, day = self.campaign, date_format(date, "l j F Y")
        if team.campaign_id != campaign.pk:
            error(
                "team_other_campaign",
                _("%(team)s is not a team of this campaign.") % {"team": team.name},
            )
        if school.pk not in self.school_ids:
            error(
                "school_not_in_campaign",
                _("%(school)s is not in this campaign.") % {"school": school.name},
            )
        if not campaign.first_day <= date <= campaign.last_day:
            error(
                "outside_campaign",
                _("%(day)s is outside the campaign (%(first)s to %(last)s).")
                % {
                    "day": day,
                    "first": date_format(campaign.first_day),
                    "last": date_format(campaign.last_day),
                },
            )
        if today is not None and date < today:
            error("in_the_past", _("%(day)s has already passed.") % {"day": day})
        row = self.rows.get(date)
        if date.isoweekday() == SUNDAY:
            error("sunday", _("%(day)s is a Sunday.") % {"day": day})
        elif row is not None and row.is_closed:
            error(
                "closed_day",
                _("%(day)s is closed: %(name)s.") % {"day": day, "name": row.name},
            )
        elif not team.works_on(date):
            error(
                "team_day_off",
                _("%(team)s does not work on %(weekday)s.")
                % {"team": team.name, "weekday": date_format(date, "l")},
            )
        for blackout in self.blackouts.get(school.pk, []):
            if blackout.start <= date <= blackout.end:
                error(
                    "school_blackout",
                    _("%(school)s cannot receive a team on %(day)s: %(reason)s.")
                    % {"school": school.name, "day": day, "reason": blackout.reason},
                )
        if (team.pk, date) in self.team_days:
            error(
                "team_taken",
                _("%(team)s already has a visit on %(day)s.") % {"team": team.name, "day": day},
            )
        if (school.pk, date) in self.school_days:
            error(
                "school_taken",
                _("%(school)s already has a visit on %(day)s.")
                % {"school": school.name, "day": day},
            )
        capacity = day_capacity(team.capacity, self.is_half_day(date))
        if self.is_half_day(date):
            found.append(
                Finding(
                    WARNING,
                    "half_day",
                    _("%(day)s is a half day: %(team)s records at most %(count)d students.")
                    % {"day": day, "team": team.name, "count": capacity},
                )
            )
        if expected > capacity:
            found.append(
                Finding(
                    WARNING,
                    "over_capacity",
                    _(
                        "%(count)d students are expected, more than the %(capacity)d "
                        "%(team)s records in a day."
                    )
                    % {"count": expected, "capacity": capacity, "team": team.name},
                )
            )
        return found


def refuse_errors(findings):
    """Raise VisitRefused for the errors among `findings`; return the warnings."""
    errors = [f for f in findings if f.level == ERROR]
    if errors:
        raise VisitRefused(errors)
    return [f for f in findings if f.level == WARNING]
