"""What the pages around the lists say to each persona, in the office's language."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from students import lifecycle
from students.models import EventKind, SiakResult
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

NO_VISIT = "Belum ada kunjungan untuk tim Anda."
CLEAR = "Hapus saringan"


def test_coordinator_school_list_has_no_kecamatan_or_kind_filter(client, koordinator_a, staf):
    client.force_login(koordinator_a)
    coordinator = client.get(reverse("schools:list")).content.decode()
    client.force_login(staf)
    office = client.get(reverse("schools:list")).content.decode()

    assert ('name="kecamatan"' in coordinator, 'name="kind"' in coordinator) == (False, False)
    assert ('name="kecamatan"' in office, 'name="kind"' in office) == (True, True)
    assert 'name="q"' in coordinator


def test_coordinator_student_list_has_no_kecamatan_filter(client, koordinator_a, staf):
    client.force_login(koordinator_a)
    coordinator = client.get(reverse("students:list")).content.decode()
    client.force_login(staf)
    office = client.get(reverse("students:list")).content.decode()

    assert 'name="kecamatan"' not in coordinator
    assert 'name="kecamatan"' in office
    assert 'name="status"' in coordinator


@pytest.mark.parametrize("url_name", ["home", "schools:list", "students:list"])
def test_team_member_with_nothing_assigned_reads_no_visit_for_the_team(
    client, petugas, school_a, url_name
):
    StudentFactory(school=school_a)
    client.force_login(petugas)

    body = client.get(reverse(url_name)).content.decode()

    assert NO_VISIT in body
    assert CLEAR not in body


def test_empty_list_offers_to_clear_only_a_filter_that_is_set(client, staf):
    client.force_login(staf)

    unfiltered = client.get(reverse("schools:list")).content.decode()
    filtered = client.get(reverse("schools:list"), {"q": "Tidak Ada"}).content.decode()

    assert "Belum ada sekolah." in unfiltered
    assert CLEAR not in unfiltered
    assert "Tidak ada sekolah yang cocok." in filtered
    assert filtered.count(CLEAR) == 2  # the button under the form and the link in the table


@pytest.mark.parametrize(
    ("reason", "label"),
    [(SiakResult.DUPLICATE, "Data ganda"), (SiakResult.ENROLMENT_FAILURE, "Gagal rekam")],
)
def test_siak_problem_reason_reads_in_indonesian_only(
    client, staf, school_a, time_machine, reason, label
):
    time_machine.move_to(
        datetime.datetime(2026, 8, 5, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar"))
    )
    student = StudentFactory(school=school_a, birth_date=datetime.date(2009, 5, 17))
    lifecycle.apply(student, EventKind.RECORDED, on=datetime.date(2026, 8, 1), by=staf)
    lifecycle.apply(
        student, EventKind.SIAK_PROBLEM, on=datetime.date(2026, 8, 4), by=staf, reason=reason
    )
    client.force_login(staf)

    body = client.get(reverse("students:detail", args=[student.pk])).content.decode()

    assert f'<span data-testid="event-reason">{label}</span>' in body


def test_admin_names_third_party_sections_in_indonesian_and_shows_the_favicon(client, admin_user):
    client.force_login(admin_user)

    body = client.get(reverse("admin:index")).content.decode()

    for section in ["Percobaan masuk", "Tugas terjadwal", "Hasil tugas latar belakang"]:
        assert f">{section}</a>" in body
    for english in ["Celery Results", "Periodic Tasks", ">Axes<", "Task results", "Intervals"]:
        assert english not in body
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in body


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("/kartu/cetak/", "nav-cards"),
        ("/kartu/serah-terima/", "nav-cards"),
        ("/kampanye/", "nav-campaigns"),
        ("/tim/", "nav-teams"),
        ("/dasbor/", "nav-dashboard"),
        ("/siswa/", "nav-students"),
    ],
)
def test_the_navigation_marks_one_entry_as_the_current_page(client, staf, url, entry):
    client.force_login(staf)
    page = client.get(url).content.decode()

    marked = re.findall(r'active" aria-current="page" href="[^"]*" data-testid="([^"]+)"', page)
    assert marked == [entry]
