"""EXP-02: every roster download is an attachment with a server-made name, never cached."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from students.roster import reading, services

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
