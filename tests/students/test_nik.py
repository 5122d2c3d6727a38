"""The NIK rules: normalising, reading, checking, composing and masking a NIK."""

import datetime
import decimal

import pytest
import time_machine
from hypothesis import example, given
from hypothesis import strategies as st

from students import nik
from students.nik import FEMALE, MALE, Issue, NikInvalid, NikParts

pytestmark = pytest.mark.usefixtures("english")

REFERENCE = datetime.date(2026, 6, 1)
UTC = datetime.UTC


def codes(issues):
    return [issue.code for issue in issues]


# normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6311061705100001", "6311061705100001"),
        ("6311 0617 0510 0001", "6311061705100001"),
        ("6311.0617.0510.0001", "6311061705100001"),
        ("63.11.06 170510 0001", "6311061705100001"),
        ("  6311061705100001\t\n", "6311061705100001"),
        ("6311\u00a00617\u00a005100001", "6311061705100001"),  # no-break space
        ("6311\u202f061705100001", "6311061705100001"),  # narrow no-break space
        ("\ufeff6311061705100001\u200b", "6311061705100001"),  # BOM, zero-width space
        ("'6311061705100001", "6311061705100001"),
        ("\u20196311061705100001", "6311061705100001"),  # autocorrected apostrophe
        (" '6311 0617 0510 0001 ", "6311061705100001"),
        ("''6311061705100001", "6311061705100001"),
        ("' '6311061705100001", "6311061705100001"),
        ("6311'061705100001", "6311'061705100001"),  # an apostrophe inside stays
        ("6311-0617-0510-0001", "6311-0617-0510-0001"),  # anything else stays, to be reported
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_removes_only_decoration(raw, expected):
    assert nik.normalise(raw) == expected


# looks_like_lost_precision


@pytest.mark.parametrize(
    "raw",
    [
        6311061705100000,
        6311061705100001,
        6311061705100000.0,
        decimal.Decimal("6311061705100000"),
        "6.31106E+15",
        "6,31106E+15",
        "6.31106e15",
        "6E+15",
        " 6.31106E+15 ",
        "6311061705100000.0",
        "6311061705100000,00",
        "6.311.061.705.100.000",
        "6,311,061,705,100,000",
    ],
)
def test_looks_like_lost_precision_numbers_true(raw):
    assert nik.looks_like_lost_precision(raw) is True


@pytest.mark.parametrize(
    "raw",
    [
        "6311061705100001",
        "'6311061705100001",
        "6311 0617 0510 0001",
        "6311.0617.0510.0001",
        "63.11.06.170510.0001",
        "6.311.061.705.100.001",  # dots typed as decoration: the last digit survived
        "6311061705100000",  # as text: a serial-zero error, not a precision one
        "",
        None,
        True,
    ],
)
def test_looks_like_lost_precision_text_false(raw):
    assert nik.looks_like_lost_precision(raw) is False


# resolve_century


@pytest.mark.parametrize(
    ("two_digits", "reference", "month_day", "expected"),
    [
        (10, REFERENCE, None, 2010),
        (0, REFERENCE, None, 2000),
        (99, REFERENCE, None, 1999),
        (26, REFERENCE, None, 2026),
        (27, REFERENCE, None, 1927),
        (26, REFERENCE, (6, 1), 2026),  # born on the reference day
        (26, REFERENCE, (6, 2), 1926),  # a day later would be in the future
        (26, REFERENCE, (12, 31), 1926),
        (26, REFERENCE, (5, 31), 2026),
        (95, datetime.date(2105, 1, 1), None, 2095),
        (0, datetime.date(2100, 3, 1), (2, 29), 2100),
        (0, datetime.date(2100, 2, 28), (2, 29), 2000),
        (0, datetime.date(2000, 2, 28), (2, 29), 1900),
    ],
)
def test_resolve_century_latest_year_not_after_reference(
    two_digits, reference, month_day, expected
):
    month, day = month_day or (None, None)
    assert nik.resolve_century(two_digits, reference, month=month, day=day) == expected


def test_resolve_century_aware_datetime_read_in_wita():
    # 16:30 UTC on 31 May is already 1 June in WITA.
    reference = datetime.datetime(2026, 5, 31, 16, 30, tzinfo=UTC)

    assert nik.resolve_century(26, reference, month=6, day=1) == 2026


