"""Madrasah and pesantren lists exported from EMIS: recognised by their headers, sex codes read."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from students.models import RosterImport
from students.roster import services

from .conftest import PLAIN_HEADER, codes, make_nik, preview, student, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

EMIS_HEADER = [
    "NSM",
    "NPSN",
    "Status Siswa",
    "Nama Siswa",
    "NISM",
    "NISN",
    "NIK",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Agama",
    "Hobi",
    "Cita-Cita",
    "Jumlah Saudara",
]
BOY_BORN = datetime.date(2009, 8, 5)
GIRL_BORN = datetime.date(2010, 1, 2)
BOY_NIK = make_nik(BOY_BORN, "L", 31)
GIRL_NIK = make_nik(GIRL_BORN, "P", 32)
NISM = "121163110001240031"


def emis_rows(*, boy_sex=1, girl_sex=2):
    """The EMIS student template as an operator downloads it: one header row, then data,
    the sex and the other coded columns as numbers, dates as dd-mm-yyyy text."""
    return [
        EMIS_HEADER,
        ["131163110001", "69912345", 1, "Ahmad Fauzi", NISM, "0091234561", BOY_NIK, "Paringin"]
        + ["05-08-2009", boy_sex, 1, 3, 2, 2],
        ["131163110001", "69912345", 1, "Siti Aminah", "121163110001240032", "0101234562"]
        + [GIRL_NIK, "Awayan", "02-01-2010", girl_sex, 1, 1, 5, 3],
    ]


def test_emis_export_is_recognised_and_its_sex_codes_read(tmp_path, school_a):
    result = preview(write_xlsx(tmp_path / "emis.xlsx", emis_rows()), school_a)

    assert result.layout == "emis"
    assert result.issues == []
    assert [
        (r.values["name"], r.values["sex"], r.values["birth_date"], r.values["nik"])
        for r in result.results
    ] == [
        ("Ahmad Fauzi", "L", BOY_BORN, BOY_NIK),
        ("Siti Aminah", "P", GIRL_BORN, GIRL_NIK),
    ]


def test_emis_nism_and_coded_columns_are_not_read(tmp_path, school_a):
    result = preview(write_xlsx(tmp_path / "emis.xlsx", emis_rows()), school_a)

    assert result.ignored_columns == [
        "NSM",
        "NPSN",
        "Status Siswa",
        "NISM",
        "Agama",
        "Hobi",
        "Cita-Cita",
        "Jumlah Saudara",
    ]
    assert NISM not in json.dumps(result.rows)


def test_emis_csv_with_text_codes_is_read_the_same(tmp_path, school_a):
    result = preview(write_csv(tmp_path / "emis.csv", emis_rows(), delimiter=";"), school_a)

    assert (result.layout, result.counts["valid"], result.issues) == ("emis", 2, [])


def test_emis_sex_code_out_of_range_is_refused_with_the_emis_advice(tmp_path, school_a):
    result = preview(write_xlsx(tmp_path / "emis.xlsx", emis_rows(girl_sex=3)), school_a)

    assert [(i["row"], i["column"], i["code"], i["message"]) for i in result.issues] == [
        (
            3,
            "Jenis Kelamin",
            "sex_invalid",
            "Write 1 for a boy or 2 for a girl, as EMIS does (L or P are fine too); "
            "“3” is not understood.",
        )
    ]


def test_a_bare_sex_code_outside_an_emis_file_is_still_refused(tmp_path, school_a):
    rows = [PLAIN_HEADER, student(1)]
    rows[1][2] = "1"

    result = preview(write_csv(tmp_path / "roster.csv", rows), school_a)

    assert (result.layout, codes(result)) == ("generic", {(2, "sex_invalid")})


def test_import_roster_json_names_the_emis_layout(tmp_path, school_a):
    out = io.StringIO()
    path = write_xlsx(tmp_path / "emis.xlsx", emis_rows())

    call_command("import_roster", str(path), "--school", "30304567", "--format", "json", stdout=out)

    data = json.loads(out.getvalue())
    assert (data["layout"], data["rows"], data["valid"], data["issues"]) == ("emis", 2, 2, [])


def test_emis_upload_commits_with_its_sex_codes(tmp_path, school_a):
    path = write_xlsx(tmp_path / "emis.xlsx", emis_rows())
    ready = services.roster_import_from_preview(
        preview=preview(path, school_a), school=school_a, filename="emis.xlsx"
    )

    done = services.roster_import_commit(roster_import_id=ready.pk, user=None)

    assert (done.created_count, done.invalid_count) == (2, 0)
    assert sorted(school_a.students.values_list("name", "sex")) == [
        ("Ahmad Fauzi", "L"),
        ("Siti Aminah", "P"),
    ]


def test_preview_page_names_the_layout_in_indonesian(client, settings, tmp_path, school_a, staf):
    settings.LANGUAGE_CODE = "id"
    path = write_xlsx(tmp_path / "emis.xlsx", emis_rows())
    ready = services.roster_import_from_preview(
        preview=preview(path, school_a), school=school_a, filename="emis.xlsx"
    )
    client.force_login(staf)

    body = client.get(reverse("rosters:detail", args=[ready.pk])).content.decode()

    assert ready.layout == RosterImport.Layout.EMIS
    assert '<span data-testid="layout" data-layout="emis">Unduhan EMIS</span>' in body
