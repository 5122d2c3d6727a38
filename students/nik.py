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

ERROR = "error"
WARNING = "warning"

_STRIP = re.compile(r"[\s.\u00a0]")
_SCIENTIFIC = re.compile(r"^[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+$")
_DIGITS16 = re.compile(r"^[0-9]{16}$")

FEMALE_DAY_OFFSET = 40
MALE = "L"
FEMALE = "P"


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


def normalise(raw):
    """Remove spaces, dots and a leading apostrophe that spreadsheets leave in a NIK."""
    text = "" if raw is None else str(raw)
    text = text.strip()
    if text.startswith("'"):
        text = text[1:]
    return _STRIP.sub("", text)


def looks_like_lost_precision(raw):
    """A NIK written as a spreadsheet number in scientific notation ("6.31101E+15")."""
    return bool(_SCIENTIFIC.match(str(raw).strip()))


def resolve_century(two_digit_year, reference):
    """The latest year ending in `two_digit_year` not after the reference date's year.

    Students are 10 to 25 years old, so a birth year is never in the future and never a
    century back; general-purpose validators that pick 1900 first get this wrong.
    """
    year = reference.year - reference.year % 100 + two_digit_year
    return year if year <= reference.year else year - 100


def parse(nik, *, reference=None):
    """Split a normalised NIK into its parts, or raise NikInvalid with the first error."""
    reference = reference or datetime.date.today()
    if not nik:
        raise NikInvalid(Issue("nik_missing", ERROR, _("NIK is empty: fill in the 16-digit NIK.")))
    if not _DIGITS16.match(nik):
        raise NikInvalid(Issue(
            "nik_format", ERROR,
            _("NIK must be exactly 16 digits (this one has %(count)d characters).")
            % {"count": len(nik)},
        ))
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = MALE
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = FEMALE
    try:
        birth_date = datetime.date(resolve_century(year2, reference), month, day)
    except ValueError:
        raise NikInvalid(Issue(
            "nik_date_invalid", ERROR,
            _("Digits 7 to 12 of the NIK (%(part)s) are not a real date of birth.")
            % {"part": nik[6:12]},
        )) from None
    if nik[12:] == "0000":
        raise NikInvalid(Issue("nik_serial_zero", ERROR,
                               _("The last four digits of a NIK are never 0000.")))
    return NikParts(region=nik[:6], birth_date=birth_date, sex=sex, serial=nik[12:])


def check(nik, *, birth_date=None, sex=None, kk_number=None, known_regions=None,
          reference=None):
    """All problems with a normalised NIK, compared with the rest of the record.

    Returns a list of Issues (errors and warnings). `known_regions` is a set of six-digit
    kecamatan prefixes; when given, an unknown prefix is a warning.
    """
    try:
        parts = parse(nik, reference=reference)
    except NikInvalid as exc:
        return [exc.issue]
    issues = []
    if kk_number and normalise(kk_number) == nik:
        issues.append(Issue("nik_equals_kk", ERROR,
                            _("NIK and No. KK are the same number: the NIK is the "
                              "student's own number, the KK is the family card's.")))
    if known_regions is not None and parts.region not in known_regions:
        issues.append(Issue("nik_region_unknown", WARNING,
                            _("The first six digits of the NIK (%(region)s) are not a known "
                              "kecamatan code: check the number.") % {"region": parts.region}))
    if birth_date is not None and parts.birth_date != birth_date:
        issues.append(Issue("nik_birthdate_mismatch", WARNING,
                            _("The NIK gives a birth date of %(nik_date)s but the birth date "
                              "column says %(date)s.")
                            % {"nik_date": parts.birth_date.strftime("%d-%m-%Y"),
                               "date": birth_date.strftime("%d-%m-%Y")}))
    if sex in (MALE, FEMALE) and parts.sex != sex:
        issues.append(Issue("nik_sex_mismatch", WARNING,
                            _("The NIK is that of a %(nik_sex)s but the sex column says "
                              "%(sex)s.")
                            % {"nik_sex": sex_label(parts.sex), "sex": sex_label(sex)}))
    return issues


def sex_label(sex):
    return _("woman") if sex == FEMALE else _("man")


def build(region, birth_date, sex, serial):
    """Compose a NIK from its parts (the inverse of `parse`)."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == FEMALE else 0)
    return f"{region}{day:02d}{birth_date:%m}{birth_date:%y}{int(serial):04d}"


def mask(nik):
    """The NIK as lists and printouts show it: six digits, then asterisks."""
    if not nik:
        return ""
    return nik[:6] + "*" * (len(nik) - 6)