@pytest.mark.parametrize("two_digits", [-1, 100])
def test_resolve_century_out_of_range_raises(two_digits):
    with pytest.raises(ValueError, match="two_digit_year must be 0 to 99"):
        nik.resolve_century(two_digits, REFERENCE)


@given(
    two_digits=st.integers(0, 99),
    reference=st.dates(datetime.date(1950, 1, 1), datetime.date(2150, 12, 31)),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
)
def test_resolve_century_within_hundred_years_before_reference(two_digits, reference, month, day):
    year = nik.resolve_century(two_digits, reference, month=month, day=day)

    assert year % 100 == two_digits
    assert (year, month, day) <= (reference.year, reference.month, reference.day)
    assert (year + 100, month, day) > (reference.year, reference.month, reference.day)


# parse


def test_parse_male_reads_every_part():
    parts = nik.parse("6311061705100001", reference=REFERENCE)

    assert parts == NikParts(
        region="631106", birth_date=datetime.date(2010, 5, 17), sex=MALE, serial="0001"
    )
    assert parts.region_code == "63.11.06"


@pytest.mark.parametrize(
    ("value", "birth_date", "sex"),
    [
        ("6311065705109999", datetime.date(2010, 5, 17), FEMALE),
        ("6311064101100001", datetime.date(2010, 1, 1), FEMALE),  # day 41: the 1st, a woman
        ("6311067101100001", datetime.date(2010, 1, 31), FEMALE),  # day 71: the 31st
        ("6311060101100001", datetime.date(2010, 1, 1), MALE),
        ("6311063101100001", datetime.date(2010, 1, 31), MALE),
        ("6311062902080001", datetime.date(2008, 2, 29), MALE),
        ("6311066902080001", datetime.date(2008, 2, 29), FEMALE),
        ("6311062902000001", datetime.date(2000, 2, 29), MALE),  # 2000 is a leap year
        ("6311063112090001", datetime.date(2009, 12, 31), MALE),
        ("6311060106260001", datetime.date(2026, 6, 1), MALE),  # the reference day itself
        ("6311060206260001", datetime.date(1926, 6, 2), MALE),  # after it: a century back
        ("6311060112990001", datetime.date(1999, 12, 1), MALE),
    ],
)
def test_parse_date_part_reads_birth_date_and_sex(value, birth_date, sex):
    parts = nik.parse(value, reference=REFERENCE)

    assert (parts.birth_date, parts.sex) == (birth_date, sex)


@pytest.mark.parametrize(
    "date_part",
    [
        "000510",  # day 00
        "400510",  # day 40: 0 for a woman
        "320510",
        "350510",  # days 32 to 40 are no one's
        "720510",
        "800510",
        "990510",  # 72 and up: past the 31st for a woman
        "170010",
        "171310",
        "179910",  # month 00, 13, 99
        "310410",
        "710410",  # 31 April, for a man and a woman
        "300210",
        "700210",  # 30 February
        "290210",
        "690210",  # 29 February 2010, a common year
        "290205",
    ],
)
def test_parse_impossible_date_part_date_invalid(date_part):
    value = f"631106{date_part}0001"

    with pytest.raises(NikInvalid) as raised:
        nik.parse(value, reference=REFERENCE)

    assert raised.value.issue == Issue(
        "nik_date_invalid",
        "error",
        "Digits 7 to 12 of the NIK are not a real date of birth (DDMMYY, with 40 added to "
        "the day for women): check the number.",
    )
    assert str(raised.value) == raised.value.issue.message
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (datetime.date(2026, 6, 1), datetime.date(2000, 2, 29)),
        (datetime.date(2000, 2, 29), datetime.date(2000, 2, 29)),
    ],
)
def test_parse_29_february_00_in_2000_valid(reference, expected):
    assert nik.parse("6311062902000001", reference=reference).birth_date == expected


@pytest.mark.parametrize(
    "reference",
    [
        datetime.date(2000, 2, 28),  # resolves to 1900, a common year
        datetime.date(2100, 3, 1),  # resolves to 2100, a common year
    ],
)
def test_parse_29_february_00_in_1900_or_2100_date_invalid(reference):
    with pytest.raises(NikInvalid) as raised:
        nik.parse("6311062902000001", reference=reference)

    assert raised.value.issue.code == "nik_date_invalid"


