"""The student list as a workbook ("Unduh Excel"): the list's filters, masked NIKs unless
the full-NIK box is ticked by someone who may reveal them, text never a formula, one
audit row per student."""

import datetime
import json

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from students import lifecycle
from students.models import EventKind
from tests.factories import StudentFactory, UserFactory
from tests.helpers import open_workbook, sheet_values

pytestmark = pytest.mark.django_db

URL = reverse("students:export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "Nama",
    "NIK",
    "NISN",
    "Jenis kelamin",
    "Tempat lahir",
    "Tanggal lahir",
    "Sekolah",
    "NPSN / NSM / NSPP",
    "Kecamatan",
    "Kelas",
    "Status",
    "Status sejak",
]
BORN = datetime.date(2010, 5, 17)


@pytest.fixture
def students(school_a, school_b, staf):
    """Two students on school A's roster (one named like a formula), one recorded at A,
    one at school B."""
    formula = StudentFactory(
        school=school_a, name="=SUM(A1)", nisn="0012345678", class_name="+XII IPA 2"
    )
    plain = StudentFactory(school=school_a, name="Ahmad Fauzi", class_name="X IPA 1")
    recorded = StudentFactory(school=school_a, name="Citra Dewi")
    lifecycle.apply(recorded, EventKind.RECORDED, on=datetime.date(2026, 8, 5), by=staf)
    other = StudentFactory(school=school_b, name="Bunga Lestari")
    return {"formula": formula, "plain": plain, "recorded": recorded, "other": other}


def _export(client, query="", **data):
    return client.post(f"{URL}?{query}" if query else URL, data)


def _rows(response):
    return sheet_values(open_workbook(response.content)["Siswa"])


def test_staff_export_follows_the_lists_status_and_school_filter(client, staf, students, school_a):
    client.force_login(staf)

    response = _export(client, f"status=on_roster&school={school_a.pk}")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="siswa-')
    formula, plain = students["formula"], students["plain"]
    assert _rows(response) == [
        HEADER,
        [
            "=SUM(A1)",
            formula.nik[:6] + "**********",
            "0012345678",
            "Laki-laki",
            "Paringin",
            datetime.datetime(2010, 5, 17),
            "SMA Negeri 1 Paringin",
            "30304567",
            "Paringin",
            "+XII IPA 2",
            "Terdaftar",
            None,
        ],
        [
            "Ahmad Fauzi",
            plain.nik[:6] + "**********",
            None,  # an empty cell
            "Laki-laki",
            "Paringin",
            datetime.datetime(2010, 5, 17),
            "SMA Negeri 1 Paringin",
            "30304567",
            "Paringin",
            "X IPA 1",
            "Terdaftar",
            None,
        ],
    ]


def test_formula_like_text_and_identifiers_stay_text(client, staf, students):
    client.force_login(staf)

    sheet = open_workbook(_export(client, "q=SUM").content)["Siswa"]

    name, nik, nisn = sheet["A2"], sheet["B2"], sheet["C2"]
    assert (name.value, name.data_type) == ("=SUM(A1)", "s")
    assert (sheet["J2"].value, sheet["J2"].data_type) == ("+XII IPA 2", "s")
    assert (nisn.value, nisn.data_type, nisn.number_format) == ("0012345678", "s", "@")
    assert (nik.data_type, nik.number_format) == ("s", "@")
    assert sheet["F2"].is_date


def test_every_export_writes_one_audit_row_per_student_and_a_log_line(
    client, staf, students, caplog
):
    client.force_login(staf)

    _export(client, "status=recorded")

    (event,) = AuditEvent.objects.all()
    assert (event.actor, event.action, event.object_id) == (
        staf,
        Action.EXPORTED,
        students["recorded"].pk,
    )
    assert event.details == {"export": "students", "full_nik": False}
    (line,) = [r for r in caplog.records if r.getMessage() == "export"]
    assert (line.fields["event"], line.fields["students"], line.fields["full_nik"]) == (
        "export",
        1,
        False,
    )
    assert json.dumps(line.fields["filters"]) == '{"status": "recorded"}'


