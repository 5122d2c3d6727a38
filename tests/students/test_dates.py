"""Dates and ages: today in WITA, birthdays, the 29 February rule, the age thresholds."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from students import dates

UTC = datetime.UTC
D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
# 00:30 on 1 June 2026 in WITA (UTC+8) is still 31 May in UTC.
WITA_JUST_PAST_MIDNIGHT = datetime.datetime(2026, 5, 31, 16, 30, tzinfo=UTC)
WITA_JUST_BEFORE_MIDNIGHT = datetime.datetime(2026, 5, 31, 15, 59, 59, tzinfo=UTC)
WITA_MIDNIGHT = datetime.datetime(2026, 5, 31, 16, 0, tzinfo=UTC)


# today


def test_today_after_wita_midnight_next_day():
    with time_machine.travel(WITA_JUST_PAST_MIDNIGHT, tick=False):
        assert dates.today() == D(2026, 6, 1)


def test_today_at_wita_midnight_next_day():
    with time_machine.travel(WITA_MIDNIGHT, tick=False):
        assert dates.today() == D(2026, 6, 1)


def test_today_before_wita_midnight_same_day():
    with time_machine.travel(WITA_JUST_BEFORE_MIDNIGHT, tick=False):
        assert dates.today() == D(2026, 5, 31)


def test_today_other_zone_activated_still_wita():
    # A request or job that activated UTC must not move the office's day.
    with time_machine.travel(WITA_JUST_PAST_MIDNIGHT, tick=False), timezone.override("UTC"):
        assert timezone.localdate() == D(2026, 5, 31)
        assert dates.today() == D(2026, 6, 1)


def test_today_born_on_that_wita_day_16_and_recordable():
    born = D(2010, 6, 1)

    with time_machine.travel(WITA_JUST_PAST_MIDNIGHT, tick=False):
        office_day = dates.today()

    assert dates.age_on(born, office_day) == 16
    assert dates.may_be_recorded(born, office_day) is True


def test_today_born_next_wita_day_still_15():
    born = D(2010, 6, 1)

    with time_machine.travel(WITA_JUST_BEFORE_MIDNIGHT, tick=False):
        office_day = dates.today()

    assert dates.age_on(born, office_day) == 15
    assert dates.may_be_recorded(born, office_day) is False


# as_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2026, 6, 1), D(2026, 6, 1)),
        (WITA_JUST_PAST_MIDNIGHT, D(2026, 6, 1)),
        (WITA_JUST_BEFORE_MIDNIGHT, D(2026, 5, 31)),
        (datetime.datetime(2026, 5, 31, 23, 0), D(2026, 5, 31)),  # naive: taken as it is
    ],
)
def test_as_date_datetime_read_in_wita(value, expected):
    assert dates.as_date(value) == expected


def test_age_on_aware_datetime_read_in_wita():
    assert dates.age_on(D(2010, 6, 1), WITA_JUST_PAST_MIDNIGHT) == 16


# birthday_in_year


@pytest.mark.parametrize(
    ("born", "year", "expected"),
    [
        (D(2010, 6, 1), 2026, D(2026, 6, 1)),
        (D(2009, 12, 31), 2026, D(2026, 12, 31)),
        (D(2008, 2, 29), 2024, D(2024, 2, 29)),  # leap year
        (D(2008, 2, 29), 2025, D(2025, 3, 1)),  # common year: 1 March by default
        (D(2000, 2, 29), 2100, D(2100, 3, 1)),  # 2100 is a common year
        (D(1996, 2, 29), 2000, D(2000, 2, 29)),  # 2000 is a leap year
        (D(2009, 2, 28), 2024, D(2024, 2, 28)),
        (D(2009, 3, 1), 2024, D(2024, 3, 1)),
    ],
)
def test_birthday_in_year_default_leap_rule(born, year, expected):
    assert dates.birthday_in_year(born, year) == expected


@pytest.mark.parametrize(
    ("born", "year", "expected"),
    [
        (D(2008, 2, 29), 2025, D(2025, 2, 28)),
        (D(2000, 2, 29), 2100, D(2100, 2, 28)),
        (D(2008, 2, 29), 2024, D(2024, 2, 29)),  # a leap year keeps 29 February
        (D(2009, 3, 1), 2025, D(2025, 3, 1)),  # no one else moves
    ],
)
def test_birthday_in_year_28_february_setting(settings, born, year, expected):
    settings.LEAP_DAY_BIRTHDAY = "02-28"

    assert dates.birthday_in_year(born, year) == expected


# age_on: the day before, on and after each birthday


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (D(2010, 6, 1), D(2026, 5, 31), 15),
        (D(2010, 6, 1), D(2026, 6, 1), 16),
        (D(2010, 6, 1), D(2026, 6, 2), 16),
        (D(2010, 6, 1), D(2027, 5, 31), 16),
        (D(2010, 6, 1), D(2027, 6, 1), 17),
        (D(2010, 6, 1), D(2027, 6, 2), 17),
        (D(2009, 12, 31), D(2025, 12, 30), 15),  # across the turn of the year
        (D(2009, 12, 31), D(2025, 12, 31), 16),
        (D(2009, 12, 31), D(2026, 1, 1), 16),
        (D(2010, 1, 1), D(2025, 12, 31), 15),
        (D(2010, 1, 1), D(2026, 1, 1), 16),
        (D(2010, 6, 1), D(2010, 6, 1), 0),
        (D(2010, 6, 1), D(2010, 5, 31), -1),  # not born yet
    ],
)
def test_age_on_around_birthdays_full_years(born, on, expected):
    assert dates.age_on(born, on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        # 16 in 2024, a leap year: on 29 February itself.
        (D(2024, 2, 28), 15),
        (D(2024, 2, 29), 16),
        (D(2024, 3, 1), 16),
        # 17 in 2025, a common year: on 1 March by default.
        (D(2025, 2, 27), 16),
        (D(2025, 2, 28), 16),
        (D(2025, 3, 1), 17),
        (D(2025, 3, 2), 17),
    ],
)
def test_age_on_born_29_february_default_1_march(on, expected):
    assert dates.age_on(D(2008, 2, 29), on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2024, 2, 28), 15),
        (D(2024, 2, 29), 16),
        (D(2025, 2, 27), 16),
        (D(2025, 2, 28), 17),
        (D(2025, 3, 1), 17),
    ],
)
def test_age_on_born_29_february_28_february_setting(settings, on, expected):
    settings.LEAP_DAY_BIRTHDAY = "02-28"

    assert dates.age_on(D(2008, 2, 29), on) == expected


# turns


@pytest.mark.parametrize(
    ("born", "age", "expected"),
    [
        (D(2010, 6, 1), 16, D(2026, 6, 1)),
        (D(2010, 6, 1), 17, D(2027, 6, 1)),
        (D(2008, 2, 29), 16, D(2024, 2, 29)),
        (D(2008, 2, 29), 17, D(2025, 3, 1)),
        (D(2000, 2, 29), 100, D(2100, 3, 1)),
    ],
)
def test_turns_day_of_that_birthday(born, age, expected):
    assert dates.turns(born, age) == expected


def test_turns_born_29_february_28_february_setting(settings):
    settings.LEAP_DAY_BIRTHDAY = "02-28"

    assert dates.turns(D(2008, 2, 29), dates.CARD_AGE) == D(2025, 2, 28)
    assert dates.turns(D(2008, 2, 29), dates.RECORDING_AGE) == D(2024, 2, 29)


# may_be_recorded, card_may_be_printed


def test_ages_recording_16_card_17():
    assert (dates.RECORDING_AGE, dates.CARD_AGE) == (16, 17)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2026, 5, 31), False),
        (D(2026, 6, 1), True),
        (D(2026, 6, 2), True),
    ],
)
def test_may_be_recorded_around_16th_birthday(on, expected):
    assert dates.may_be_recorded(D(2010, 6, 1), on) is expected


@pytest.mark.parametrize(
    ("rule", "on", "expected"),
    [
        ("03-01", D(2024, 2, 28), False),
        ("03-01", D(2024, 2, 29), True),
        ("02-28", D(2024, 2, 28), False),
        ("02-28", D(2024, 2, 29), True),
    ],
)
def test_may_be_recorded_born_29_february_16_in_leap_year(settings, rule, on, expected):
    settings.LEAP_DAY_BIRTHDAY = rule

    assert dates.may_be_recorded(D(2008, 2, 29), on) is expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2027, 5, 31), False),
        (D(2027, 6, 1), True),
        (D(2027, 6, 2), True),
    ],
)
def test_card_may_be_printed_around_17th_birthday(on, expected):
    assert dates.card_may_be_printed(D(2010, 6, 1), on) is expected


@pytest.mark.parametrize(
    ("rule", "on", "expected"),
    [
        ("03-01", D(2025, 2, 28), False),
        ("03-01", D(2025, 3, 1), True),
        ("02-28", D(2025, 2, 27), False),
        ("02-28", D(2025, 2, 28), True),
    ],
)
def test_card_may_be_printed_born_29_february_common_year(settings, rule, on, expected):
    settings.LEAP_DAY_BIRTHDAY = rule

    assert dates.card_may_be_printed(D(2008, 2, 29), on) is expected


@pytest.mark.parametrize("on", [D(2026, 5, 31), D(2026, 6, 1), D(2027, 5, 31)])
def test_card_may_be_printed_married_before_17(on):
    assert dates.card_may_be_printed(D(2010, 6, 1), on, ever_married=True) is True


# Properties, under both leap-day rules

births = st.dates(D(1990, 1, 1), D(2030, 12, 31))


@pytest.mark.parametrize("rule", ["03-01", "02-28"])
@given(born=births, age=st.integers(1, 30))
@example(born=D(2008, 2, 29), age=17)
@example(born=D(2008, 2, 29), age=16)
@example(born=D(2004, 2, 29), age=21)
def test_turns_is_the_first_day_of_that_age(rule, born, age):
    with override_settings(LEAP_DAY_BIRTHDAY=rule):
        day = dates.turns(born, age)

        assert dates.age_on(born, day) == age
        assert dates.age_on(born, day - ONE_DAY) == age - 1


@pytest.mark.parametrize("rule", ["03-01", "02-28"])
@given(born=births, on=st.dates(D(2000, 1, 1), D(2060, 12, 31)))
def test_age_on_grows_by_one_on_birthdays_only(rule, born, on):
    with override_settings(LEAP_DAY_BIRTHDAY=rule):
        step = dates.age_on(born, on + ONE_DAY) - dates.age_on(born, on)
        birthday = dates.birthday_in_year(born, (on + ONE_DAY).year) == on + ONE_DAY

        assert step == (1 if birthday else 0)


@given(born=births, on=st.dates(D(2000, 1, 1), D(2060, 12, 31)))
def test_age_thresholds_match_turns(born, on):
    assert dates.may_be_recorded(born, on) is (on >= dates.turns(born, dates.RECORDING_AGE))
    assert dates.card_may_be_printed(born, on) is (on >= dates.turns(born, dates.CARD_AGE))


# The SQL twin of turns(), for jobs that date many students' milestones in one statement


def _turns_in_database(births, age):
    """turns_in_sql of each birth date, read from students born on those days."""
    from students.models import Student
    from tests.factories import SchoolFactory, StudentFactory

    school = SchoolFactory()
    Student.objects.bulk_create(
        [StudentFactory.build(birth_date=born, school=school) for born in births]
    )
    found = dict(
        Student.objects.annotate(day=dates.turns_in_sql("birth_date", age)).values_list(
            "birth_date", "day"
        )
    )
    return [dates.as_date(found[born]) for born in births]


LEAP_BIRTHS = [D(1996, 2, 29), D(2000, 2, 29), D(2008, 2, 29), D(2084, 2, 29), D(2096, 2, 29)]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", ["03-01", "02-28"])
@pytest.mark.parametrize("age", [16, 17, 4])
def test_turns_in_sql_agrees_with_turns_every_day_of_a_year(settings, rule, age):
    settings.LEAP_DAY_BIRTHDAY = rule
    births = [D(2007, 12, 1) + ONE_DAY * n for n in range(400)] + LEAP_BIRTHS

    assert _turns_in_database(births, age) == [dates.turns(born, age) for born in births]


@pytest.mark.django_db
def test_turns_in_sql_29_february_at_17_on_the_set_day(settings):
    settings.LEAP_DAY_BIRTHDAY = "02-28"
    assert _turns_in_database([D(2008, 2, 29)], 17) == [D(2025, 2, 28)]
    settings.LEAP_DAY_BIRTHDAY = "03-01"
    assert _turns_in_database([D(2008, 2, 29)], 17) == [D(2025, 3, 1)]
    assert _turns_in_database([D(2008, 2, 29)], 16) == [D(2024, 2, 29)]
