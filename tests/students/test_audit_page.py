"""PDP-04 / LOG-04: the admin's audit page, and an audit trail nobody can rewrite."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from audit.models import AuditEvent
from students.models import Student
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

AUDIT = "/siswa/jejak-audit/"
WITA = datetime.timezone(datetime.timedelta(hours=8))


def _at(day, hour=10):
    return datetime.datetime(2026, 11, day, hour, tzinfo=WITA)


def test_which_children_did_a_user_view_or_export(client, admin_user, staf, school_a, time_machine):
    seen, revealed, outside = (StudentFactory(school=school_a) for _ in range(3))
    client.force_login(staf)
    time_machine.move_to(_at(2))
    client.get(reverse("students:detail", args=[outside.pk]))
    time_machine.move_to(_at(10))
    client.get(reverse("students:detail", args=[seen.pk]))
    time_machine.move_to(_at(12, 23))
    client.post(reverse("students:reveal_nik", args=[revealed.pk]))
    client.force_login(admin_user)

    response = client.post(
        AUDIT, {"question": "user", "user": staf.pk, "start": "2026-11-10", "end": "2026-11-12"}
    )

    rows = [(event.action, event.student) for event in response.context["touched"]]
    assert rows == [("nik_revealed", revealed), ("viewed", seen)]
    body = response.content.decode()
    assert seen.nik not in body and revealed.nik not in body


def test_everything_done_to_one_child(client, admin_user, staf, school_a, english):
    student = StudentFactory(school=school_a, name="Rahmat Hidayat")
    student.class_name = "XI IPA 2"
    student.save()
    client.force_login(staf)
    client.post(reverse("students:reveal_nik", args=[student.pk]))
    client.force_login(admin_user)

    response = client.post(AUDIT, {"question": "child", "nik": student.nik})

    trail = [(entry.what, entry.detail) for entry in response.context["trail"]]
    assert trail == [
        ("Created", ""),
        ("Changed", "class"),
        ("Full NIK revealed", ""),
    ]
    assert student.nik not in response.content.decode()


def test_audit_page_unknown_nik_is_a_form_error(client, admin_user, english):
    client.force_login(admin_user)

    response = client.post(AUDIT, {"question": "child", "nik": "6311060101100099"})

    assert response.context["child_form"].errors == {"nik": ["No student has this NIK."]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")
def test_audit_rows_cannot_be_changed_or_deleted(client, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)
    client.post(reverse("students:reveal_nik", args=[student.pk]))
    event = AuditEvent.objects.get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="viewed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.get().action == "nik_revealed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")
def test_history_rows_cannot_be_changed_or_deleted(school_a):
    student = StudentFactory(school=school_a, name="Rahmat Hidayat")
    history = Student.history.model

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        history.objects.filter(id=student.pk).update(name="Someone Else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        history.objects.filter(id=student.pk).delete()

    assert list(history.objects.values_list("name", flat=True)) == ["Rahmat Hidayat"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")
def test_history_rows_may_be_blanked_by_the_purge_only(school_a):
    student = StudentFactory(school=school_a, name="Rahmat Hidayat")
    history = Student.history.model

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL ktpku.purge = 'on'")
        history.objects.filter(id=student.pk).update(name="")

    assert list(history.objects.values_list("name", flat=True)) == [""]


# A fixed number of queries for one child touched or three: 1. session, 2. user,
# 3.-4. own and group permissions, 5. the chosen user (form validation), 6. the user's
# audit rows in the period, 7. their students with school, 8. the users of the form's
# select when the page shows it again.
@pytest.mark.parametrize("count", [1, 3])
def test_user_question_query_count_is_fixed(
    client, admin_user, staf, school_a, django_assert_num_queries, count
):
    for student in StudentFactory.create_batch(count, school=school_a):
        AuditEvent.objects.create(
            actor=staf, action="viewed", object_type="students.student", object_id=student.pk
        )
    client.force_login(admin_user)
    today = datetime.date.today().isoformat()

    with django_assert_num_queries(9):
        response = client.post(
            AUDIT, {"question": "user", "user": staf.pk, "start": "2026-01-01", "end": today}
        )

    assert len(response.context["touched"]) == count


def test_admin_shows_audit_rows_but_refuses_changes(client, admin_user, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)
    client.post(reverse("students:reveal_nik", args=[student.pk]))
    event = AuditEvent.objects.get()
    client.force_login(admin_user)

    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})

    assert listing.status_code == 200
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
