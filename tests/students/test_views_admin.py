"""The Django admin for students and their events: history, no status editing."""

import datetime

import pytest
from django.urls import reverse

from students import lifecycle
from students.models import EventKind, StudentEvent
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_admin_student_list_masks_nik(client, admin_user, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(admin_user)

    response = client.get(reverse("admin:students_student_changelist"))

    body = response.content.decode()
    assert student.nik[:6] + "**********" in body
    assert student.nik not in body


def test_admin_student_change_form_has_no_status_field(client, admin_user, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(admin_user)

    response = client.get(reverse("admin:students_student_change", args=[student.pk]))

    fields = response.context["adminform"].form.fields
    assert response.status_code == 200
    assert "status" not in fields
    assert "status_since" not in fields


def test_admin_student_history_page_opens(client, admin_user, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(admin_user)

    response = client.get(reverse("admin:students_student_history", args=[student.pk]))

    assert response.status_code == 200


def test_admin_events_are_read_only(client, admin_user, school_a):
    student = StudentFactory(school=school_a)
    event = lifecycle.apply(
        student, EventKind.SCHEDULED, on=datetime.date(2026, 6, 1), by=admin_user
    )
    client.force_login(admin_user)

    listing = client.get(reverse("admin:students_studentevent_changelist"))
    add = client.get(reverse("admin:students_studentevent_add"))
    delete = client.post(
        reverse("admin:students_studentevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert (add.status_code, delete.status_code) == (403, 403)
    assert StudentEvent.objects.count() == 1


def _roster_import(school, student):
    from students.models import RosterImport

    return RosterImport.objects.create(
        school=school,
        original_name="daftar.xlsx",
        status=RosterImport.Status.COMMITTED,
        rows=[{"row": 2, "nik": student.nik, "name": student.name}],
        row_count=1,
        valid_count=1,
        created_count=1,
    )


def test_admin_roster_upload_is_read_only_and_hides_the_kept_rows(client, admin_user, school_a):
    student = StudentFactory(school=school_a)
    roster_import = _roster_import(school_a, student)
    client.force_login(admin_user)

    listing = client.get(reverse("admin:students_rosterimport_changelist"))
    page = client.get(reverse("admin:students_rosterimport_change", args=[roster_import.pk]))
    post = client.post(
        reverse("admin:students_rosterimport_change", args=[roster_import.pk]),
        {"original_name": "lain.xlsx"},
    )

    assert listing.status_code == 200
    assert "daftar.xlsx" in listing.content.decode()
    assert page.status_code == 200
    assert student.nik not in page.content.decode()
    assert post.status_code == 403
    roster_import.refresh_from_db()
    assert roster_import.original_name == "daftar.xlsx"


def test_admin_school_move_list_opens_and_refuses_changes(client, admin_user, school_a, school_b):
    from students.models import SchoolMoveRequest

    student = StudentFactory(school=school_a, name="Rahmat Hidayat")
    move = SchoolMoveRequest.objects.create(
        student=student, from_school=school_a, to_school=school_b
    )
    client.force_login(admin_user)

    listing = client.get(reverse("admin:students_schoolmoverequest_changelist"))
    delete = client.post(
        reverse("admin:students_schoolmoverequest_delete", args=[move.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert "Rahmat Hidayat" in listing.content.decode()
    assert delete.status_code == 403
    assert SchoolMoveRequest.objects.filter(pk=move.pk).exists()


def test_admin_student_page_keeps_nik_read_only_and_logs_the_view(
    client, admin_user, school_a, caplog
):
    student = StudentFactory(school=school_a)
    client.force_login(admin_user)

    with caplog.at_level("INFO", logger="ktpku.audit"):
        response = client.get(reverse("admin:students_student_change", args=[student.pk]))

    assert "nik" not in response.context["adminform"].form.fields
    assert [r.getMessage() for r in caplog.records if r.name == "ktpku.audit"] == [
        f"full_nik_shown user={admin_user.pk} student={student.pk} via=admin"
    ]