def test_parse_serial_zero_refused():
    with pytest.raises(NikInvalid) as raised:
        nik.parse("6311061705100000", reference=REFERENCE)

    assert raised.value.issue == Issue(
        "nik_serial_zero", "error", "The last four digits of a NIK are never 0000."
    )


def test_parse_date_invalid_before_serial_zero():
    with pytest.raises(NikInvalid) as raised:
        nik.parse("6311063205100000", reference=REFERENCE)

    assert raised.value.issue.code == "nik_date_invalid"


@pytest.mark.parametrize("value", ["", None])
def test_parse_empty_missing(value):
    with pytest.raises(NikInvalid) as raised:
        nik.parse(value, reference=REFERENCE)

    assert raised.value.issue == Issue(
        "nik_missing", "error", "NIK is empty: fill in the 16-digit NIK."
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("631106170510001", "A NIK has 16 digits, but this one has 15 digits."),
        ("63110617051000011", "A NIK has 16 digits, but this one has 17 digits."),
        ("6", "A NIK has 16 digits, but this one has 1 digit."),
        ("631106170510000A", "A NIK has only digits, but this one contains “A”."),
        ("6311061705100001\n", "A NIK has only digits, but this one contains “\n”."),
        ("6311 061705100001", "A NIK has only digits, but this one contains “ ”."),
        ("\u0666311061705100001", "A NIK has only digits, but this one contains “\u0666”."),
    ],
)
def test_parse_not_16_digits_format(value, message):
    with pytest.raises(NikInvalid) as raised:
        nik.parse(value, reference=REFERENCE)

    assert raised.value.issue == Issue("nik_format", "error", message)


def test_parse_default_reference_today_in_wita():
    # 16:30 UTC on 31 May 2026 is 00:30 on 1 June in WITA: born "010626" is born today,
    # not a hundred years ago (which the UTC date would make of it).
    with time_machine.travel(datetime.datetime(2026, 5, 31, 16, 30, tzinfo=UTC), tick=False):
        parts = nik.parse("6311060106260001")

    assert parts.birth_date == datetime.date(2026, 6, 1)


# check


def test_check_matching_record_no_issues():
    issues = nik.check(
        "6311065705100001",
        birth_date=datetime.date(2010, 5, 17),
        sex=FEMALE,
        kk_number="6311060101850003",
        known_regions={"631106"},
        reference=REFERENCE,
    )

    assert issues == []


def test_check_unknown_region_warning():
    issues = nik.check("6399065705100001", known_regions={"631106", "631101"}, reference=REFERENCE)

    assert issues == [
        Issue(
            "nik_region_unknown",
            "warning",
            "The first six digits of the NIK (639906) are not a known "
            "kecamatan code: check the number.",
        )
    ]


def test_check_known_regions_as_kemendagri_codes_accepted():
    assert nik.check("6311065705100001", known_regions={"63.11.06"}, reference=REFERENCE) == []


def test_check_no_known_regions_no_region_warning():
    assert nik.check("9999065705100001", reference=REFERENCE) == []


def test_check_empty_known_regions_region_warning():
    issues = nik.check("6311065705100001", known_regions=set(), reference=REFERENCE)

    assert codes(issues) == ["nik_region_unknown"]


def test_check_other_birth_date_mismatch_warning():
    issues = nik.check(
        "6311061705100001", birth_date=datetime.date(2010, 5, 18), reference=REFERENCE
    )

    assert issues == [
        Issue(
            "nik_birthdate_mismatch",
            "warning",
            "The NIK gives a birth date of 17-05-2010 but the birth date column says 18-05-2010.",
        )
    ]


def test_check_birth_date_as_datetime_same_day_no_issue():
    issues = nik.check(
        "6311061705100001", birth_date=datetime.datetime(2010, 5, 17, 0, 0), reference=REFERENCE
    )

    assert issues == []


@pytest.mark.parametrize(
    ("value", "sex", "message"),
    [
        ("6311061705100001", FEMALE, "The NIK is that of a man but the sex column says woman."),
        ("6311061705100001", "p", "The NIK is that of a man but the sex column says woman."),
        ("6311065705100001", MALE, "The NIK is that of a woman but the sex column says man."),
    ],
)
def test_check_other_sex_mismatch_warning(value, sex, message):
    issues = nik.check(value, sex=sex, reference=REFERENCE)

    assert issues == [Issue("nik_sex_mismatch", "warning", message)]


