"""Every issue code of the roster, on xlsx and on csv, through the preview service."""

import datetime

import pytest

from tests.factories import StudentFactory

from .conftest import PLAIN_HEADER, codes, make_nik, preview, student, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

BORN = datetime.date(2010, 3, 14)


def bad_rows(other_school_nik, *, numeric):
    """Row 2 is valid; each later row carries one problem (rows 19 and 20 share a NIK)."""
    rows = [PLAIN_HEADER]

    def row(n, **changes):
        values = dict(zip(PLAIN_HEADER, student(n, birth_date=BORN), strict=True))
        values.update(changes)
        rows.append([values[title] for title in PLAIN_HEADER])

    duplicate = make_nik(BORN, "L", 90)
    row(1)
    row(2, Nama="")
    row(3, Nama="Ahmad")
    row(4, NIK="")
    row(5, NIK="63110614031000")
    row(6, NIK=float(make_nik(BORN, "L", 6)) if numeric else "6.31106E+15")
    row(7, NIK="6311063203100007")
    row(8, NIK=make_nik(BORN, "L", 8)[:12] + "0000")
    row(9, NIK=make_nik(BORN, "L", 9, region="999999"))
    row(10, **{"Tanggal Lahir": "15-03-2010"})
    row(11, JK="P")
    row(12, **{"No KK": make_nik(BORN, "L", 12)})
    row(13, **{"Tanggal Lahir": ""})
    row(14, **{"Tanggal Lahir": "32-13-2010"})
    row(15, NIK=make_nik(datetime.date(1990, 3, 14), "L", 15), **{"Tanggal Lahir": "14-03-1990"})
    row(16, JK="X")
    row(17, NISN="12345")
    row(18, NIK=duplicate)
    row(19, NIK=duplicate)
    row(20, NIK=other_school_nik)
    return rows


EXPECTED = {
    (3, "name_missing"),
    (4, "name_single_word"),
    (5, "nik_missing"),
    (6, "nik_format"),
    (7, "nik_precision_lost"),
    (8, "nik_date_invalid"),
    (9, "nik_serial_zero"),
    (10, "nik_region_unknown"),
    (11, "nik_birthdate_mismatch"),
    (12, "nik_sex_mismatch"),
    (13, "nik_equals_kk"),
    (14, "birthdate_missing"),
    (15, "birthdate_invalid"),
    (16, "birthdate_implausible"),
    (17, "sex_invalid"),
    (18, "nisn_format"),
    (19, "duplicate_in_file"),
    (20, "duplicate_in_file"),
    (21, "student_at_other_school"),
}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_preview_reports_every_issue_code_with_its_row(kind, tmp_path, school_a, school_b):
    elsewhere = StudentFactory(school=school_b, birth_date=BORN, nik=make_nik(BORN, "L", 20))
    rows = bad_rows(elsewhere.nik, numeric=kind == "xlsx")
    path = (
        write_xlsx(tmp_path / "roster.xlsx", rows)
        if kind == "xlsx"
        else write_csv(tmp_path / "roster.csv", rows)
    )

    result = preview(path, school_a)

    assert codes(result) == EXPECTED
    assert result.layout == "generic"
    assert result.counts == {
        "rows": 20,
        "valid": 7,
        "invalid": 13,
        "new": 6,
        "changed": 0,
        "unchanged": 0,
        "moves": 1,
    }


def test_issues_name_the_column_severity_and_what_to_do(tmp_path, school_a, school_b):
    elsewhere = StudentFactory(school=school_b, birth_date=BORN, nik=make_nik(BORN, "L", 20))
    path = write_xlsx(tmp_path / "roster.xlsx", bad_rows(elsewhere.nik, numeric=True))

    issues = {(issue["row"], issue["code"]): issue for issue in preview(path, school_a).issues}

    assert issues[(7, "nik_precision_lost")]["column"] == "NIK"
    assert issues[(7, "nik_precision_lost")]["severity"] == "error"
    assert issues[(7, "nik_precision_lost")]["message"] == (
        "The spreadsheet stored this NIK as a number and rounded away its last digits. Format "
        "the NIK column as Text, then type the NIK again from the family card (KK)."
    )
    assert issues[(18, "nisn_format")]["column"] == "NISN"
    assert issues[(18, "nisn_format")]["severity"] == "warning"
    assert issues[(17, "sex_invalid")]["column"] == "JK"
    assert issues[(15, "birthdate_invalid")]["column"] == "Tanggal Lahir"
    assert issues[(19, "duplicate_in_file")]["message"].endswith(
        "(also in row 20). Keep one row per student and correct the other NIK."
    )
    assert issues[(20, "duplicate_in_file")]["message"].startswith(
        "This NIK appears more than once in the file (also in row 19)."
    )
    assert issues[(21, "student_at_other_school")]["severity"] == "warning"
    assert school_b.name not in issues[(21, "student_at_other_school")]["message"]


