"""SIAK results by upload: preview with row-numbered problems, confirm, idempotent."""

import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.urls import reverse

from students import lifecycle
from students.models import EventKind, Status, StudentEvent
from tests.factories import StudentFactory

pytestmark = pytest.mark.usefixtures("english")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
DAY = datetime.date(2027, 1, 6)


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 8, 9, 0, tzinfo=WITA), tick=False)


def recorded(name, staf):
    student = StudentFactory(name=name, birth_date=datetime.date(2010, 5, 17))
    lifecycle.apply(student, EventKind.RECORDED, on=DAY, by=staf)
    return student


def workbook(rows):
    book = openpyxl.Workbook()
    book.active.append(["NIK", "Status"])
    for nik, status in rows:
        book.active.append([nik, status])
        book.active.cell(row=book.active.max_row, column=1).number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "hasil-siak.xlsx"
    return buffer


def test_siak_upload_previews_applies_valid_rows_once(client, staf, school_a):
    ani = recorded("Ani Rahmawati", staf)
    budi = recorded("Budi Santoso", staf)
    waiting = StudentFactory(name="Citra Dewi", birth_date=datetime.date(2010, 5, 17))
    client.force_login(staf)
    upload = workbook(
        [
            (ani.nik, "Siap cetak"),
            (budi.nik, "duplikat"),
            (waiting.nik, "print ready"),
            ("6311060000000000", "adjudikasi"),
            (ani.nik[:10], "ganda"),
            (budi.nik, "hilang"),
        ]
    )

    preview = client.post(reverse("campaigns:siak_upload"), {"file": upload})
    issues = [(issue["row"], issue["message"]) for issue in preview.context["preview"].issues]
    payload = preview.context["payload"]
    client.post(reverse("campaigns:siak_confirm"), {"payload": payload})
    again = client.post(reverse("campaigns:siak_confirm"), {"payload": payload}, follow=True)

    assert issues == [
        (4, "Citra Dewi is “On roster”: a SIAK result follows a recording only."),
        (5, "No student has the NIK 631106**********."),
        (6, f"The NIK must be 16 digits, typed as text; “{ani.nik[:10]}” is not."),
        (7, "This NIK is in the file twice."),
        (
            7,
            "“hilang” is not a SIAK result: write print ready, duplicate, enrolment failure "
            "or adjudication.",
        ),
    ]
    assert preview.context["preview"].valid == [[ani.nik, "print_ready"], [budi.nik, "duplicate"]]
    assert "SIAK results saved: 0 students moved on." in again.content.decode()
    ani.refresh_from_db()
    budi.refresh_from_db()
    waiting.refresh_from_db()
    assert (ani.status, budi.status, waiting.status) == (
        Status.PRINT_READY,
        Status.SIAK_PROBLEM,
        Status.ON_ROSTER,
    )
    assert list(StudentEvent.objects.filter(student=budi).values_list("kind", "reason")) == [
        (EventKind.RECORDED, ""),
        (EventKind.SIAK_PROBLEM, "duplicate"),
    ]
    assert ani.nik not in str(issues) and budi.nik not in str(issues)


def test_siak_upload_of_a_file_without_the_columns_says_so(client, staf):
    client.force_login(staf)
    upload = io.BytesIO(b"nama,kelas\nAni,X\n")
    upload.name = "salah.csv"

    response = client.post(reverse("campaigns:siak_upload"), {"file": upload})

    assert response.status_code == 400
    assert response.context["error"] == (
        "No header row with the columns NIK and Status was found in the first 10 rows."
    )


def test_a_duplicate_goes_back_to_the_catch_up_an_adjudication_does_not(staf, campaign):
    from campaigns.selectors import planning_problem
    from campaigns.services.siak import siak_results_apply

    school = campaign.schools.first()
    duplicate = recorded("Ani Rahmawati", staf)
    adjudication = recorded("Budi Santoso", staf)
    for student in (duplicate, adjudication):
        student.school = school
        student.save()

    siak_results_apply(
        rows=[[duplicate.nik, "duplicate"], [adjudication.nik, "adjudication"]], by=staf
    )
    problem = planning_problem(campaign, today=datetime.date(2027, 1, 8))

    waiting = [s.key for need in problem.schools for s in need.students]
    assert waiting == [duplicate.pk]
