"""The NIK (Nomor Induk Kependudukan): normalise, validate, read out, compare, mask.

A NIK is 16 digits: province (2), regency (2), kecamatan (2) where it was first issued,
the birth date as DDMMYY with 40 added to the day for women, and a serial from 0001.
The NIK never changes even when its date part is wrong, so disagreements with the
recorded birth date or sex are warnings, never reasons to refuse a record.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The normaliser is the intake's, shared by every identifier (NIK, No. KK, NISN and the
# school codes); callers reach it here with the rest of the NIK rules.
from ktpku.intake.identifiers import looks_like_lost_precision, normalise  # noqa: F401
from ktpku.intake.issues import ERROR, WARNING

from . import dates

_DIGITS16 = re.compile(r"[0-9]{16}")
_DIGITS6 = re.compile(r"[0-9]{6}")

FEMALE_DAY_OFFSET = 40
MALE = "L"
FEMALE = "P"
SERIAL_MIN = 1
SERIAL_MAX = 9999


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class NikParts:
    region: str  # "631101"
    birth_date: datetime.date
    sex: str  # "L" or "P"
    serial: str  # "0001"

    @property
    def region_code(self):
        """The region as a Kemendagri code, "63.11.01"."""
        return f"{self.region[0:2]}.{self.region[2:4]}.{self.region[4:6]}"


class NikInvalid(ValueError):
    def __init__(self, issue):
        super().__init__(issue.message)
        self.issue = issue


def resolve_century(two_digit_year, reference, *, month=None, day=None):
    """The four-digit birth year for the NIK's two-digit year, seen from `reference`.

    A birth date is never after the reference date, so the answer is the latest year ending
    in `two_digit_year` whose birthday (`month`, `day`, when given) is not after `reference`.
    Students are 10 to 25 years old, well inside that hundred-year window; general-purpose
    validators that pick 1900 first get this wrong. Resolve the century before building the
    date: 29-02-00 is a real date in 2000 but not in 1900.
    """
    if not 0 <= two_digit_year <= 99:
        raise ValueError(f"two_digit_year must be 0 to 99, not {two_digit_year!r}")
    reference = dates.as_date(reference)
    year = reference.year - reference.year % 100 + two_digit_year
    after_reference = year > reference.year or (
        year == reference.year
        and month is not None
        and (month, day or 1) > (reference.month, reference.day)
    )
    return year - 100 if after_reference else year


def _format_issue(nik):
    """The Issue for a value that is not 16 digits at all, or None."""
    if not nik:
        return Issue("nik_missing", ERROR, _("NIK is empty: fill in the 16-digit NIK."))
    if _DIGITS16.fullmatch(nik):
        return None
    other = next((char for char in nik if char not in "0123456789"), None)
    if other is not None:
        message = _("A NIK has only digits, but this one contains “%(char)s”.") % {"char": other}
    else:
        message = ngettext(
            "A NIK has 16 digits, but this one has %(count)d digit.",
            "A NIK has 16 digits, but this one has %(count)d digits.",
            len(nik),
        ) % {"count": len(nik)}
    return Issue("nik_format", ERROR, message)


def _date_and_sex(nik, reference):
    """The birth date and sex in digits 7 to 12 of a 16-digit NIK, or raise NikInvalid."""
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = MALE
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = FEMALE
    year = resolve_century(year2, reference, month=month, day=day)
    try:
        return datetime.date(year, month, day), sex
    except ValueError:
        raise NikInvalid(
            Issue(
                "nik_date_invalid",
                ERROR,
                _(
                    "Digits 7 to 12 of the NIK are not a real date of birth (DDMMYY, with 40 "
                    "added to the day for women): check the number."
                ),
            )
        ) from None


def _serial_issue(nik):
    if nik[12:] == "0000":
        return Issue("nik_serial_zero", ERROR, _("The last four digits of a NIK are never 0000."))
    return None


def _reference(reference):
    return dates.today() if reference is None else dates.as_date(reference)


def parse(nik, *, reference=None):
    """Split a normalised NIK into its parts, or raise NikInvalid with the first error.

    `reference` is the date the two-digit year is read from (default: today in WITA): the
    birth date is the latest one not after it.
    """
    nik = "" if nik is None else str(nik)
    issue = _format_issue(nik)
    if issue is not None:
        raise NikInvalid(issue)
    birth_date, sex = _date_and_sex(nik, _reference(reference))
    issue = _serial_issue(nik)
    if issue is not None:
        raise NikInvalid(issue)
    return NikParts(region=nik[:6], birth_date=birth_date, sex=sex, serial=nik[12:])


def check(nik, *, birth_date=None, sex=None, kk_number=None, known_regions=None, reference=None):
    """All problems with a normalised NIK, compared with the rest of the record.

    Returns a list of Issues (errors and warnings), in the order of the NIK's digits. A value
    that is not 16 digits gets that one error only. `known_regions` is a collection of
    six-digit kecamatan prefixes ("631101"; "63.11.01" works too); when given, an unknown
    prefix is a warning. The birth-date and sex comparisons need a readable date part.
    """
    nik = "" if nik is None else str(nik)
    issue = _format_issue(nik)
    if issue is not None:
        return [issue]
    issues = []
    region = nik[:6]
    if known_regions is not None and not (
        region in known_regions or f"{region[0:2]}.{region[2:4]}.{region[4:6]}" in known_regions
    ):
        issues.append(
            Issue(
                "nik_region_unknown",
                WARNING,
                _(
                    "The first six digits of the NIK (%(region)s) are not a known "
                    "kecamatan code: check the number."
                )
                % {"region": region},
            )
        )
    try:
        nik_date, nik_sex = _date_and_sex(nik, _reference(reference))
    except NikInvalid as exc:
        issues.append(exc.issue)
        nik_date = nik_sex = None
    serial_issue = _serial_issue(nik)
    if serial_issue is not None:
        issues.append(serial_issue)
    if kk_number and normalise(kk_number) == nik:
        issues.append(
            Issue(
                "nik_equals_kk",
                ERROR,
                _(
                    "NIK and No. KK are the same number: the NIK is the "
                    "student's own number, the KK is the family card's."
                ),
            )
        )
    birth_date = _as_plain_date(birth_date)
    if nik_date is not None and birth_date is not None and nik_date != birth_date:
        issues.append(
            Issue(
                "nik_birthdate_mismatch",
                WARNING,
                _(
                    "The NIK gives a birth date of %(nik_date)s but the birth date "
                    "column says %(date)s."
                )
                % {
                    "nik_date": nik_date.strftime("%d-%m-%Y"),
                    "date": birth_date.strftime("%d-%m-%Y"),
                },
            )
        )
    sex = str(sex).strip().upper() if sex else None
    if nik_sex is not None and sex in (MALE, FEMALE) and nik_sex != sex:
        issues.append(
            Issue(
                "nik_sex_mismatch",
                WARNING,
                _("The NIK is that of a %(nik_sex)s but the sex column says %(sex)s.")
                % {"nik_sex": sex_label(nik_sex), "sex": sex_label(sex)},
            )
        )
    return issues


def _as_plain_date(value):
    # A spreadsheet date cell may arrive as a datetime (openpyxl); a datetime never equals
    # a date, so compare calendar days.
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def sex_label(sex):
    return _("woman") if sex == FEMALE else _("man")


def build(region, birth_date, sex, serial):
    """Compose a NIK from its parts (the inverse of `parse`).

    `region` is six digits ("631101" or "63.11.01"), `sex` MALE or FEMALE, `serial` 1 to
    9999. Anything else raises ValueError rather than composing a number parse would refuse.
    """
    region = str(region).replace(".", "")
    if not _DIGITS6.fullmatch(region):
        raise ValueError(f"region must be six digits, not {region!r}")
    if sex not in (MALE, FEMALE):
        raise ValueError(f"sex must be {MALE!r} or {FEMALE!r}, not {sex!r}")
    serial = int(serial)
    if not SERIAL_MIN <= serial <= SERIAL_MAX:
        raise ValueError(f"serial must be {SERIAL_MIN} to {SERIAL_MAX}, not {serial}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == FEMALE else 0)
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


_LONG_NUMBER = re.compile(r"[0-9][0-9 .]{10,}[0-9]")


def mask_numbers(text):
    """`text` with every run of 12 or more digits masked: a cell quoted back to the user
    may hold a NIK that landed in the wrong column."""

    def hide(match):
        digits = re.sub(r"[ .]", "", match.group(0))
        return mask(digits) if len(digits) >= 12 else match.group(0)

    return _LONG_NUMBER.sub(hide, str(text))


def mask(nik):
    """The NIK as lists and printouts show it: six digits, then asterisks."""
    if not nik:
        return ""
    nik = str(nik)
    return nik[:6] + "*" * (len(nik) - 6)
