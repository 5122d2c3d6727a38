"""Birth dates as people type them, and the ages a senior-school student may have.

One rule for the roster and the student form alike: a date the student would be under
MIN_AGE or over MAX_AGE on is refused with the code `birthdate_implausible` and the same
words wherever it is typed.
"""

import datetime
import re

from django.utils.translation import gettext as _

from . import dates

MIN_AGE = 10
MAX_AGE = 25
IMPLAUSIBLE = "birthdate_implausible"

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agus": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TEXT = re.compile(r"^(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})$")
_SPACES = re.compile(r"\s+")


def parse(text):
    """A date from the accepted forms, or None.

    YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY (a spreadsheet's date cell is read so) or
    Indonesian text ("5 Agustus 2009", "05 Agt 2009").
    """
    text = _SPACES.sub(" ", (text or "").strip().lower())
    if not text:
        return None
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _TEXT.match(text):
        day, name, year = match.groups()
        month = MONTHS.get(name)
        if month is None:
            return None
        day, year = int(day), int(year)
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def implausible_age(birth_date, reference):
    """Why this birth date cannot be a student's on `reference`, or None when it can."""
    age = dates.age_on(birth_date, reference)
    if MIN_AGE <= age <= MAX_AGE:
        return None
    return _(
        "With this birth date the student would be %(age)d years old; a student is "
        "%(min)d to %(max)d. Check the year."
    ) % {"age": age, "min": MIN_AGE, "max": MAX_AGE}
