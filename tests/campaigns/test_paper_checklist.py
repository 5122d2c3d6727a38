"""The paper checklist: the workbook out, filled in, back through the intake with a
preview (row numbers, Indonesian-ready messages), confirmed, idempotent."""

import datetime
import io
import zipfile
import zoneinfo

import openpyxl
import pytest
from django.urls import reverse

from campaigns.models import VisitOutcome
from students.models import EventKind, StudentEvent

pytestmark = pytest.mark.usefixtures("english")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.fixture(autouse=True)
def visit_day(time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 6, 15, 0, tzinfo=WITA), tick=False)


def download(client, visit):
    response = client.get(reverse("campaigns:checklist_xlsx", args=[visit.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def upload(client, visit, book):
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "daftar-periksa.xlsx"
    return client.post(reverse("campaigns:checklist_upload", args=[visit.pk]), {"file": buffer})


def test_the_workbook_round_trip_with_a_bad_row(client, visit, petugas):
    client.force_login(petugas)
    book = download(client, visit)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    ahmad, bunga = (visit.students.get(name=n) for n in ("Ahmad Fauzi", "Bunga Lestari"))
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    sheet["F2"] = "Recorded"  # Ahmad: the English label is understood too
    sheet["F3"] = "Recording failed"  # Bunga: without its reason, a bad row
    sheet.append(["99999", "Orang Lain", "", "", "", "Absent", ""])

    preview = upload(client, visit, book)
    issues = [(i["row"], i["column"], i["message"]) for i in preview.context["issues"]]
    confirm = reverse("campaigns:checklist_upload_confirm", args=[visit.pk])
    payload = {"payload": preview.context["payload"]}
    client.post(confirm, payload)
    client.post(confirm, payload)

    assert header == ["Kode", "Nama", "Kelas", "NISN", "NIK", "Hasil", "Alasan gagal"]
    assert sheet["A2"].value == str(ahmad.pk) and sheet["A2"].number_format == "@"
    assert validations["F2:F3"].startswith('"Sudah direkam,Tidak hadir,Perekaman gagal')
    assert issues == [
        (3, "Alasan gagal", "A failed recording needs its reason from the list."),
        (4, "Kode", "The code “99999” is not a student of this visit."),
    ]
    assert preview.context["changes"] == [[ahmad.pk, "recorded", "", 0]]
    assert list(VisitOutcome.objects.values_list("student__name", "outcome", "version")) == [
        ("Ahmad Fauzi", "recorded", 1)
    ]
    assert list(StudentEvent.objects.values_list("student", "kind", "visit_id")) == [
        (ahmad.pk, EventKind.RECORDED, visit.pk)
    ]
    assert not StudentEvent.objects.filter(student=bunga).exists()


def test_a_file_that_is_not_the_checklist_is_refused(client, visit, petugas):
    client.force_login(petugas)
    book = openpyxl.Workbook()
    book.active.append(["Nama", "Kelas"])

    response = upload(client, visit, book)

    assert response.status_code == 400
    assert response.context["error"] == (
        "No header row with the columns Kode and Hasil was found in the first 10 rows: use "
        "the checklist workbook downloaded from KTPku."
    )


def test_formula_like_names_stay_text_in_the_workbook(client, visit, petugas):
    """EXP-01: a name that reads as a formula is a string cell, never an <f> element."""
    names = ['=HYPERLINK("http://x","a")', "@SUM(1)"]
    for pupil, name in zip(visit.students.order_by("name"), names, strict=True):
        pupil.name = name
        pupil.save(update_fields=["name"])
    client.force_login(petugas)

    response = client.get(reverse("campaigns:checklist_xlsx", args=[visit.pk]))

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {sheet.cell(row, 2).value: sheet.cell(row, 2).data_type for row in (2, 3)}
    assert cells == {names[0]: "s", names[1]: "s"}
