"""manage.py import_schools: reading, every issue code, dry run against --commit, reruns."""

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from schools.models import School
from tests.factories import SchoolFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ["kode", "nama", "jenis", "kecamatan"]
GOOD_ROWS = [
    ["30304567", "SMA Negeri 1 Paringin", "SMA", "63.11.06"],
    ["131163110001", "MAN 1 Balangan", "ma", "63.11.06"],
    ["510063110002", "Pondok Pesantren Darussalam", "Pesantren", "63.11.03"],
]
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def write_csv(path, rows, *, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path, rows, *, title_rows=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [*title_rows, *rows]:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    workbook.save(path)
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import_schools", str(path), *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def run_file_error(path):
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_schools", str(path), "--format", "json", stdout=out)
    return raised.value.returncode, json.loads(out.getvalue())


def registry():
    return [
        (s.npsn, s.nsm, s.nspp, s.name, s.kind, s.kecamatan_id)
        for s in School.objects.order_by("name")
    ]


# Dry run, commit, rerun ------------------------------------------------------------------


def test_dry_run_reports_plan_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, *GOOD_ROWS])

    result = run(path)

    assert result == {
        "file": "sekolah.csv",
        "rows": 3,
        "valid": 3,
        "invalid": 0,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "committed": False,
        "issues": [],
    }
    assert School.objects.count() == 0


def test_commit_creates_schools_with_identifier_by_shape(tmp_path):
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, *GOOD_ROWS])

    result = run(path, "--commit")

    assert (result["created"], result["committed"]) == (3, True)
    assert registry() == [
        ("", "131163110001", "", "MAN 1 Balangan", "MA", "63.11.06"),
        ("", "", "510063110002", "Pondok Pesantren Darussalam", "PESANTREN", "63.11.03"),
        ("30304567", "", "", "SMA Negeri 1 Paringin", "SMA", "63.11.06"),
    ]


def test_second_commit_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, *GOOD_ROWS])
    run(path, "--commit")
    before = [model_to_dict(s) for s in School.objects.order_by("pk")]

    result = run(path, "--commit")

    assert (result["rows"], result["created"], result["updated"], result["unchanged"]) == (
        3,
        0,
        0,
        3,
    )
    assert [model_to_dict(s) for s in School.objects.order_by("pk")] == before


def test_commit_updates_school_found_by_identifier(tmp_path):
    school = SchoolFactory(npsn="30304567", name="SMAN 1 Paringin", kind="SMA")
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, GOOD_ROWS[0]])

    result = run(path, "--commit")

    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 0)
    school.refresh_from_db()
    assert school.name == "SMA Negeri 1 Paringin"
    assert school.history.first().history_change_reason == "import_schools"


def test_dry_run_against_existing_school_reports_update_without_writing(tmp_path):
    SchoolFactory(npsn="30304567", name="SMAN 1 Paringin")
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, GOOD_ROWS[0]])

    result = run(path)

    assert (result["updated"], result["committed"]) == (1, False)
    assert School.objects.get().name == "SMAN 1 Paringin"


def test_commit_writes_valid_rows_and_skips_invalid(tmp_path):
    path = write_csv(
        tmp_path / "sekolah.csv", [HEADER, GOOD_ROWS[0], ["3030", "SMA Salah", "SMA", "63.11.06"]]
    )

    result = run(path, "--commit")

    assert (result["rows"], result["valid"], result["invalid"], result["created"]) == (2, 1, 1, 1)
    assert [s.name for s in School.objects.all()] == ["SMA Negeri 1 Paringin"]


# Reading ---------------------------------------------------------------------------------


def test_xlsx_with_title_rows_is_read(tmp_path):
    path = write_xlsx(
        tmp_path / "sekolah.xlsx",
        [HEADER, *GOOD_ROWS],
        title_rows=[["Daftar sekolah Kabupaten Balangan"], []],
    )

    result = run(path)

    assert (result["rows"], result["valid"], result["issues"]) == (3, 3, [])