@pytest.mark.parametrize(
    "text",
    [
        "2010-03-14",
        "14-03-2010",
        "14/03/2010",
        "14 Maret 2010",
        "14 Mar 2010",
        "14 maret 2010",
        "14-Mar-2010",
        " 14  MARET 2010 ",
    ],
)
def test_birth_date_accepted_in_each_form(text, tmp_path, school_a):
    rows = [PLAIN_HEADER, student(1, birth_date=BORN)]
    rows[1][3] = text
    result = preview(write_csv(tmp_path / "roster.csv", rows), school_a)

    assert result.issues == []
    assert result.results[0].values["birth_date"] == BORN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 Agustus 2009", datetime.date(2009, 8, 5)),
        ("05 Agt 2009", datetime.date(2009, 8, 5)),
        ("05 Agu 2009", datetime.date(2009, 8, 5)),
        ("05 Ags 2009", datetime.date(2009, 8, 5)),
        ("1 Januari 2010", datetime.date(2010, 1, 1)),
        ("1 Jan 2010", datetime.date(2010, 1, 1)),
        ("2 Februari 2010", datetime.date(2010, 2, 2)),
        ("2 Feb 2010", datetime.date(2010, 2, 2)),
        ("3 Apr 2010", datetime.date(2010, 4, 3)),
        ("4 Mei 2010", datetime.date(2010, 5, 4)),
        ("5 Jun 2010", datetime.date(2010, 6, 5)),
        ("6 Juli 2010", datetime.date(2010, 7, 6)),
        ("6 Jul 2010", datetime.date(2010, 7, 6)),
        ("7 Sep 2010", datetime.date(2010, 9, 7)),
        ("7 September 2010", datetime.date(2010, 9, 7)),
        ("8 Okt 2010", datetime.date(2010, 10, 8)),
        ("8 Oktober 2010", datetime.date(2010, 10, 8)),
        ("9 Nov 2010", datetime.date(2010, 11, 9)),
        ("10 Des 2010", datetime.date(2010, 12, 10)),
        ("10 Desember 2010", datetime.date(2010, 12, 10)),
    ],
)
def test_indonesian_month_names_and_abbreviations(text, expected, tmp_path, school_a):
    rows = [PLAIN_HEADER, student(1, birth_date=expected)]
    rows[1][3] = text
    result = preview(write_csv(tmp_path / "roster.csv", rows), school_a)

    assert result.issues == []
    assert result.results[0].values["birth_date"] == expected


def test_real_spreadsheet_date_cell_accepted(tmp_path, school_a):
    rows = [PLAIN_HEADER, student(1, birth_date=BORN)]
    rows[1][3] = datetime.datetime(2010, 3, 14)
    result = preview(write_xlsx(tmp_path / "roster.xlsx", rows), school_a)

    assert result.issues == []
    assert result.results[0].values["birth_date"] == BORN


@pytest.mark.parametrize(
    ("column", "field", "code"),
    [("No KK", "kk_number", "kk_format"), ("NISN", "nisn", "nisn_format")],
)
def test_numeric_optional_identifier_is_left_out_not_repaired(
    column, field, code, tmp_path, school_a
):
    rows = [PLAIN_HEADER, student(1, birth_date=BORN)]
    index = PLAIN_HEADER.index(column)
    rows[1][index] = float(rows[1][index])
    result = preview(write_xlsx(tmp_path / "roster.xlsx", rows), school_a)

    assert [(i["row"], i["column"], i["code"], i["severity"]) for i in result.issues] == [
        (2, column, code, "warning")
    ]
    assert result.counts["valid"] == 1
    assert result.results[0].values[field] == ""


