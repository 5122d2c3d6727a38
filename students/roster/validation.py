"""Checking roster rows: every problem of every row, with a stable code and advice.

A row is refused when it has an error; warnings are shown but the row is still saved.
The NIK rules are those of students.nik, ages those of students.dates.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from students import dates
from students import nik as nik_rules

ERROR = nik_rules.ERROR
WARNING = nik_rules.WARNING

MIN_AGE = 10
MAX_AGE = 25

# Longest text each field holds (the Student model's max_length).
MAX_LENGTHS = {
    "name": 150,
    "birth_place": 100,
    "class_name": 50,
    "guardian_name": 150,
    "guardian_phone": 30,
}

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

# A short title for each kind of problem, for the grouped list on the preview page.
ISSUE_TITLES = {
    "name_missing": gettext_lazy("Name missing"),
    "name_single_word": gettext_lazy("Name of a single word"),
    "nik_missing": gettext_lazy("NIK missing"),
    "nik_format": gettext_lazy("NIK not 16 digits"),
    "nik_precision_lost": gettext_lazy("Number stored as a spreadsheet number (digits lost)"),
    "nik_date_invalid": gettext_lazy("NIK date part is not a date"),
    "nik_serial_zero": gettext_lazy("NIK ends in 0000"),
    "nik_region_unknown": gettext_lazy("NIK region unknown"),
    "nik_birthdate_mismatch": gettext_lazy("NIK and birth date disagree"),
    "nik_sex_mismatch": gettext_lazy("NIK and sex disagree"),
    "nik_equals_kk": gettext_lazy("NIK equals the No. KK"),
    "nik_already_registered": gettext_lazy("NIK registered meanwhile by another upload"),
    "birthdate_missing": gettext_lazy("Birth date missing"),
    "birthdate_invalid": gettext_lazy("Birth date not understood"),
    "birthdate_implausible": gettext_lazy("Birth date gives an unlikely age"),
    "sex_invalid": gettext_lazy("Sex not L or P"),
    "nisn_format": gettext_lazy("NISN not 10 digits"),
    "kk_format": gettext_lazy("No. KK not 16 digits"),
    "value_too_long": gettext_lazy("Text too long"),
    "duplicate_in_file": gettext_lazy("Same NIK twice in the file"),
    "student_at_other_school": gettext_lazy("On another school's roster (possible move)"),
}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TEXT = re.compile(r"^(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})$")
_SPACES = re.compile(r"\s+")

# L, P, Laki-laki, Perempuan in any case ("Laki laki" without the hyphen too).
_SEXES = {
    "l": nik_rules.MALE,
    "laki laki": nik_rules.MALE,
    "p": nik_rules.FEMALE,
    "perempuan": nik_rules.FEMALE,
}


@dataclass
class RowResult:
    """One row's cleaned values (what would be saved) and its problems."""

    row: int
    values: dict
    issues: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not any(issue["severity"] == ERROR for issue in self.issues)

    def add(self, column, code, severity, message):
        self.issues.append(
            {
                "row": self.row,
                "column": column,
                "code": code,
                "severity": severity,
                "message": str(message),
            }
        )


