"""The student list at scale: its count from the tally, its school filter written in one pass."""

import pytest
from django.urls import reverse

from students.models import Status, Student
from tests.factories import SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db


def count_on_page(response):
    return response.context["page_obj"].paginator.count


def test_unfiltered_count_is_every_student_the_user_may_see(
    client, staf, koordinator_a, school_a, school_b
):
    StudentFactory.create_batch(3, school=school_a)
    StudentFactory.create_batch(2, school=school_b)
    Student.objects.filter(school=school_b).update(status=Status.CLOSED)  # counted too

    client.force_login(staf)
    assert count_on_page(client.get(reverse("students:list"))) == 5
    assert count_on_page(client.get(reverse("students:list"), {"page": "2"})) == 5
    client.force_login(koordinator_a)
    assert count_on_page(client.get(reverse("students:list"))) == 3


def test_filtered_count_is_the_students_that_match(client, staf, school_a, school_b):
    StudentFactory.create_batch(3, school=school_a)
    StudentFactory.create_batch(2, school=school_b)
    client.force_login(staf)

    by_school = client.get(reverse("students:list"), {"school": school_b.pk})
    by_status = client.get(reverse("students:list"), {"status": Status.CLOSED})

    assert count_on_page(by_school) == 2
    assert count_on_page(by_status) == 0


def test_school_filter_lists_the_users_schools_escaped_and_chosen(client, staf, school_a):
    odd = SchoolFactory(name='SMA "Tunas" <Harapan> & Karya')
    client.force_login(staf)

    body = client.get(reverse("students:list"), {"school": odd.pk}).content.decode()

    assert (
        f'<option value="{odd.pk}" selected>SMA &quot;Tunas&quot; &lt;Harapan&gt; &amp; Karya'
        "</option>"
    ) in body
    assert f'<option value="{school_a.pk}">SMA Negeri 1 Paringin</option>' in body
    assert '<option value="">' in body  # "all schools"


def test_school_filter_of_a_coordinator_offers_only_their_schools(
    client, koordinator_a, school_a, school_b
):
    client.force_login(koordinator_a)

    body = client.get(reverse("students:list")).content.decode()

    assert f'<option value="{school_a.pk}">' in body
    assert f'<option value="{school_b.pk}">' not in body
