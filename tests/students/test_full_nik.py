"""PDP-01: a full NIK is shown only to those allowed to see it, and every showing is logged."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from students.access import can_edit_students
from tests.factories import StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _audit_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "ktpku.audit"]


@pytest.fixture
def editor_without_full_nik(db):
    """Someone given the right to change students but not to see a full NIK."""
    user = UserFactory(username="editor")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["schools", "students"],
            codename__in=["view_all_schools", "view_school", "view_student", "change_student"],
        )
    )
    return user


def test_edit_page_full_nik_is_audit_logged(client, staf, school_a, caplog):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    with caplog.at_level("INFO", logger="ktpku.audit"):
        response = client.get(reverse("students:edit", args=[student.pk]))

    assert response.status_code == 200
    assert f'value="{student.nik}"' in response.content.decode()
    assert _audit_lines(caplog) == [f"full_nik_shown user={staf.pk} student={student.pk}"]


def test_edit_page_refused_form_is_audit_logged_again(client, staf, school_a, caplog):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    with caplog.at_level("INFO", logger="ktpku.audit"):
        response = client.post(reverse("students:edit", args=[student.pk]), {})

    assert response.status_code == 200
    assert _audit_lines(caplog) == [f"full_nik_shown user={staf.pk} student={student.pk}"]


def test_edit_without_the_full_nik_permission_is_refused(client, editor_without_full_nik, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(editor_without_full_nik)

    edit = client.get(reverse("students:edit", args=[student.pk]))
    detail = client.get(reverse("students:detail", args=[student.pk]))

    assert edit.status_code == 403
    assert student.nik not in edit.content.decode()
    assert detail.status_code == 200
    assert student.nik not in detail.content.decode()
    assert reverse("students:edit", args=[student.pk]) not in detail.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staf", True),
        ("admin_user", True),
        ("koordinator_a", False),
        ("petugas", False),
        ("pimpinan", False),
        ("editor_without_full_nik", False),
    ],
)
def test_can_edit_students_by_persona(request, persona, expected):
    assert can_edit_students(request.getfixturevalue(persona)) is expected
