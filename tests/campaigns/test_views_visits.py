"""The schedule pages and the changes staff make to one visit; the coordinator's answer."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Visit
from tests.factories import UserFactory

from .conftest import WED, make_visits
from .factories import CalendarDayFactory, TeamFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_moving_a_visit_to_a_free_day_moves_it(client, staf, visit):
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:visit_move", args=[visit.pk]),
        {"date": "2027-01-07", "team": visit.team_id},
    )
    visit.refresh_from_db()
    assert response.status_code == 302
    assert (visit.date, visit.updated_by) == (datetime.date(2027, 1, 7), staf)


def test_moving_a_visit_onto_a_closed_day_is_refused_with_the_reason(client, staf, visit):
    CalendarDayFactory(
        campaign=visit.campaign, date=datetime.date(2027, 1, 7), name="Rapat kerja kantor"
    )
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:visit_move", args=[visit.pk]),
        {"date": "2027-01-07", "team": visit.team_id},
    )
    visit.refresh_from_db()
    assert response.status_code == 400
    assert response.context["move_form"].non_field_errors() == [
        "Kamis 7 Januari 2027 tutup: Rapat kerja kantor."
    ]
    assert visit.date == WED


def test_moving_onto_another_visit_of_the_team_is_refused(client, staf, visit, campaign, team):
    VisitFactory(campaign=campaign, team=team, date=datetime.date(2027, 1, 7))
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:visit_move", args=[visit.pk]),
        {"date": "2027-01-07", "team": team.pk},
    )
    assert response.status_code == 400
    assert response.context["move_form"].non_field_errors() == [
        "Tim Paringin sudah punya kunjungan pada Kamis 7 Januari 2027."
    ]
    assert "Tim Paringin sudah punya kunjungan pada Kamis 7 Januari 2027." in (
        response.content.decode()
    )


def test_moving_to_a_friday_half_day_goes_ahead_with_a_warning(client, staf, visit):
    visit.campaign.fridays_half_day = True
    visit.campaign.save()
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:visit_move", args=[visit.pk]),
        {"date": "2027-01-08", "team": visit.team_id},
        follow=True,
    )
    visit.refresh_from_db()
    assert visit.date == datetime.date(2027, 1, 8)
    assert [str(m) for m in response.context["messages"]] == [
        "Kunjungan dipindahkan; koordinator sekolah diberi tahu lewat email.",
        "Jumat 8 Januari 2027 adalah setengah hari: Tim Paringin merekam paling banyak 30 siswa.",
    ]


def test_splitting_a_visit_moves_half_of_its_students_to_the_new_day(client, staf, visit):
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:visit_split", args=[visit.pk]),
        {"date": "2027-01-07", "team": visit.team_id},
    )
    assert response.status_code == 302
    new = Visit.objects.exclude(pk=visit.pk).get()
    visit.refresh_from_db()
    assert (visit.expected, new.expected, new.date) == (1, 1, datetime.date(2027, 1, 7))


def test_cancelling_needs_a_reason(client, staf, visit):
    client.force_login(staf)
    url = reverse("campaigns:visit_cancel", args=[visit.pk])
    refused = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "Sekolah sedang renovasi"})
    visit.refresh_from_db()
    assert refused.status_code == 400
    assert refused.context["cancel_form"].errors["reason"] == ["Bidang ini tidak boleh kosong."]
    assert done.status_code == 302
    assert (visit.status, visit.cancel_reason) == ("cancelled", "Sekolah sedang renovasi")


def test_adding_a_visit_on_a_sunday_is_refused(client, staf, campaign, team, school_b):
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:visit_add", args=[campaign.pk]),
        {"school": school_b.pk, "team": team.pk, "date": "2027-01-10"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Minggu 10 Januari 2027 adalah hari Minggu."
    ]
    assert Visit.objects.count() == 0


def test_adding_a_visit_for_a_school_without_one(client, staf, campaign, team, school_b):
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:visit_add", args=[campaign.pk]),
        {"school": school_b.pk, "team": team.pk, "date": "2027-01-12"},
    )
    visit = Visit.objects.get()
    assert response["Location"] == reverse("campaigns:visit", args=[visit.pk])
    assert (visit.school, visit.status, visit.source) == (school_b, "accepted", "manual")


def test_coordinator_confirms_the_date(client, koordinator_a, visit):
    client.force_login(koordinator_a)
    response = client.post(
        reverse("campaigns:visit_answer", args=[visit.pk]), {"answer": "confirmed"}
    )
    visit.refresh_from_db()
    assert response.status_code == 302
    assert (visit.coordinator_answer, visit.answered_by) == ("confirmed", koordinator_a)


def test_coordinator_asking_for_another_day_must_say_why(client, koordinator_a, visit):
    client.force_login(koordinator_a)
    url = reverse("campaigns:visit_answer", args=[visit.pk])
    refused = client.post(url, {"answer": "change_asked", "note": " "})
    asked = client.post(url, {"answer": "change_asked", "note": "Ujian praktik; 13 Januari bisa"})
    visit.refresh_from_db()
    assert refused.status_code == 400
    assert refused.context["answer_form"].errors["note"] == [
        "Sebutkan mengapa sekolah meminta hari lain."
    ]
    assert asked.status_code == 302
    assert (visit.coordinator_answer, visit.coordinator_note) == (
        "change_asked",
        "Ujian praktik; 13 Januari bisa",
    )


def test_staff_see_the_coordinators_answer(client, staf, koordinator_a, visit):
    visit.coordinator_answer = Visit.Answer.CHANGE_ASKED
    visit.coordinator_note = "Ujian praktik"
    visit.save()
    client.force_login(staf)
    page = client.get(reverse("campaigns:visit", args=[visit.pk])).content.decode()
    listing = client.get(
        reverse("campaigns:schedule", args=[visit.campaign_id]) + "?tampilan=daftar"
    ).content.decode()
    assert "Minta hari lain" in page
    assert "Ujian praktik" in page
    assert "minta hari lain" in listing


def test_other_schools_coordinator_gets_404_on_the_visit_and_its_answer(
    client, koordinator_b, visit
):
    client.force_login(koordinator_b)
    page = client.get(reverse("campaigns:visit", args=[visit.pk]))
    answer = client.post(
        reverse("campaigns:visit_answer", args=[visit.pk]), {"answer": "confirmed"}
    )
    visit.refresh_from_db()
    assert (page.status_code, answer.status_code) == (404, 404)
    assert visit.coordinator_answer == ""


def test_coordinator_does_not_see_a_proposed_visit(client, koordinator_a, visit):
    visit.status = Visit.Status.PROPOSED
    visit.save()
    client.force_login(koordinator_a)
    assert client.get(reverse("campaigns:visit", args=[visit.pk])).status_code == 404
    assert list(client.get(reverse("campaigns:visits")).context["visits"]) == []


def test_petugas_sees_their_teams_visit_and_its_students(client, petugas, visit, campaign):
    other = VisitFactory(
        campaign=campaign, team=TeamFactory(campaign=campaign), date=datetime.date(2027, 1, 7)
    )
    client.force_login(petugas)
    listing = client.get(reverse("campaigns:visits"))
    page = client.get(reverse("campaigns:visit", args=[visit.pk]))
    assert list(listing.context["visits"]) == [visit]
    assert [s.name for s in page.context["students"]] == ["Ahmad Fauzi", "Bunga Lestari"]
    assert client.get(reverse("campaigns:visit", args=[other.pk])).status_code == 404


def test_school_page_shows_its_visits(client, koordinator_a, visit, school_a):
    client.force_login(koordinator_a)
    response = client.get(reverse("schools:detail", args=[school_a.pk]))
    body = response.content.decode()
    assert 'data-testid="school-visit"' in body
    assert "Rabu, 6 Januari 2027" in body


def test_staff_get_a_whatsapp_link_to_the_school(client, staf, visit):
    visit.school.phone = "0812-3456-7890"
    visit.school.save()
    client.force_login(staf)
    response = client.get(reverse("campaigns:visit", args=[visit.pk]))
    assert response.context["whatsapp"].startswith("https://wa.me/6281234567890?text=")


def test_team_members_are_chosen_among_petugas_accounts(client, staf, campaign, petugas):
    outsider = UserFactory(role="koordinator")
    client.force_login(staf)
    url = reverse("campaigns:team_create", args=[campaign.pk])
    refused = client.post(
        url,
        {
            "name": "Tim 2",
            "members": [outsider.pk],
            "kits": 1,
            "per_kit_per_day": 60,
            "weekdays": ["1", "2"],
        },
    )
    done = client.post(
        url,
        {
            "name": "Tim 2",
            "members": [petugas.pk],
            "kits": 2,
            "per_kit_per_day": 50,
            "weekdays": ["1", "2", "6"],
        },
    )
    team = campaign.teams.get()
    assert refused.status_code == 200
    assert "members" in refused.context["form"].errors
    assert done["Location"] == reverse("campaigns:team", args=[team.pk])
    assert (list(team.members.all()), team.kits, team.capacity, team.weekdays) == (
        [petugas],
        2,
        100,
        "126",
    )


def test_team_name_used_twice_in_a_campaign_is_refused(client, staf, team, campaign):
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:team_create", args=[campaign.pk]),
        {"name": "tim paringin", "kits": 1, "per_kit_per_day": 60, "weekdays": ["1"]},
    )
    assert response.context["form"].errors["name"] == [
        "Kampanye ini sudah punya tim dengan nama ini."
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_schedule_month_query_count(client, staf, campaign, team, count, django_assert_num_queries):
    make_visits(campaign, team, count)
    client.force_login(staf)
    # session, user, the second-factor device, own and group permissions (2), the campaign, the
    # figures, the month's visits with school, kecamatan and team, the month's calendar rows
    with django_assert_num_queries(9):
        response = client.get(reverse("campaigns:schedule", args=[campaign.pk]) + "?bulan=2027-01")
    assert sum(len(day.visits) for week in response.context["weeks"] for day in week) == count


@pytest.mark.parametrize("count", [1, 3])
def test_schedule_list_query_count(client, staf, campaign, team, count, django_assert_num_queries):
    make_visits(campaign, team, count)
    client.force_login(staf)
    # session, user, the second-factor device, own and group permissions (2), the campaign, the
    # figures, the visits with school, kecamatan and team
    with django_assert_num_queries(8):
        response = client.get(
            reverse("campaigns:schedule", args=[campaign.pk]) + "?tampilan=daftar"
        )
    assert len(response.context["visits"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_my_visits_query_count(client, petugas, campaign, team, count, django_assert_num_queries):
    make_visits(campaign, team, count)
    client.force_login(petugas)
    # session, user, own and group permissions (2), the visits of the user's teams with school,
    # kecamatan and team
    with django_assert_num_queries(5):
        response = client.get(reverse("campaigns:visits"))
    assert len(response.context["visits"]) == count
