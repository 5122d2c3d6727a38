"""Checking roster rows: every problem of every row, with a stable code and advice.

A row is refused when it has an error; warnings are shown but the row is still saved.
The NIK rules are those of students.nik, birth dates and ages those of students.birthdates.
"""

import re
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ktpku import intake
from students import birthdates, dates
from students import nik as nik_rules
from students.models import RosterImport

from .fields import FREE_TEXT, max_length

ERROR = intake.ERROR
WARNING = intake.WARNING

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

_SPACES = re.compile(r"\s+")
_DIGITS = {count: re.compile(f"[0-9]{{{count}}}") for count in (10, 16)}

# L, P, Laki-laki, Perempuan in any case ("Laki laki" without the hyphen too).
_SEXES = {
    "l": nik_rules.MALE,
    "laki laki": nik_rules.MALE,
    "p": nik_rules.FEMALE,
    "perempuan": nik_rules.FEMALE,
}
# EMIS writes the sex as a code. A bare 1 or 2 in any other file is ambiguous and refused.
_EMIS_SEX_CODES = {"1": nik_rules.MALE, "2": nik_rules.FEMALE}


def parse_sex(text, *, layout=None):
    text = (text or "").strip()
    if layout == RosterImport.Layout.EMIS and text in _EMIS_SEX_CODES:
        return _EMIS_SEX_CODES[text]
    if (sex := _SEXES.get(text.lower())) is not None:  # "L", "P", "Perempuan": as written
        return sex
    key = " ".join(re.sub(r"[^a-z]+", " ", text.lower()).split())
    return _SEXES.get(key)


def validate_rows(rows, columns, *, known_regions, layout=None, reference=None):
    """RowResults for the normalised rows, duplicates within the file included."""
    reference = reference or dates.today()
    results = [
        validate_row(row, columns, known_regions=known_regions, layout=layout, reference=reference)
        for row in rows
    ]
    _mark_duplicates(results, columns)
    return results


def validate_row(row, columns, *, known_regions, layout=None, reference):
    result = intake.RowResult(row=row["row"])
    numeric = set(row.get("numeric", ()))
    label = columns.get

    for name in FREE_TEXT:
        if name in columns:
            limit = max_length(name)
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

    sex = parse_sex(row.get("sex", ""), layout=layout)
    if sex is None:
        value = {"value": nik_rules.mask_numbers(row.get("sex", ""))}
        if layout == RosterImport.Layout.EMIS:
            message = _(
                "Write 1 for a boy or 2 for a girl, as EMIS does (L or P are fine too); "
                "“%(value)s” is not understood."
            )
        else:
            message = _(
                "Write L for a boy or P for a girl (Laki-laki or Perempuan are fine "
                "too); “%(value)s” is not understood."
            )
        result.add(label("sex"), "sex_invalid", ERROR, message % value)
    result.values["sex"] = sex or ""

    birth_date = _check_birth_date(row, result, label, reference)
    kk_number = _check_optional_number(
        row, result, columns, numeric, "kk_number", digits=16, code="kk_format", wrong=_wrong_kk
    )
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
    _check_optional_number(
        row, result, columns, numeric, "nisn", digits=10, code="nisn_format", wrong=_wrong_nisn
    )
    return result


def _precision_lost(result, column):
    # The number the spreadsheet kept is not quoted, not even masked: its first digits look
    # like the real NIK's and would be copied back.
    result.add(
        column,
        "nik_precision_lost",
        ERROR,
        _(
            "The spreadsheet stored this NIK as a number and rounded away its last digits. "
            "Format the %(column)s column as Text, then type the NIK again from the family "
            "card (KK)."
        )
        % {"column": column},
    )


def _optional_number_lost(result, column, code):
    """A No. KK or NISN that went through the spreadsheet as a number: the value is left
    out (it is optional), the rest of the row is saved."""
    result.add(
        column,
        code,
        WARNING,
        _(
            "The spreadsheet stored this number as a number and lost digits. Format the "
            "%(column)s column as Text and type it again; until then it is left out, the rest "
            "of the row is saved."
        )
        % {"column": column},
    )


def _check_birth_date(row, result, label, reference):
    raw = row.get("birth_date", "")
    birth_date = birthdates.parse(raw)
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
    elif problem := birthdates.implausible_age(birth_date, reference):
        result.add(label("birth_date"), birthdates.IMPLAUSIBLE, ERROR, problem)
        birth_date = None
    result.values["birth_date"] = birth_date
    return birth_date


def _check_optional_number(row, result, columns, numeric, name, *, digits, code, wrong):
    """A No. KK or NISN: optional, so a wrong one is left out with a warning and the rest of
    the row is saved. `wrong(raw)` words the warning for a value of the wrong shape."""
    if name not in columns:
        return ""
    raw = row.get(name, "")
    value = intake.normalise(raw)
    if name in numeric or (raw and intake.looks_like_lost_precision(raw)):
        _optional_number_lost(result, columns[name], code)
        value = ""
    elif value and not _DIGITS[digits].fullmatch(value):
        result.add(columns[name], code, WARNING, wrong(raw))
        value = ""
    result.values[name] = value
    return value


def _wrong_kk(_raw):
    return _(
        "The No. KK must be 16 digits; this one is left out. Copy it from the family card (KK)."
    )


def _wrong_nisn(raw):
    return _(
        "A NISN has 10 digits (leading zeros included); “%(value)s” is left out. Check "
        "it at nisn.data.kemdikbud.go.id."
    ) % {"value": nik_rules.mask_numbers(raw)}


def _check_nik(
    row, result, label, numeric, *, birth_date, sex, kk_number, known_regions, reference
):
    raw = row.get("nik", "")
    column = label("nik")
    result.values["nik"] = ""
    if "nik" in numeric or (raw and intake.looks_like_lost_precision(raw)):
        _precision_lost(result, column)
        return
    nik = intake.normalise(raw)
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