def test_csv_nik_in_scientific_notation_is_refused(tmp_path, school_a):
    rows = [PLAIN_HEADER, student(1, birth_date=BORN)]
    rows[1][1] = "6.31101E+15"
    result = preview(write_csv(tmp_path / "roster.csv", rows), school_a)

    assert codes(result) == {(2, "nik_precision_lost")}
    assert result.counts["invalid"] == 1


def test_nik_with_spaces_dots_and_apostrophe_is_normalised(tmp_path, school_a):
    rows = [PLAIN_HEADER, student(1, birth_date=BORN)]
    nik = rows[1][1]
    rows[1][1] = f"'{nik[:6]} {nik[6:12]}.{nik[12:]}"
    result = preview(write_csv(tmp_path / "roster.csv", rows), school_a)

    assert result.issues == []
    assert result.results[0].values["nik"] == nik


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L", "L"),
        ("l", "L"),
        ("P", "P"),
        ("p", "P"),
        ("Laki-laki", "L"),
        ("LAKI-LAKI", "L"),
        ("laki laki", "L"),
        ("Perempuan", "P"),
        ("PEREMPUAN", "P"),
        (" P ", "P"),
    ],
)
def test_sex_accepted_forms(text, expected, tmp_path, school_a):
    sex = "L" if expected == "L" else "P"
    rows = [PLAIN_HEADER, student(1, sex=sex, birth_date=BORN)]
    rows[1][2] = text
    result = preview(write_csv(tmp_path / "roster.csv", rows), school_a)

    assert result.issues == []
    assert result.results[0].values["sex"] == expected


@pytest.mark.parametrize("text", ["", "X", "M", "Pria", "Wanita", "Laki"])
def test_sex_not_understood(text, tmp_path, school_a):
    rows = [PLAIN_HEADER, student(1, birth_date=BORN)]
    rows[1][2] = text
    result = preview(write_csv(tmp_path / "roster.csv", rows), school_a)

    assert codes(result) == {(2, "sex_invalid")}


def test_problem_messages_show_identifiers_masked(tmp_path, school_a):
    rows = [PLAIN_HEADER, student(1, birth_date=BORN), student(2, birth_date=BORN)]
    rows[1][1] = float(make_nik(BORN, "L", 1))
    rows[2][1] = "631106140310000"
    result = preview(write_xlsx(tmp_path / "roster.xlsx", rows), school_a)

    messages = {issue["code"]: issue["message"] for issue in result.issues}
    # A NIK that lost its digits is not quoted at all: even masked, its first six digits
    # look like the real NIK's and would be copied back.
    assert "631106" not in messages["nik_precision_lost"]
    assert "“631106*********” has 15" in messages["nik_format"]
    assert "6311061403" not in " ".join(messages.values())


@pytest.mark.parametrize("born", [datetime.date(2017, 1, 5), datetime.date(1999, 6, 1)])
def test_student_form_refuses_an_implausible_birth_date_as_the_roster_does(
    born, tmp_path, school_a
):
    from django.utils import translation

    from schools.models import School
    from students.forms import StudentForm

    nik = make_nik(born, "L", 1)
    rows = [PLAIN_HEADER, student(1, birth_date=born)]
    data = {
        "name": "Ahmad Fauzi",
        "nik": nik,
        "sex": "L",
        "birth_date": born.isoformat(),
        "marital_status": "belum_kawin",
        "school": school_a.pk,
    }
    with translation.override("id"):
        roster = preview(write_csv(tmp_path / "roster.csv", rows), school_a)
        form = StudentForm(data=data, schools=School.objects.all())
        form.is_valid()
        form_errors = [(e.code, e.message) for e in form.errors.as_data()["birth_date"]]

    roster_issues = [
        (issue["code"], issue["message"])
        for issue in roster.issues
        if issue["column"] == "Tanggal Lahir"
    ]
    assert form_errors == roster_issues
    assert len(roster_issues) == 1
    assert roster_issues[0][0] == "birthdate_implausible"
    assert roster_issues[0][1].startswith("Dengan tanggal lahir ini siswa berusia ")