def parse_birth_date(text):
    """A date from the accepted forms, or None.

    Spreadsheet dates arrive as YYYY-MM-DD; typed ones as DD-MM-YYYY, DD/MM/YYYY or
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


def parse_sex(text):
    key = " ".join(re.sub(r"[^a-z]+", " ", (text or "").lower()).split())
    return _SEXES.get(key)


def clean_identifier(text):
    return nik_rules.normalise(text)


def validate_rows(rows, columns, *, known_regions, reference=None):
    """RowResults for the normalised rows, duplicates within the file included."""
    reference = reference or dates.today()
    results = [
        validate_row(row, columns, known_regions=known_regions, reference=reference) for row in rows
    ]
    _mark_duplicates(results, columns)
    return results


def validate_row(row, columns, *, known_regions, reference):
    result = RowResult(row=row["row"], values={})
    numeric = set(row.get("numeric", ()))
    label = columns.get

    for name, limit in MAX_LENGTHS.items():
        if name in columns:
            value = _SPACES.sub(" ", row.get(name, "")).strip()
            if len(value) > limit:
                result.add(
                    label(name),
                    "value_too_long",
                    ERROR,
                    _("This text has %(count)d characters; at most %(limit)d fit. Shorten it.")
                    % {"count": len(value), "limit": limit},
                )
            result.values[name] = value

    name = result.values.get("name", "")
    if not name:
        result.add(
            label("name"),
            "name_missing",
            ERROR,
            _("The name is empty: type the student's full name."),
        )
    elif " " not in name:
        result.add(
            label("name"),
            "name_single_word",
            WARNING,
            _(
                "The name is a single word. If the student has a longer name, type it "
                "in full as on the family card (KK)."
            ),
        )

    sex = parse_sex(row.get("sex", ""))
    if sex is None:
        result.add(
            label("sex"),
            "sex_invalid",
            ERROR,
            _(
                "Write L for a boy or P for a girl (Laki-laki or Perempuan are fine "
                "too); “%(value)s” is not understood."
            )
            % {"value": nik_rules.mask_numbers(row.get("sex", ""))},
        )
    result.values["sex"] = sex or ""

    birth_date = _check_birth_date(row, result, label, reference)
    kk_number = _check_kk(row, result, label, numeric, columns)
    _check_nik(
        row,
        result,
        label,
        numeric,
        birth_date=birth_date,
        sex=sex,
        kk_number=kk_number,
        known_regions=known_regions,
        reference=reference,
    )
    _check_nisn(row, result, label, numeric, columns)
    return result


def _precision_lost(result, column, raw):
    # The message is kept and shown on lists: an identifier in it is masked like anywhere.
    result.add(
        column,
        "nik_precision_lost",
        ERROR,
        _(
            "Format the %(column)s column as Text and type the number again: the spreadsheet "
            "stored it as a number (%(value)s) and rounded away its last digits."
        )
        % {"column": column, "value": nik_rules.mask(str(raw))},
    )


def _optional_number_lost(result, column, raw, code):
    """A No. KK or NISN that went through the spreadsheet as a number: the value is left
    out (it is optional), the rest of the row is saved."""
    result.add(
        column,
        code,
        WARNING,
        _(
            "Format the %(column)s column as Text and type the number again: the spreadsheet "
            "stored it as a number (%(value)s) and lost digits. Until then this number is left "
            "out; the rest of the row is saved."
        )
        % {"column": column, "value": nik_rules.mask(str(raw))},
    )


def _check_birth_date(row, result, label, reference):
    raw = row.get("birth_date", "")
    birth_date = parse_birth_date(raw)
    if not raw:
        result.add(
            label("birth_date"),
            "birthdate_missing",
            ERROR,
            _("The birth date is empty: type it as DD-MM-YYYY, e.g. 05-08-2009."),
        )
    elif birth_date is None:
        result.add(
            label("birth_date"),
            "birthdate_invalid",
            ERROR,
            _(
                "“%(value)s” is not a date. Type it as DD-MM-YYYY (05-08-2009) or as "
                "“5 Agustus 2009”."
            )
            % {"value": nik_rules.mask_numbers(raw)},
        )
    else:
        age = dates.age_on(birth_date, reference)
        if age < MIN_AGE or age > MAX_AGE:
            result.add(
                label("birth_date"),
                "birthdate_implausible",
                ERROR,
                _(
                    "With this birth date the student would be %(age)d years old; a student is "
                    "10 to 25. Check the year."
                )
                % {"age": age},
            )
            birth_date = None
    result.values["birth_date"] = birth_date
    return birth_date


def _check_kk(row, result, label, numeric, columns):
    if "kk_number" not in columns:
        return ""
    raw = row.get("kk_number", "")
    if "kk_number" in numeric or (raw and nik_rules.looks_like_lost_precision(raw)):
        _optional_number_lost(result, label("kk_number"), raw, "kk_format")
        result.values["kk_number"] = ""
        return ""
    kk_number = clean_identifier(raw)
    if kk_number and not re.fullmatch(r"[0-9]{16}", kk_number):
        result.add(
            label("kk_number"),
            "kk_format",
            WARNING,
            _(
                "The No. KK must be 16 digits; this one is left out. Copy it from the family card "
                "(KK)."
            ),
        )
        kk_number = ""
    result.values["kk_number"] = kk_number
    return kk_number


def _check_nik(
    row, result, label, numeric, *, birth_date, sex, kk_number, known_regions, reference
):
    raw = row.get("nik", "")
    column = label("nik")
    result.values["nik"] = ""
    if "nik" in numeric or (raw and nik_rules.looks_like_lost_precision(raw)):
        _precision_lost(result, column, raw)
        return
    nik = clean_identifier(raw)
    result.values["nik"] = nik
    for issue in nik_rules.check(
        nik,
        birth_date=birth_date,
        sex=sex,
        kk_number=kk_number,
        known_regions=known_regions,
        reference=reference,
    ):
        if issue.code == "nik_missing":
            message = _(
                "The NIK is empty: copy the student's 16-digit NIK from the family card (KK)."
            )
        elif issue.code == "nik_format":
            message = _(
                "The NIK must be exactly 16 digits; “%(value)s” has %(count)d. Copy "
                "it again from the family card (KK)."
            ) % {"value": nik_rules.mask(nik), "count": len(nik)}
        else:
            message = issue.message
        result.add(column, issue.code, issue.severity, message)


def _check_nisn(row, result, label, numeric, columns):
    if "nisn" not in columns:
        return
    raw = row.get("nisn", "")
    if "nisn" in numeric or (raw and nik_rules.looks_like_lost_precision(raw)):
        _optional_number_lost(result, label("nisn"), raw, "nisn_format")
        result.values["nisn"] = ""
        return
    nisn = clean_identifier(raw)
    if nisn and not re.fullmatch(r"[0-9]{10}", nisn):
        result.add(
            label("nisn"),
            "nisn_format",
            WARNING,
            _(
                "A NISN has 10 digits (leading zeros included); “%(value)s” is left out. Check "
                "it at nisn.data.kemdikbud.go.id."
            )
            % {"value": nik_rules.mask_numbers(raw)},
        )
        nisn = ""
    result.values["nisn"] = nisn


def _mark_duplicates(results, columns):
    by_nik = defaultdict(list)
    for result in results:
        nik = result.values.get("nik")
        if nik and re.fullmatch(r"[0-9]{16}", nik):
            by_nik[nik].append(result)
    for same in by_nik.values():
        if len(same) < 2:
            continue
        for result in same:
            others = ", ".join(str(other.row) for other in same if other is not result)
            result.add(
                columns.get("nik"),
                "duplicate_in_file",
                ERROR,
                _(
                    "This NIK appears more than once in the file (also in row %(rows)s). Keep "
                    "one row per student and correct the other NIK."
                )
                % {"rows": others},
            )