@pytest.mark.parametrize("sex", [None, "", "X"])
def test_check_unknown_sex_not_compared(sex):
    assert nik.check("6311065705100001", sex=sex, reference=REFERENCE) == []


def test_check_woman_without_plus_40_sex_mismatch_only():
    # The day was entered without the +40: the date agrees, the sex does not.
    issues = nik.check(
        "6311061705100001", birth_date=datetime.date(2010, 5, 17), sex=FEMALE, reference=REFERENCE
    )

    assert codes(issues) == ["nik_sex_mismatch"]


@pytest.mark.parametrize("kk_number", ["6311061705100001", "'6311 0617 0510 0001"])
def test_check_same_as_kk_error(kk_number):
    issues = nik.check("6311061705100001", kk_number=kk_number, reference=REFERENCE)

    assert issues == [
        Issue(
            "nik_equals_kk",
            "error",
            "NIK and No. KK are the same number: the NIK is the student's own "
            "number, the KK is the family card's.",
        )
    ]


@pytest.mark.parametrize("kk_number", [None, "", "6311060101850003"])
def test_check_other_kk_no_issue(kk_number):
    assert nik.check("6311061705100001", kk_number=kk_number, reference=REFERENCE) == []


def test_check_every_error_reported_together():
    # A KK pasted into the NIK column can have an impossible "date" and a zero serial.
    issues = nik.check(
        "6399063513100000",
        birth_date=datetime.date(2010, 5, 17),
        sex=MALE,
        kk_number="6399063513100000",
        known_regions={"631106"},
        reference=REFERENCE,
    )

    assert codes(issues) == [
        "nik_region_unknown",
        "nik_date_invalid",
        "nik_serial_zero",
        "nik_equals_kk",
    ]
    assert [issue.severity for issue in issues] == ["warning", "error", "error", "error"]


def test_check_not_16_digits_only_format_error():
    issues = nik.check(
        "63110617051000", kk_number="63110617051000", known_regions=set(), reference=REFERENCE
    )

    assert codes(issues) == ["nik_format"]


def test_check_empty_only_missing_error():
    assert codes(nik.check("", birth_date=datetime.date(2010, 5, 17))) == ["nik_missing"]


# build


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("631106", datetime.date(2010, 5, 17), MALE, 1), "6311061705100001"),
        (("631106", datetime.date(2010, 5, 17), FEMALE, 1), "6311065705100001"),
        (("63.11.06", datetime.date(2010, 5, 7), FEMALE, "0042"), "6311064705100042"),
        (("640101", datetime.date(2000, 2, 29), MALE, 9999), "6401012902009999"),
        (("640101", datetime.date(2009, 12, 31), FEMALE, 10), "6401017112090010"),
    ],
)
def test_build_parts_composed(args, expected):
    assert nik.build(*args) == expected


@pytest.mark.parametrize(
    ("region", "sex", "serial", "message"),
    [
        ("63110", MALE, 1, "region must be six digits, not '63110'"),
        ("6311a6", MALE, 1, "region must be six digits, not '6311a6'"),
        ("631106", "X", 1, "sex must be 'L' or 'P', not 'X'"),
        ("631106", MALE, 0, "serial must be 1 to 9999, not 0"),
        ("631106", MALE, 10000, "serial must be 1 to 9999, not 10000"),
    ],
)
def test_build_impossible_parts_raise(region, sex, serial, message):
    with pytest.raises(ValueError) as raised:
        nik.build(region, datetime.date(2010, 5, 17), sex, serial)

    assert str(raised.value) == message


# mask


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6311061705100001", "631106**********"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_first_six_digits_only(value, expected):
    assert nik.mask(value) == expected


# Properties

regions = st.from_regex(r"[0-9]{6}", fullmatch=True)
sexes = st.sampled_from([MALE, FEMALE])
serials = st.integers(1, 9999)
references = st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31))


@st.composite
def students(draw):
    """A reference date and a NIK holder aged 10 to 25 on it (any day of those years)."""
    reference = draw(references)
    oldest = reference.replace(year=reference.year - 26, day=min(reference.day, 28))
    youngest = reference.replace(year=reference.year - 10, day=min(reference.day, 28))
    birth_date = draw(st.dates(oldest, youngest))
    return reference, birth_date, draw(regions), draw(sexes), draw(serials)


