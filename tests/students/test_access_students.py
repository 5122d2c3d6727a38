"""Who may open and change which student: the personas against every student URL."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from students.models import Student, StudentEvent
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["staf", "koordinator_a", "koordinator_b", "petugas", "pimpinan"]

# (name, method, expected status for each persona in PERSONAS order). The role matrix has
# every page's status; these are the writes with a valid form, which change nothing when refused.
STUDENT_URLS = [
    ("students:edit", "post", [302, 403, 404, 404, 404]),
    ("students:record_event", "post", [302, 403, 404, 404, 404]),
]


@pytest.fixture
def student_a(school_a):
    return StudentFactory(
        school=school_a,
        name="Ahmad Paringin",
        sex="L",
        birth_date=datetime.date(2009, 5, 17),
        nisn="0091234567",
    )


def post_data(student):
    return {
        "name": "Nama Diganti",
        "nik": student.nik,
        "kk_number": "",
        "nisn": "",
        "sex": "L",
        "birth_place": "",
        "birth_date": "2009-05-17",
        "marital_status": "belum_kawin",
        "school": student.school_id,
        "class_name": "",
        "guardian_name": "",
        "guardian_phone": "",
        "consent_by": "",
        "consent_on": "",
        "consent_method": "",
        "kind": "scheduled",
        "date": "2026-01-05",
    }


def snapshot():
    return (
        [model_to_dict(s) | {"status": s.status} for s in Student.objects.order_by("pk")],
        StudentEvent.objects.count(),
    )


@pytest.mark.parametrize(("url_name", "method", "expected"), STUDENT_URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_student_url_answers_by_persona(
    request,
    client,
    school_a,
    school_b,
    koordinator_a,
    koordinator_b,
    student_a,
    url_name,
    method,
    expected,
    persona,
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse(url_name, args=[student_a.pk])
    status = expected[PERSONAS.index(persona)]
    before = snapshot()

    response = getattr(client, method)(url, post_data(student_a) if method == "post" else None)

    assert response.status_code == status
    if method == "post" and status != 302:  # refused: nothing may have changed
        assert snapshot() == before
    if status == 404:
        assert "Ahmad Paringin" not in response.content.decode()


@pytest.mark.parametrize("persona", ["koordinator_b", "petugas", "pimpinan"])
def test_student_unknown_id_is_404_like_a_foreign_one(request, client, persona, school_b):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("students:detail", args=[999_999]))

    assert response.status_code == 404


def test_list_coordinator_sees_only_own_school(client, koordinator_b, school_a, school_b):
    StudentFactory(school=school_a, name="Ahmad Paringin")
    StudentFactory(school=school_b, name="Budi Halong")
    client.force_login(koordinator_b)

    response = client.get(reverse("students:list"))

    assert [s.name for s in response.context["page_obj"]] == ["Budi Halong"]
    assert response.context["page_obj"].paginator.count == 1


def test_list_coordinator_cannot_filter_to_other_school(client, koordinator_b, school_a, school_b):
    StudentFactory(school=school_a, name="Ahmad Paringin")
    StudentFactory(school=school_b, name="Budi Halong")
    client.force_login(koordinator_b)

    response = client.get(reverse("students:list"), {"school": school_a.pk, "q": "Ahmad"})

    body = response.content.decode()
    assert list(response.context["page_obj"]) == []
    assert "Ahmad Paringin" not in body
    assert "SMA Negeri 1 Paringin" not in body
    assert [e.code for e in response.context["filter"].form.errors.as_data()["school"]] == [
        "invalid_choice"
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "Ahmad"},
        {"q": "Ahmad", "page": "2"},
        {"q": "Ahmad", "status": "on_roster"},
        {"q": "Ahmad", "turns_17": "2027-05"},
    ],
)
def test_list_coordinator_finds_no_student_of_another_school_by_any_parameter(
    client, koordinator_b, school_a, school_b, query
):
    StudentFactory(school=school_a, name="Ahmad Paringin")
    StudentFactory(school=school_b, name="Budi Halong")
    client.force_login(koordinator_b)

    response = client.get(reverse("students:list"), query)

    body = response.content.decode()
    assert response.context["filter"].form.errors == {}
    assert list(response.context["page_obj"]) == []
    assert response.context["page_obj"].paginator.count == 0
    assert "Ahmad Paringin" not in body
    assert "SMA Negeri 1 Paringin" not in body


def test_list_petugas_without_schools_sees_no_student(client, petugas, school_a):
    StudentFactory(school=school_a)
    client.force_login(petugas)

    response = client.get(reverse("students:list"))

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


def test_create_coordinator_post_is_refused_and_writes_nothing(
    client, koordinator_a, school_a, student_a
):
    client.force_login(koordinator_a)
    data = post_data(student_a) | {"nik": "6311061705090002"}

    response = client.post(reverse("students:create"), data)

    assert response.status_code == 403
    assert Student.objects.count() == 1


def test_edit_staff_cannot_move_student_to_unknown_school(client, staf, student_a):
    client.force_login(staf)

    response = client.post(
        reverse("students:edit", args=[student_a.pk]), post_data(student_a) | {"school": 999_999}
    )

    assert [e.code for e in response.context["form"].errors.as_data()["school"]] == [
        "invalid_choice"
    ]
    student_a.refresh_from_db()
    assert student_a.name == "Ahmad Paringin"


@pytest.mark.parametrize("url_name", ["students:record_event", "students:edit"])
def test_post_without_csrf_token_is_refused(staf, student_a, url_name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staf)
    before = snapshot()

    response = client.post(reverse(url_name, args=[student_a.pk]), post_data(student_a))

    assert response.status_code == 403
    assert snapshot() == before


def test_nik_search_without_csrf_token_is_refused(staf, student_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staf)

    response = client.post(reverse("students:list"), {"nik": student_a.nik})

    assert response.status_code == 403