def test_csv_with_semicolons_and_bom_is_read(tmp_path):
    path = write_csv(
        tmp_path / "sekolah.csv",
        [["Kode", "NAMA", "Jenis", "Kecamatan"], GOOD_ROWS[0]],
        delimiter=";",
        encoding="utf-8-sig",
    )

    result = run(path)

    assert (result["rows"], result["valid"]) == (1, 1)


def test_blank_rows_are_not_counted(tmp_path):
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, GOOD_ROWS[0], ["", "", "", ""], []])

    result = run(path)

    assert result["rows"] == 1


# Every issue code ------------------------------------------------------------------------

ISSUE_CASES = [
    (["", "SMA Tanpa Kode", "SMA", "63.11.06"], "kode", "code_missing"),
    (["3.03046E+07", "SMA Notasi", "SMA", "63.11.06"], "kode", "code_not_text"),
    (["3030456", "SMA Tujuh", "SMA", "63.11.06"], "kode", "code_format"),
    (["1311631100011", "MA Tiga Belas", "MA", "63.11.06"], "kode", "code_format"),
    (["30304567", "", "SMA", "63.11.06"], "nama", "name_missing"),
    (["30304567", "SMA Jenis", "SMP", "63.11.06"], "jenis", "kind_invalid"),
    (["30304567", "SMA Tanpa Kecamatan", "SMA", ""], "kecamatan", "kecamatan_missing"),
    (["30304567", "SMA Kecamatan", "SMA", "63.11.99"], "kecamatan", "kecamatan_unknown"),
    (["30304567", "SMA Kabupaten", "SMA", "63.11"], "kecamatan", "kecamatan_unknown"),
    (["30304567", "SMA Desa", "SMA", "63.11.06.2001"], "kecamatan", "kecamatan_unknown"),
]


@pytest.mark.parametrize(("row", "column", "code"), ISSUE_CASES)
def test_row_issue_is_reported_with_row_and_column(tmp_path, row, column, code):
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, GOOD_ROWS[1], row])

    result = run(path, "--commit")

    assert [(i["row"], i["column"], i["code"], i["severity"]) for i in result["issues"]] == [
        (3, column, code, "error")
    ]
    assert (result["valid"], result["invalid"]) == (1, 1)
    assert School.objects.count() == 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_kode_with_a_curly_leading_apostrophe_is_accepted(tmp_path, kind):
    # Excel on a phone turns the "treat as text" apostrophe into ’, as on a roster's NIK.
    rows = [HEADER, ["\u201930304567", "SMA Negeri 1 Paringin", "SMA", "63.11.06"]]
    path = (
        write_csv(tmp_path / "sekolah.csv", rows)
        if kind == "csv"
        else write_xlsx(tmp_path / "sekolah.xlsx", rows)
    )

    result = run(path, "--commit")

    assert (result["valid"], result["created"], result["issues"]) == (1, 1, [])
    assert registry() == [("30304567", "", "", "SMA Negeri 1 Paringin", "SMA", "63.11.06")]


def test_numeric_kode_cell_in_xlsx_is_refused(tmp_path):
    path = write_xlsx(
        tmp_path / "sekolah.xlsx", [HEADER, [30304567, "SMA Angka", "SMA", "63.11.06"]]
    )

    result = run(path, "--commit")

    assert [(i["row"], i["column"], i["code"]) for i in result["issues"]] == [
        (2, "kode", "code_not_text")
    ]
    assert School.objects.count() == 0


def test_duplicate_kode_in_file_is_refused_on_the_later_row(tmp_path):
    path = write_csv(
        tmp_path / "sekolah.csv",
        [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], ["3030 4567", "SMA Lagi", "SMA", "63.11.06"]],
    )

    result = run(path)

    assert result["issues"] == [
        {
            "row": 4,
            "column": "kode",
            "code": "duplicate_in_file",
            "severity": "error",
            "message": "This kode already appears in row 2.",
        }
    ]


