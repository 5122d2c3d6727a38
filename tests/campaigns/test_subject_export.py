"""PDP access requests: everything held about one NIK as a PDF; staff only, posted, recorded."""

import datetime

import pytest

from audit.models import AuditEvent
from students import lifecycle
from students.models import EventKind
from tests.factories import StudentFactory

from .pdftext import pdf_to_text

pytestmark = pytest.mark.django_db

URL = "/data-subjek/"


def test_staff_get_the_subjects_pdf_and_the_export_is_recorded(client, staf, visit):
    student = visit.students.get(name="Ahmad Fauzi")
    lifecycle.apply(student, EventKind.SCHEDULED, on=datetime.date(2026, 12, 1), by=staf)
    client.force_login(staf)

    response = client.post(URL, {"nik": student.nik})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="data-pribadi-{student.pk}-'
    )
    text = pdf_to_text(response.content)
    assert "Ahmad Fauzi" in text
    assert f"NIK : {student.nik}" in text
    assert "Dijadwalkan" in text or "Scheduled" in text
    assert visit.school.name in text
    assert list(AuditEvent.objects.values_list("actor_id", "action", "object_id")) == [
        (staf.pk, "subject_export", student.pk)
    ]


def test_unknown_nik_is_a_form_error_and_nothing_is_recorded(client, staf, english):
    client.force_login(staf)

    response = client.post(URL, {"nik": "6311060101100099"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"nik": ["No student has this NIK."]}
    assert AuditEvent.objects.count() == 0


def test_coordinators_may_not_export(client, koordinator_a, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(koordinator_a)

    response = client.post(URL, {"nik": student.nik})

    assert response.status_code == 403
    assert AuditEvent.objects.count() == 0


# A fixed number of queries whether the record has one event or three: session, user,
# own and group permissions (2), the student with school and kecamatan, the events with
# who recorded them, the visits with campaign, school and team, the moves with both
# schools, the audit rows with their users, the audit INSERT.
@pytest.mark.parametrize("count", [1, 3])
def test_subject_export_query_count(client, staf, school_a, count, django_assert_num_queries):
    student = StudentFactory(school=school_a)
    kinds = [EventKind.SCHEDULED, EventKind.ABSENT, EventKind.SCHEDULED][:count]
    for number, kind in enumerate(kinds):
        lifecycle.apply(student, kind, on=datetime.date(2026, 8, 1 + number), by=staf)
    client.force_login(staf)

    with django_assert_num_queries(11):
        response = client.post(URL, {"nik": student.nik})

    assert pdf_to_text(response.content).count("2026") >= count
