"""manage.py import_roster: the contract of DESIGN.md, exactly."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from students.models import RosterImport, Student

from .conftest import PLAIN_HEADER, student, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("import_roster", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def roster(tmp_path):
    bad = student(3)
    bad[1] = 6311061403100003.0
    return write_xlsx(tmp_path / "roster.xlsx", [PLAIN_HEADER, student(1), student(2), bad])


def test_dry_run_prints_the_contract_and_writes_nothing(tmp_path, school_a):
    data = run(str(roster(tmp_path)), "--school", "30304567")

    assert data == {
        "file": "roster.xlsx",
        "school": "30304567",
        "layout": "generic",
        "rows": 3,
        "valid": 2,
        "invalid": 1,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "committed": False,
        "preview": {"new": 2, "changed": 0, "unchanged": 0, "moves": 0},
        "ignored_columns": [],
        "issues": [
            {
                "row": 4,
                "column": "NIK",
                "code": "nik_precision_lost",
                "severity": "error",
                "message": "The spreadsheet stored this NIK as a number and rounded away its "
                "last digits. Format the NIK column as Text, then type the NIK again from the "
                "family card (KK).",
            }
        ],
    }
    assert Student.objects.count() == 0
    assert RosterImport.objects.count() == 0


def test_commit_writes_the_valid_rows_then_a_second_run_changes_nothing(tmp_path, school_a):
    path = str(roster(tmp_path))

    first = run(path, "--school", "30304567", "--commit")
    second = run(path, "--school", "30304567", "--commit")

    assert {
        k: first[k]
        for k in ("rows", "valid", "invalid", "created", "updated", "unchanged", "committed")
    } == {
        "rows": 3,
        "valid": 2,
        "invalid": 1,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "committed": True,
    }
    assert {k: second[k] for k in ("created", "updated", "unchanged")} == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }
    assert Student.objects.filter(school=school_a).count() == 2
    assert RosterImport.objects.filter(uploaded_by=None).count() == 2


def test_committed_upload_keeps_only_the_refused_row_and_the_history(tmp_path, school_a):
    run(str(roster(tmp_path)), "--school", "30304567", "--commit")

    upload = RosterImport.objects.get()
    assert (upload.status, upload.row_count, upload.created_count) == (
        RosterImport.Status.COMMITTED,
        3,
        2,
    )
    assert [record["row"] for record in upload.rows] == [4]
    assert [(issue["row"], issue["code"]) for issue in upload.issues] == [(4, "nik_precision_lost")]
    saved = Student.objects.get(nik=student(1)[1])
    assert [
        (h.history_type, h.history_change_reason, h.history_user, h.name, h.class_name)
        for h in saved.history.all()
    ] == [("+", "roster upload", None, "Siswa Nomor 1 Paringin", "X IPA 1")]


def test_school_matched_by_nsm(tmp_path, school_a):
    school_a.nsm = "131163110001"
    school_a.save()
    data = run(str(roster(tmp_path)), "--school", "131163110001", "--commit")
    assert (data["school"], data["created"]) == ("131163110001", 2)


def test_dapodik_layout(tmp_path, school_a, dapodik_students):
    from .conftest import dapodik_rows

    data = run(
        str(write_xlsx(tmp_path / "pd.xlsx", dapodik_rows(dapodik_students))),
        "--school",
        "30304567",
    )
    assert (data["layout"], data["rows"], data["valid"], data["issues"]) == ("dapodik", 3, 3, [])


@pytest.mark.parametrize("commit", [[], ["--commit"]])
def test_unreadable_file_exits_2_with_the_file_error(tmp_path, school_a, commit):
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"%PDF-1.7 not a workbook")
    out = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command(
            "import_roster",
            str(path),
            "--school",
            "30304567",
            *commit,
            "--format",
            "json",
            stdout=out,
        )

    assert exited.value.code == 2
    data = json.loads(out.getvalue())
    assert list(data) == ["file_error"]
    assert data["file_error"]["code"] == "file_unsupported"
    assert data["file_error"]["message"].startswith("This is a PDF.")
    assert RosterImport.objects.count() == 0


def test_header_not_found_exits_2(tmp_path, school_a):
    path = write_csv(tmp_path / "x.csv", [["Nomor", "Alamat"], ["1", "Jl. A. Yani"]])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "import_roster", str(path), "--school", "30304567", "--format", "json", stdout=out
        )
    assert exited.value.code == 2
    assert json.loads(out.getvalue())["file_error"]["code"] == "header_not_found"


def test_text_output_lists_the_problems(tmp_path, school_a):
    out = io.StringIO()
    call_command("import_roster", str(roster(tmp_path)), "--school", "30304567", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "roster.xlsx (generic) for 30304567: 3 rows, 2 valid, 1 refused; new 2, "
        "changed 0, unchanged 0, possible moves 0"
    )
    assert lines[1].startswith("  row 4 [NIK] error nik_precision_lost: ")
    assert lines[-1] == "Nothing saved (use --commit to save the valid rows)."


def test_birth_dates_in_text_through_the_command(tmp_path, school_a):
    rows = [PLAIN_HEADER]
    for n, text in enumerate(
        ["5 Agustus 2009", "05 Agt 2009", "2009-08-05", "05-08-2009", "05/08/2009"], start=1
    ):
        row = student(n, birth_date=datetime.date(2009, 8, 5))
        row[3] = text
        rows.append(row)
    data = run(
        str(write_csv(tmp_path / "d.csv", rows, delimiter=";")), "--school", "30304567", "--commit"
    )
    assert (data["valid"], data["created"], data["issues"]) == (5, 5, [])
    assert set(Student.objects.values_list("birth_date", flat=True)) == {datetime.date(2009, 8, 5)}