@given(students())
@example((datetime.date(2026, 6, 1), datetime.date(2008, 2, 29), "631106", FEMALE, 1))
@example((datetime.date(2026, 6, 1), datetime.date(2000, 2, 29), "631106", MALE, 9999))
@example((datetime.date(2026, 6, 1), datetime.date(2016, 6, 1), "000000", FEMALE, 1))
def test_build_then_parse_round_trip(student):
    reference, birth_date, region, sex, serial = student
    value = nik.build(region, birth_date, sex, serial)

    assert nik.parse(value, reference=reference) == NikParts(
        region=region, birth_date=birth_date, sex=sex, serial=f"{serial:04d}"
    )
    assert nik.check(value, birth_date=birth_date, sex=sex, reference=reference) == []


def _expected_for_mutation(value, birth_date, sex, reference):
    """What check() must say about a NIK whose date part has one digit changed."""
    try:
        parts = nik.parse(value, reference=reference)
    except NikInvalid as exc:
        return [exc.issue.code]
    assert (parts.birth_date, parts.sex) != (birth_date, sex)
    return [
        code
        for code, differs in (
            ("nik_birthdate_mismatch", parts.birth_date != birth_date),
            ("nik_sex_mismatch", parts.sex != sex),
        )
        if differs
    ]


@given(students(), st.integers(6, 11), st.integers(0, 9))
def test_mutated_date_digit_caught_or_reported(student, position, digit):
    reference, birth_date, region, sex, serial = student
    value = nik.build(region, birth_date, sex, serial)
    if value[position] == str(digit):
        digit = (digit + 1) % 10
    mutated = value[:position] + str(digit) + value[position + 1 :]

    issues = nik.check(mutated, birth_date=birth_date, sex=sex, reference=reference)

    assert codes(issues) == _expected_for_mutation(mutated, birth_date, sex, reference)
    assert codes(issues) in (
        ["nik_date_invalid"],
        ["nik_birthdate_mismatch"],
        ["nik_sex_mismatch"],
        ["nik_birthdate_mismatch", "nik_sex_mismatch"],
    )


def test_mutated_date_digit_every_case_of_two_years_caught_or_reported():
    # Exhaustive over 2008 (leap) and 2009 (common), both sexes, every digit 7 to 12,
    # every other value: nothing slips through as a clean NIK.
    reference = datetime.date(2026, 6, 1)
    day = datetime.date(2008, 1, 1)
    checked = 0
    while day.year < 2010:
        for sex in (MALE, FEMALE):
            value = nik.build("631106", day, sex, 1)
            for position in range(6, 12):
                for digit in "0123456789":
                    if digit == value[position]:
                        continue
                    mutated = value[:position] + digit + value[position + 1 :]
                    issues = nik.check(mutated, birth_date=day, sex=sex, reference=reference)
                    assert codes(issues) in (
                        ["nik_date_invalid"],
                        ["nik_birthdate_mismatch"],
                        ["nik_sex_mismatch"],
                        ["nik_birthdate_mismatch", "nik_sex_mismatch"],
                    ), (mutated, issues)
                    checked += 1
        day += datetime.timedelta(days=1)

    assert checked == 731 * 2 * 6 * 9


@given(st.text(alphabet="0123456789 .'\u00a0", max_size=30))
def test_normalise_idempotent(raw):
    assert nik.normalise(nik.normalise(raw)) == nik.normalise(raw)


def test_mask_numbers_hides_long_digit_runs_only():
    assert nik.mask_numbers("6311061705100001") == "631106**********"
    assert nik.mask_numbers("kelas 6311 0617 0510 0001") == "kelas 631106**********"
    assert nik.mask_numbers("05-08-2009") == "05-08-2009"
    assert nik.mask_numbers("0012345678") == "0012345678"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["631106", "63110612345678901", "631106A234567890", ""])
def test_the_database_itself_refuses_a_nik_that_is_not_16_digits(bad):
    """DB-02: a write that skips the forms and services still cannot store a bad NIK."""
    from django.db import DataError, IntegrityError, transaction

    from students.models import Student
    from tests.factories import StudentFactory

    student = StudentFactory()
    # Too long is refused by the column's length first (PostgreSQL), else by the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Student.objects.filter(pk=student.pk).update(nik=bad)
    assert Student.objects.get(pk=student.pk).nik == student.nik
