"""Which days of a campaign a team can work, and how much.

A day is closed when it is a Sunday or has a closed row in the campaign's calendar
(a national holiday, cuti bersama or a closed day of the office). A half day (a Friday
when the campaign says so, or a half-day row) keeps half of a team's capacity. Saturdays
stay open here: whether a team works them is the team's own setting. A school's blackout
periods close that school only and are applied by the planner per school.
"""

import datetime
from dataclasses import dataclass

import holidays

HOLIDAY = "holiday"
CUTI_BERSAMA = "cuti_bersama"
CLOSED = "closed"
HALF_DAY = "half_day"
SUNDAY = 7
FRIDAY = 5


@dataclass(frozen=True)
class NationalDay:
    date: datetime.date
    kind: str
    name: str


def national_days(first_day, last_day):
    """Holidays and cuti bersama between two dates, from the `holidays` package ("ID").

    The package's "public" category holds the national holidays and its "government"
    category the cuti bersama of the joint ministerial decree; names are in Indonesian.
    Where one date is both, the holiday wins.
    """
    years = range(first_day.year, last_day.year + 1)
    found = {}
    for category, kind in (("government", CUTI_BERSAMA), ("public", HOLIDAY)):
        table = holidays.country_holidays("ID", years=years, categories=(category,), language="id")
        for date, name in table.items():
            if first_day <= date <= last_day:
                found[date] = NationalDay(date, kind, name)
    return [found[date] for date in sorted(found)]


def daterange(first_day, last_day):
    day = first_day
    while day <= last_day:
        yield day
        day += datetime.timedelta(days=1)


def open_days(first_day, last_day, rows, *, fridays_half_day):
    """The working days between two dates and which of them are half days.

    `rows` maps a date to its calendar kind (HOLIDAY, CUTI_BERSAMA, CLOSED, HALF_DAY).
    Returns (days, half_days): a tuple of dates in order and a frozenset of dates.
    """
    days, half = [], set()
    for day in daterange(first_day, last_day):
        kind = rows.get(day)
        if day.isoweekday() == SUNDAY or kind in (HOLIDAY, CUTI_BERSAMA, CLOSED):
            continue
        days.append(day)
        if kind == HALF_DAY or (fridays_half_day and day.isoweekday() == FRIDAY):
            half.add(day)
    return tuple(days), frozenset(half)


def day_capacity(full_capacity, half_day):
    """Students a team records in a day: half (rounded down, at least one) on a half day."""
    return max(full_capacity // 2, 1) if half_day else full_capacity
