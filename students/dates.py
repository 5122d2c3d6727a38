"""Ages and birthdays: the only place in KTPku that does this arithmetic.

"Today" is the office's day (WITA), for people and nightly jobs alike. A birthday counts
on the day itself. Someone born on 29 February has their birthday on 1 March in a common
year, or on 28 February where the office sets LEAP_DAY_BIRTHDAY = "02-28".
"""

import calendar
import datetime

from django.conf import settings
from django.db.models import Case, CharField, DateField, F, Q, Value, When
from django.db.models.functions import (
    Cast,
    Concat,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    LPad,
    Mod,
)
from django.db.models.lookups import Exact
from django.utils import timezone

RECORDING_AGE = 16
CARD_AGE = 17


def today():
    """Today's date in the office's time zone (settings.TIME_ZONE, Asia/Makassar).

    Not the time zone activated for the current request or thread: a nightly job and a
    person in another zone must agree on which day it is at the office.
    """
    return timezone.localdate(timezone=timezone.get_default_timezone())


def as_date(value):
    """A calendar date from a date or a datetime (an aware one is read in the office's zone)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value, timezone.get_default_timezone()).date()
        return value.date()
    return value


def birthday_in_year(birth_date, year):
    """The day in `year` on which someone born on `birth_date` has their birthday."""
    birth_date = as_date(birth_date)
    if birth_date.month == 2 and birth_date.day == 29 and not calendar.isleap(year):
        month, day = (int(part) for part in settings.LEAP_DAY_BIRTHDAY.split("-"))
        return datetime.date(year, month, day)
    return birth_date.replace(year=year)


def age_on(birth_date, on):
    """Age in full years on the date `on` (the birthday itself counts)."""
    birth_date, on = as_date(birth_date), as_date(on)
    age = on.year - birth_date.year
    if on < birthday_in_year(birth_date, on.year):
        age -= 1
    return age


def turns(birth_date, age):
    """The day someone born on `birth_date` reaches `age` years."""
    birth_date = as_date(birth_date)
    return birthday_in_year(birth_date, birth_date.year + age)


def may_be_recorded(birth_date, on):
    """May a KTP-el recording take place on `on`? (16 or older that day.)"""
    return age_on(birth_date, on) >= RECORDING_AGE


def card_may_be_printed(birth_date, on, *, ever_married=False):
    """May the card be printed on `on`? (17 or older that day, or married or ever married.)"""
    return ever_married or age_on(birth_date, on) >= CARD_AGE


def latest_birth_date(age, on):
    """The last birth date of someone who is `age` or older on `on`.

    Everyone born on or before it has reached `age` by `on`; everyone born after has not.
    It lets a job over many students compare birth dates in SQL and still follow the
    29 February rule above (with "02-28", on 28 February of a common year someone born on
    29 February 17 years earlier is 17 already, so the bound moves to that 29 February).
    """
    on = as_date(on)
    year = on.year - age
    bound = datetime.date(year, on.month, min(on.day, calendar.monthrange(year, on.month)[1]))
    while age_on(bound + datetime.timedelta(days=1), on) >= age:
        bound += datetime.timedelta(days=1)
    while age_on(bound, on) < age:
        bound -= datetime.timedelta(days=1)
    return bound


def turns_in_sql(birth_date, age):
    """The SQL twin of turns(): an expression for the day someone born on `birth_date` (a
    field name or a date expression) reaches `age` years, for a job that dates many
    students' milestones in one statement. Same 29 February rule: in a common year the
    birthday falls on LEAP_DAY_BIRTHDAY. Built from portable functions (PostgreSQL and
    SQLite alike): the year, month and day are put together as YYYY-MM-DD and cast.
    """
    birth = F(birth_date) if isinstance(birth_date, str) else birth_date
    year = ExtractYear(birth) + Value(age)
    leap_year = Q(Exact(Mod(year, Value(4)), 0)) & (
        ~Q(Exact(Mod(year, Value(100)), 0)) | Q(Exact(Mod(year, Value(400)), 0))
    )
    leap_day = Q(Exact(ExtractMonth(birth), 2)) & Q(Exact(ExtractDay(birth), 29))
    moved = leap_day & ~leap_year
    month, day = (int(part) for part in settings.LEAP_DAY_BIRTHDAY.split("-"))

    def part(value, width):
        return LPad(Cast(value, CharField()), width, Value("0"))

    return Cast(
        Concat(
            part(year, 4),
            Value("-"),
            part(Case(When(moved, then=Value(month)), default=ExtractMonth(birth)), 2),
            Value("-"),
            part(Case(When(moved, then=Value(day)), default=ExtractDay(birth)), 2),
            output_field=CharField(),
        ),
        DateField(),
    )