def test_staff_who_tick_the_box_get_full_niks_audited_as_such(client, staf, students):
    client.force_login(staf)

    response = _export(client, "status=recorded", nik_lengkap="1")

    assert _rows(response)[1][1] == students["recorded"].nik
    assert AuditEvent.objects.get().details == {"export": "students", "full_nik": True}


def test_coordinator_exports_own_school_only_and_masked_even_when_posting_the_box(
    client, koordinator_a, students
):
    client.force_login(koordinator_a)

    rows = _rows(_export(client, nik_lengkap="1"))

    assert [row[0] for row in rows[1:]] == ["=SUM(A1)", "Ahmad Fauzi", "Citra Dewi"]
    assert [row[1] for row in rows[1:]] == [
        students["formula"].masked_nik,
        students["plain"].masked_nik,
        students["recorded"].masked_nik,
    ]
    assert students["other"].name not in str(rows)


def test_coordinator_asking_for_another_schools_rows_gets_the_list_back(
    client, koordinator_a, students, school_b
):
    client.force_login(koordinator_a)

    response = _export(client, f"school={school_b.pk}")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('students:list')}?school={school_b.pk}"
    assert AuditEvent.objects.count() == 0


def test_team_member_cannot_have_full_niks_even_when_posting_the_box(
    client, petugas, students, school_a
):
    from tests.campaigns.factories import TeamFactory, VisitFactory

    team = TeamFactory(members=[petugas])
    VisitFactory(team=team, campaign=team.campaign, school=school_a, status="accepted")
    client.force_login(petugas)
    page = client.get(reverse("students:list"))
    assert 'data-testid="student-export-submit"' in page.content.decode()
    assert 'name="nik_lengkap"' not in page.content.decode()

    rows = _rows(_export(client, "q=Ahmad", nik_lengkap="1"))

    assert rows[1][1] == students["plain"].nik[:6] + "**********"
    assert AuditEvent.objects.get().details["full_nik"] is False


def test_the_list_offers_the_full_nik_box_to_staff_only(
    client, staf, koordinator_a, students, school_a
):
    client.force_login(staf)
    body = client.get(reverse("students:list"), {"status": "on_roster"}).content.decode()
    assert f'action="{URL}?status=on_roster"' in body
    assert 'name="nik_lengkap"' in body
    client.force_login(koordinator_a)
    assert 'name="nik_lengkap"' not in client.get(reverse("students:list")).content.decode()


def test_head_of_office_may_not_export_students(client, pimpinan, students):
    client.force_login(pimpinan)

    assert _export(client).status_code == 403
    assert AuditEvent.objects.count() == 0


def test_export_is_a_post(client, staf):
    client.force_login(staf)
    assert client.get(URL).status_code == 405


def test_a_nik_in_the_search_is_refused(client, staf, students):
    client.force_login(staf)

    response = _export(client, f"q={students['plain'].nik}")

    assert response.status_code == 302
    assert AuditEvent.objects.count() == 0


# 1 session, 2 user, 3 the second-factor device, 4-5 permissions (user's, groups'), 6 the
# count, 7 the rows (with school and kecamatan), 8 the audit rows (one INSERT), whatever
# the number of students.
@pytest.mark.parametrize("count", [1, 3])
def test_student_export_query_count(client, staf, school_a, count, django_assert_num_queries):
    StudentFactory.create_batch(count, school=school_a)
    client.force_login(staf)

    with django_assert_num_queries(8):
        response = _export(client)

    assert len(_rows(response)) == count + 1


# A coordinator: 1 session, 2 user, 3-4 permissions, 5 the count, 6 the rows, 7 the audit.
@pytest.mark.parametrize("count", [1, 3])
def test_coordinator_export_query_count(
    client, koordinator_a, school_a, count, django_assert_num_queries
):
    StudentFactory.create_batch(count, school=school_a)
    client.force_login(koordinator_a)

    with django_assert_num_queries(7):
        response = _export(client, nik_lengkap="1")

    assert len(_rows(response)) == count + 1


def test_inactive_coordinator_of_nothing_is_refused_the_box(client, students):
    nobody = UserFactory(username="koord_none", role="koordinator")
    client.force_login(nobody)

    response = _export(client, nik_lengkap="1")

    assert _rows(response) == [HEADER]