# Files that cannot be read ---------------------------------------------------------------


def test_missing_column_is_header_not_found(tmp_path):
    path = write_csv(tmp_path / "sekolah.csv", [["kode", "nama", "jenis"], GOOD_ROWS[0][:3]])

    status, output = run_file_error(path)

    assert status == 2
    assert output == {
        "file_error": {
            "code": "header_not_found",
            "message": "No header row with the columns kode, nama, jenis and kecamatan was found "
            "in the first 10 rows.",
        }
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("sekolah.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\x00\x00binary"),
        ("sekolah.xlsx", b"PK\x03\x04 not really a zip"),
        ("sekolah.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ],
)
def test_unreadable_file_is_file_unsupported(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)

    status, output = run_file_error(path)

    assert (status, output["file_error"]["code"]) == (2, "file_unsupported")


def test_macro_workbook_is_file_unsupported(tmp_path):
    path = write_xlsx(tmp_path / "sekolah.xlsx", [HEADER, GOOD_ROWS[0]])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")

    status, output = run_file_error(path)

    assert (status, output["file_error"]["code"]) == (2, "file_unsupported")


def test_file_over_size_limit_is_file_too_large(tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 100
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, *GOOD_ROWS])

    status, output = run_file_error(path)

    assert (status, output["file_error"]["code"]) == (2, "file_too_large")


def test_too_many_rows_is_file_too_large(tmp_path, settings):
    settings.UPLOAD_MAX_ROWS = 2
    path = write_csv(tmp_path / "sekolah.csv", [HEADER, *GOOD_ROWS])

    status, output = run_file_error(path)

    assert (status, output["file_error"]["code"]) == (2, "file_too_large")


def test_file_error_exits_with_status_2_from_the_shell(tmp_path):
    path = tmp_path / "sekolah.xlsx"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\x00\x00binary")
    env = {**os.environ, "DEBUG": "true", "LANGUAGE_CODE": "en"}

    completed = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, str(MANAGE), "import_schools", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 2
    assert json.loads(completed.stdout)["file_error"]["code"] == "file_unsupported"


# Text output -----------------------------------------------------------------------------


def test_text_output_summarises_for_people(tmp_path):
    path = write_csv(
        tmp_path / "sekolah.csv",
        [HEADER, GOOD_ROWS[0], ["30304568", "SMA Jenis", "SMP", "63.11.06"]],
    )
    out = io.StringIO()

    call_command("import_schools", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "sekolah.csv: 2 rows, 1 valid, 1 invalid.",
        "Nothing was written (add --commit to save): created 1, updated 0, unchanged 0.",
        "Row 3, jenis: The jenis “SMP” is not one of SMA, SMK, MA, SLB or PESANTREN. "
        "[kind_invalid]",
    ]


def test_school_list_with_an_entity_bomb_is_refused_before_parsing(tmp_path):
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["kode", "nama", "jenis", "kecamatan"])
    workbook.active.append(["30304599", "SMA Negeri 9 Contoh", "SMA", "63.11.06"])
    plain = tmp_path / "plain.xlsx"
    workbook.save(plain)
    bomb = tmp_path / "sekolah.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>' + data
            target.writestr(name, data)

    status, output = run_file_error(bomb)

    assert status == 2
    assert output["file_error"]["code"] == "file_unsupported"


def test_school_list_in_an_unknown_encoding_is_refused_not_garbled(tmp_path):
    path = tmp_path / "sekolah.csv"
    path.write_bytes(
        b"kode;nama;jenis;kecamatan\n" + b"30304599;SMA \x81\x8d Contoh;SMA;63.11.06\n"
    )

    status, output = run_file_error(path)

    assert status == 2
    assert output["file_error"] == {
        "code": "file_unsupported",
        "message": "The characters of this CSV file cannot be read. In Excel, choose Save As "
        "“CSV UTF-8” and upload that file.",
    }
