"""The PDFs (read back with pdftotext), the schedule workbook and the team calendar feed."""

import io

import openpyxl
import pytest
from django.urls import reverse
from icalendar import Calendar

from campaigns.models import Visit
from students.nik import mask
from tests.factories import SchoolFactory

from .conftest import WED, make_visits
from .factories import VisitFactory
from .pdftext import pdf_to_text

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return pdf_to_text(response.content)


def test_campaign_schedule_pdf_lists_every_visit_by_date(client, staf, campaign, team, visit):
    make_visits(campaign, team, 2)
    VisitFactory(campaign=campaign, team=team, date=WED.replace(day=7), status="cancelled")
    client.force_login(staf)
    text = pdf_text(client.get(reverse("campaigns:schedule_pdf", args=[campaign.pk])))
    assert "Jadwal Kunjungan" in text
    assert "Rabu, 6 Januari 2027 Tim Paringin SMA Negeri 1 Paringin" in text
    assert "Rabu, 13 Januari 2027 Tim Paringin SMA Negeri 3 Contoh" in text
    assert "Rabu, 20 Januari 2027 Tim Paringin SMA Negeri 4 Contoh" in text
    assert "3 kunjungan" in text
    assert "Halaman 1 dari 1" in text
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text


def test_team_schedule_pdf_names_the_team_and_its_members(client, petugas, team, visit):
    petugas.first_name, petugas.last_name = "Hendra", "Perekam"
    petugas.save()
    client.force_login(petugas)
    text = pdf_text(client.get(reverse("campaigns:team_pdf", args=[team.pk])))
    assert "Jadwal Kunjungan Tim Paringin" in text
    assert "Anggota: Hendra Perekam" in text
    assert "Rabu, 6 Januari 2027 SMA Negeri 1 Paringin" in text


def test_visit_pack_has_the_letter_and_the_checklist_with_masked_niks(client, staf, visit):
    client.force_login(staf)
    text = pdf_text(client.get(reverse("campaigns:visit_pack", args=[visit.pk])))
    students = list(visit.students.order_by("name"))
    assert "Pemberitahuan perekaman KTP-el di sekolah" in text
    assert "Hari, tanggal : Rabu, 6 Januari 2027" in text
    assert "Tim : Tim Paringin" in text
    assert "fotokopi Kartu Keluarga" in text
    assert "Daftar Periksa Siswa" in text
    assert f"1 Ahmad Fauzi X IPA 1 {mask(students[0].nik)} 17 Mei 2010" in text
    assert f"2 Bunga Lestari X IPA 1 {mask(students[1].nik)} 2 Agustus 2010" in text
    assert students[0].nik not in text
    assert "Tanda tangan" in text
    assert "Halaman 2 dari 2" in text


@pytest.mark.parametrize("count", [1, 3])
def test_schedule_pdf_query_count(client, staf, campaign, team, count, django_assert_num_queries):
    make_visits(campaign, team, count)
    client.force_login(staf)
    # session, user, the second-factor device, own and group permissions (2), the campaign, the
    # visits with school, kecamatan and team
    with django_assert_num_queries(7):
        response = client.get(reverse("campaigns:schedule_pdf", args=[campaign.pk]))
    assert f"{count} kunjungan" in pdf_text(response)


@pytest.mark.parametrize("count", [1, 3])
def test_visit_pack_query_count(client, staf, campaign, team, count, django_assert_num_queries):
    visit = make_visits(campaign, team, count)[0]
    client.force_login(staf)
    # session, user, the second-factor device, own and group permissions (2), the visit with school,
    # kecamatan, team and campaign, its students, the team's members, the "printed" audit rows (one
    # INSERT ... SELECT)
    with django_assert_num_queries(9):
        response = client.get(reverse("campaigns:visit_pack", args=[visit.pk]))
    assert "SMA Negeri 3 Contoh" in pdf_text(response)


@pytest.mark.parametrize("count", [1, 3])
def test_schedule_workbook_query_count(
    client, staf, campaign, team, count, django_assert_num_queries
):
    make_visits(campaign, team, count)
    client.force_login(staf)
    # session, user, the second-factor device, own and group permissions (2), the campaign, the
    # visits with school, kecamatan and team
    with django_assert_num_queries(7):
        response = client.get(reverse("campaigns:schedule_xlsx", args=[campaign.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == count + 1


def test_schedule_workbook_keeps_identifiers_and_formula_like_text_as_text(
    client, staf, campaign, team
):
    school = SchoolFactory(name='=HYPERLINK("http://x")', npsn="00304567")
    campaign.schools.add(school)
    VisitFactory(campaign=campaign, team=team, school=school, date=WED)
    client.force_login(staf)
    response = client.get(reverse("campaigns:schedule_xlsx", args=[campaign.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="jadwal-kunjungan-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = [cell for cell in sheet[2]]
    assert header[:5] == ["Tanggal", "Hari", "Tim", "Sekolah", "NPSN / NSM / NSPP"]
    assert row[0].value.date() == WED
    assert (row[1].value, row[2].value) == ("Rabu", "Tim Paringin")
    assert (row[3].value, row[3].data_type) == ('=HYPERLINK("http://x")', "s")
    assert (row[4].value, row[4].data_type, row[4].number_format) == ("00304567", "s", "@")
    assert row[7].value == 0


def test_team_feed_is_a_calendar_of_the_accepted_visits(client, team, visit, campaign):
    VisitFactory(
        campaign=campaign, team=team, date=WED.replace(day=7), status=Visit.Status.PROPOSED
    )
    response = client.get(reverse("campaigns:team_feed", args=[team.ical_token]))
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert calendar["VERSION"] == "2.0"
    assert [str(e["SUMMARY"]) for e in events] == ["Perekaman KTP-el: SMA Negeri 1 Paringin"]
    assert events[0].decoded("DTSTART") == WED
    assert str(events[0]["UID"]) == f"visit-{visit.pk}@testserver"


def test_team_feed_with_a_wrong_or_revoked_token_answers_404(client, staf, team):
    old = team.ical_token
    client.force_login(staf)
    client.post(reverse("campaigns:team_new_feed", args=[team.pk]))
    team.refresh_from_db()
    client.logout()
    assert client.get(reverse("campaigns:team_feed", args=["salah"])).status_code == 404
    assert client.get(reverse("campaigns:team_feed", args=[old])).status_code == 404
    assert client.get(reverse("campaigns:team_feed", args=[team.ical_token])).status_code == 200
