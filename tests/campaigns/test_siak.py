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


# Ticking recorded students on a list


def tick(client, students, result, day="2027-01-08", query=""):
    return client.post(
        reverse("campaigns:siak_select") + query,
        {"siswa": [s.pk for s in students], "hasil": result, "tanggal": day},
        follow=True,
    )


def test_recorded_list_shows_recorded_students_masked(client, staf, school_a, school_b):
    ani = recorded("Ani Rahmawati", staf)
    budi = recorded("Budi Santoso", staf)
    budi.school = school_b
    budi.save()
    StudentFactory(name="Citra Dewi", school=school_a)  # on the roster: not waiting for SIAK
    client.force_login(staf)

    page = client.get(reverse("campaigns:siak_select")).content.decode()
    one_school = client.get(reverse("campaigns:siak_select"), {"sekolah": school_b.pk})

    assert page.count('data-testid="recorded-row"') == 2
    assert "Ani Rahmawati" in page and ani.masked_nik in page and ani.nik not in page
    assert "Citra Dewi" not in page
    assert [s.name for s in one_school.context["students"]] == ["Budi Santoso"]


def test_ticked_students_take_a_duplicate_and_go_back_to_the_catch_up(staf, client, campaign):
    from campaigns.selectors import planning_problem

    school = campaign.schools.first()
    ani, budi, citra = (recorded(name, staf) for name in ("Ani", "Budi", "Citra"))
    for student in (ani, budi):
        student.school = school
        student.save()
    client.force_login(staf)

    response = tick(client, [ani, budi], "duplicate", day="2027-01-07")

    assert response.status_code == 200
    assert "SIAK result saved for 2 students." in response.content.decode()
    assert dict(
        StudentEvent.objects.filter(kind=EventKind.SIAK_PROBLEM).values_list(
            "student__name", "reason"
        )
    ) == {"Ani": "duplicate", "Budi": "duplicate"}
    events = StudentEvent.objects.filter(kind=EventKind.SIAK_PROBLEM)
    assert {(e.date, e.recorded_by) for e in events} == {(datetime.date(2027, 1, 7), staf)}
    assert dict(
        type(ani).objects.filter(pk__in=[ani.pk, budi.pk, citra.pk]).values_list("name", "status")
    ) == {"Ani": Status.SIAK_PROBLEM, "Budi": Status.SIAK_PROBLEM, "Citra": Status.RECORDED}
    problem = planning_problem(campaign, today=datetime.date(2027, 1, 8))
    assert sorted(s.key for need in problem.schools for s in need.students) == sorted(
        [ani.pk, budi.pk]
    )
    assert [s.name for s in response.context["students"]] == ["Citra"]


def test_the_same_form_sent_twice_changes_nothing_the_second_time(staf, client):
    ani, budi = recorded("Ani Rahmawati", staf), recorded("Budi Santoso", staf)
    client.force_login(staf)

    first = tick(client, [ani, budi], "print_ready")
    again = tick(client, [ani, budi], "print_ready")

    assert "SIAK result saved for 2 students." in first.content.decode()
    assert again.status_code == 200
    assert (
        "2 ticked students had this result already: nothing changed for them."
        in again.content.decode()
    )
    assert StudentEvent.objects.filter(kind=EventKind.PRINT_READY).count() == 2


def test_a_ticked_student_who_cannot_take_it_refuses_all_changes_nothing(staf, client):
    ani = recorded("Ani Rahmawati", staf)
    budi = recorded("Budi Santoso", staf)
    lifecycle.apply(budi, EventKind.PRINT_READY, on=DAY, by=staf)  # meanwhile, by someone
    citra = StudentFactory(name="Citra Dewi", birth_date=datetime.date(2010, 5, 17))
    lifecycle.apply(citra, EventKind.RECORDED, on=datetime.date(2027, 1, 8), by=staf)
    client.force_login(staf)

    response = tick(client, [ani, budi, citra], "adjudication", day="2027-01-07")

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Nothing was saved: these ticked students cannot take this result now: "
        "Budi Santoso (Print ready), Citra Dewi (recorded on 8 January 2027, after the date "
        "given)."
    ]
    assert not StudentEvent.objects.filter(kind=EventKind.SIAK_PROBLEM).exists()
    ani.refresh_from_db()
    assert ani.status == Status.RECORDED
    assert response.context["ticked"] == {ani.pk, budi.pk, citra.pk}


def test_ticking_nobody_or_a_future_date_is_refused(staf, client):
    ani = recorded("Ani Rahmawati", staf)
    client.force_login(staf)

    nobody = tick(client, [], "print_ready")
    future = tick(client, [ani], "print_ready", day="2027-01-09")

    assert nobody.status_code == future.status_code == 400
    assert nobody.context["form"].non_field_errors() == ["Tick at least one student."]
    assert future.context["form"].errors["tanggal"] == ["The date 9 January 2027 is in the future."]
    assert not StudentEvent.objects.filter(kind=EventKind.PRINT_READY).exists()


def test_the_visit_page_leads_to_the_students_recorded_there(
    client, staf, campaign, team, school_a
):
    from campaigns.models import Outcome, VisitOutcome
    from tests.campaigns.factories import VisitFactory

    here = recorded("Ani Rahmawati", staf)
    elsewhere = recorded("Budi Santoso", staf)
    visit = VisitFactory(campaign=campaign, team=team, school=school_a, date=DAY, students=[here])
    VisitOutcome.objects.create(visit=visit, student=here, outcome=Outcome.RECORDED)
    client.force_login(staf)

    detail = client.get(reverse("campaigns:visit", args=[visit.pk])).content.decode()
    listed = client.get(reverse("campaigns:siak_select"), {"kunjungan": visit.pk})

    assert f"{reverse('campaigns:siak_select')}?kunjungan={visit.pk}" in detail
    assert [s.name for s in listed.context["students"]] == ["Ani Rahmawati"]
    assert "Recorded at the visit to SMA Negeri 1 Paringin" in listed.content.decode()
    done = tick(client, [here], "print_ready", query=f"?kunjungan={visit.pk}")
    assert done.context["students"] == []
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.RECORDED


@pytest.mark.parametrize("count", [1, 3])
def test_recorded_list_fixed_queries(client, staf, count, django_assert_num_queries):
    for n in range(count):
        recorded(f"Siswa {n}", staf)
    client.force_login(staf)
    # session / user / the second-factor device / the user's own permissions / their groups'
    # permissions / the recorded students with their school / the schools of the filter
    with django_assert_num_queries(7):
        response = client.get(reverse("campaigns:siak_select"))
    assert response.content.decode().count('data-testid="recorded-row"') == count
