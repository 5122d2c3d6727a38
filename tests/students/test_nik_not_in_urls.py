"""LOG-02: a NIK typed into any search box reaches the server by POST, never in a URL."""

import pytest
from django.urls import reverse

from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

LIST = "/siswa/"


def test_filter_form_posts_a_name_and_is_sent_back_to_its_get_address(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        LIST, {"filter": "1", "q": " Rahmat ", "school": str(school_a.pk), "status": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/siswa/?q=Rahmat&school={school_a.pk}"


def test_filter_form_without_filters_goes_back_to_the_plain_list(client, staf):
    client.force_login(staf)

    response = client.post(LIST, {"filter": "1", "q": ""})

    assert response.status_code == 302
    assert response["Location"] == "/siswa/"


def test_filter_form_with_a_pasted_nik_opens_the_student_without_the_nik_in_the_url(
    client, staf, school_a
):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.post(LIST, {"filter": "1", "q": f" {student.nik[:6]}.{student.nik[6:]} "})

    assert response.status_code == 302
    assert response["Location"] == f"/siswa/{student.pk}/"


def test_filter_form_with_an_unknown_nik_answers_with_the_nik_form_error(client, staf, english):
    client.force_login(staf)

    response = client.post(LIST, {"filter": "1", "q": "6311060101100099"})

    assert response.status_code == 200
    assert response.context["nik_form"].errors == {"nik": ["None of your students has this NIK."]}


def test_filter_form_with_another_schools_nik_finds_nothing(
    client, koordinator_b, school_a, english
):
    student = StudentFactory(school=school_a)
    client.force_login(koordinator_b)

    response = client.post(LIST, {"filter": "1", "q": student.nik})

    assert response.status_code == 200
    assert response.context["nik_form"].errors == {"nik": ["None of your students has this NIK."]}


def test_list_page_has_no_get_form(client, staf):
    client.force_login(staf)

    body = client.get(LIST).content.decode()

    assert 'method="get"' not in body
    assert body.count('method="post" action="/siswa/"') == 2


@pytest.mark.parametrize(
    "lookup",
    ["nik", "nik__startswith", "nik__exact", "kk_number", "kk_number__startswith", "nisn"],
)
def test_admin_student_list_refuses_identifier_lookups(client, admin_user, school_a, lookup):
    student = StudentFactory(school=school_a)
    client.force_login(admin_user)

    response = client.get(reverse("admin:students_student_changelist"), {lookup: student.nik[:16]})

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("url", "lookup"),
    [
        ("admin:students_studentevent_changelist", "student__nik"),
        ("admin:students_schoolmoverequest_changelist", "student__nik__startswith"),
        ("admin:students_schoolmoverequest_changelist", "student__kk_number"),
    ],
)
def test_admin_related_lists_refuse_identifier_lookups(client, admin_user, school_a, url, lookup):
    student = StudentFactory(school=school_a)
    client.force_login(admin_user)

    response = client.get(reverse(url), {lookup: student.nik})

    assert response.status_code == 400


def test_admin_student_search_for_a_nik_finds_nothing(client, admin_user, school_a, english):
    student = StudentFactory(school=school_a)
    client.force_login(admin_user)

    response = client.get(reverse("admin:students_student_changelist"), {"q": student.nik})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert [str(m) for m in response.context["messages"]] == [
        "Identity numbers cannot be searched here: the search goes into the address."
    ]


def test_admin_student_search_by_name_still_works(client, admin_user, school_a):
    student = StudentFactory(school=school_a, name="Rahmat Hidayat")
    StudentFactory(school=school_a, name="Siti Rahmah")
    client.force_login(admin_user)

    response = client.get(reverse("admin:students_student_changelist"), {"q": "Hidayat"})

    assert list(response.context["cl"].result_list) == [student]
