"""PDP-01 / LOG-04: NIKs are masked until "Tampilkan NIK" is pressed; every reveal is recorded."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def _audit_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "ktpku.audit"]


def _reveals():
    return list(
        AuditEvent.objects.filter(action="nik_revealed").values_list(
            "actor_id", "object_type", "object_id"
        )
    )


def test_staff_reveal_by_htmx_returns_the_full_nik_and_kk_and_is_recorded(
    client, staf, school_a, caplog
):
    student = StudentFactory(school=school_a, kk_number="6311060101080001")
    client.force_login(staf)

    with caplog.at_level("INFO", logger="ktpku.audit"):
        response = client.post(
            reverse("students:reveal_nik", args=[student.pk]), HTTP_HX_REQUEST="true"
        )

    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="student-nik">{student.nik}</dd>' in body
    assert 'data-testid="student-kk">6311060101080001</dd>' in body
    assert 'data-testid="reveal-nik"' not in body
    assert "<html" not in body
    assert _reveals() == [(staf.pk, "students.student", student.pk)]
    assert _audit_lines(caplog) == [f"nik_revealed user={staf.pk} student={student.pk}"]


def test_reveal_without_javascript_answers_the_whole_page_revealed(client, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.post(reverse("students:reveal_nik", args=[student.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="student-nik">{student.nik}</dd>' in body
    assert 'data-testid="student-name"' in body


def test_own_school_coordinator_may_reveal(client, koordinator_a, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(koordinator_a)

    page = client.get(reverse("students:detail", args=[student.pk])).content.decode()
    response = client.post(
        reverse("students:reveal_nik", args=[student.pk]), HTTP_HX_REQUEST="true"
    )

    assert student.nik not in page
    assert 'data-testid="reveal-nik"' in page
    assert student.nik in response.content.decode()
    assert _reveals() == [(koordinator_a.pk, "students.student", student.pk)]


def test_other_school_coordinator_gets_404_and_nothing_is_recorded(client, koordinator_b, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(koordinator_b)

    response = client.post(reverse("students:reveal_nik", args=[student.pk]))

    assert response.status_code == 404
    assert student.nik not in response.content.decode()
    assert _reveals() == []


def test_reveal_by_get_is_refused(client, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.get(reverse("students:reveal_nik", args=[student.pk]))

    assert response.status_code == 405
    assert _reveals() == []


def test_opening_the_page_records_an_access_row_but_no_reveal(client, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    client.get(reverse("students:detail", args=[student.pk]))

    assert list(AuditEvent.objects.values_list("actor_id", "action", "object_id")) == [
        (staf.pk, "viewed", student.pk)
    ]


def test_admin_history_pages_mask_nik_and_kk(client, admin_user, school_a):
    student = StudentFactory(school=school_a, kk_number="6311060101080001")
    old_nik = student.nik
    student.nik = old_nik[:-4] + "0999"
    student.kk_number = "6311060101080002"
    student.save()
    version = student.history.order_by("history_date").first()
    client.force_login(admin_user)

    listing = client.get(reverse("admin:students_student_history", args=[student.pk]))
    one = client.get(
        reverse("admin:students_student_simple_history", args=[student.pk, version.pk])
    )

    for response in (listing, one):
        body = response.content.decode()
        assert response.status_code == 200
        assert old_nik not in body
        assert student.nik not in body
        assert "6311060101080001" not in body
        assert "6311060101080002" not in body
    assert old_nik[:6] + "**********" in listing.content.decode()
    assert "631106**********" in one.content.decode()
