"""EXP-02: every roster download is an attachment with a server-made name, never cached."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AuditEvent
from students.roster import exports, reading, services

from .conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"
# 01:30 UTC is 09:30 in WITA, the time the file name is stamped with.
UPLOADED_AT = datetime.datetime(2026, 11, 5, 1, 30, tzinfo=datetime.UTC)


@pytest.fixture
def roster_import_a(tmp_path, time_machine, school_a, koordinator_a):
    """A read upload of school A with one refused row, under a hostile original name."""
    bad = student(2)
    bad[1] = "12345"
    path = write_xlsx(tmp_path / "source.xlsx", [PLAIN_HEADER, student(1), bad])
    time_machine.move_to(UPLOADED_AT, tick=False)
    with open(path, "rb") as handle:
        preview = services.roster_preview(fileobj=handle, filename="x.xlsx", school=school_a)
    return services.roster_import_from_preview(
        preview=preview, school=school_a, filename='../../<img src=x>"; a.xlsx', user=koordinator_a
    )


def _headers(response):
    return {
        name: response.get(name)
        for name in (
            "Content-Type",
            "Content-Disposition",
            "Cache-Control",
            "X-Content-Type-Options",
        )
    }


@pytest.mark.parametrize("persona", ["koordinator_a", "staf"])
def test_refused_rows_download_is_a_private_attachment_with_a_server_made_name(
    client, request, persona, roster_import_a
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("rosters:refused", args=[roster_import_a.pk]))

    assert response.status_code == 200
    assert _headers(response) == {
        "Content-Type": XLSX,
        "Content-Disposition": (
            f'attachment; filename="perbaiki-daftar-siswa-{roster_import_a.pk}-20261105-0930.xlsx"'
        ),
        "Cache-Control": NO_STORE,
        "X-Content-Type-Options": "nosniff",
    }
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["12345"]
    user = request.getfixturevalue(persona)
    assert list(
        AuditEvent.objects.values_list("actor_id", "action", "object_type", "object_id", "details")
    ) == [
        (
            user.pk,
            "exported",
            "students.rosterimport",
            roster_import_a.pk,
            {"document": "refused_rows"},
        )
    ]


@pytest.mark.parametrize("persona", ["koordinator_a", "staf"])
def test_roster_template_download_is_a_private_attachment_with_a_fixed_name(
    client, request, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("rosters:template"))

    assert response.status_code == 200
    assert _headers(response) == {
        "Content-Type": XLSX,
        "Content-Disposition": 'attachment; filename="template-daftar-siswa.xlsx"',
        "Cache-Control": NO_STORE,
        "X-Content-Type-Options": "nosniff",
    }
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == reading.TEMPLATE_DATA_SHEET


def _refused_workbook(tmp_path, school_a, rows):
    with open(write_xlsx(tmp_path / "fix.xlsx", rows), "rb") as handle:
        preview = services.roster_preview(fileobj=handle, filename="fix.xlsx", school=school_a)
    roster_import = services.roster_import_from_preview(
        preview=preview, school=school_a, filename="fix.xlsx"
    )
    content = exports.refused_rows_workbook(roster_import)
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def _fill(cell):
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def test_refused_rows_workbook_asks_for_a_lost_nik_again_without_quoting_it(tmp_path, school_a):
    born = datetime.date(2010, 3, 14)
    lost = student(2, birth_date=born)
    lost[1] = float(lost[1])  # typed into a number cell: Excel kept 15 digits
    sheet = _refused_workbook(tmp_path, school_a, [PLAIN_HEADER, student(1), lost])

    header, row = list(sheet.iter_rows(values_only=True))
    nik = PLAIN_HEADER.index("NIK")
    assert header[-2:] == ("Row in your file", "What to fix")
    assert row[nik] is None  # the rounded number is not handed back to be trusted
    assert row[-1] == (
        "NIK: The spreadsheet stored this NIK as a number and rounded away its last digits. "
        "Format the NIK column as Text, then type the NIK again from the family card (KK)."
    )
    assert "631106" not in row[-1]


def test_refused_rows_workbook_gives_dates_back_as_typed_or_dd_mm_yyyy(tmp_path, school_a):
    from_cell = student(2, name="Ahmad")  # one-word name: a warning only
    from_cell[1] = "12345"
    from_cell[3] = datetime.datetime(2010, 3, 14)  # a real date cell
    typed = student(3)
    typed[0] = ""  # no name: refused
    typed[3] = "14 Maret 2010"
    sheet = _refused_workbook(tmp_path, school_a, [PLAIN_HEADER, student(1), from_cell, typed])

    date = PLAIN_HEADER.index("Tanggal Lahir")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[date], row[-2]) for row in rows] == [("14/03/2010", 3), ("14 Maret 2010", 4)]


def test_refused_rows_workbook_highlights_the_cells_to_fix(tmp_path, school_a):
    bad = student(2, name="Ahmad")
    bad[1] = "12345"
    sheet = _refused_workbook(tmp_path, school_a, [PLAIN_HEADER, student(1), bad])

    cells = {title: cell for title, cell in zip(PLAIN_HEADER, sheet[2], strict=False)}
    assert _fill(cells["NIK"]) == "00F8D7DA"  # the error that refuses the row
    assert _fill(cells["Nama"]) == "00FFF3CD"  # a warning, to look at
    untouched = [title for title in PLAIN_HEADER if title not in ("Nama", "NIK")]
    assert [title for title, cell in cells.items() if _fill(cell) is None] == untouched
