from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import StudentFactory


@pytest.mark.django_db
def test_home_coordinator_sees_only_own_school_counts(client, koordinator_a, school_a, school_b):
    StudentFactory(school=school_a)
    StudentFactory.create_batch(2, school=school_b)
    client.force_login(koordinator_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["total"] == 1
    assert [row[0] for row in response.context["school_rows"]] == [school_a]
    assert "SMA Negeri 1 Halong" not in response.content.decode()


@pytest.mark.django_db
def test_home_pimpinan_sees_figures_without_names(client, pimpinan, school_a):
    student = StudentFactory(school=school_a, name="Rahmat Hidayat")
    client.force_login(pimpinan)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.context["total"] == 1
    assert response.context["kecamatan_counts"] == [("Paringin", 1)]
    assert "Rahmat Hidayat" not in body
    assert student.nik[:6] not in body


@pytest.mark.django_db
def test_home_sends_no_store_for_signed_in_user(client, staf):
    client.force_login(staf)
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_language_is_indonesian_even_for_an_english_browser(client, staf):
    client.force_login(staf)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english_sticks(client, staf):
    client.force_login(staf)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "en"
    assert "Welcome," in response.content.decode()


@pytest.mark.django_db
def test_home_petugas_with_many_schools_says_the_list_is_cut(client, petugas):
    from campaigns.views import HOME_SCHOOLS
    from tests.campaigns.factories import CampaignFactory, TeamFactory, VisitFactory
    from tests.factories import SchoolFactory

    schools = SchoolFactory.create_batch(HOME_SCHOOLS + 1)
    campaign = CampaignFactory()
    team = TeamFactory(campaign=campaign, members=[petugas])
    for day, school in enumerate(schools):
        VisitFactory(
            campaign=campaign, team=team, school=school, date=campaign.first_day + timedelta(day)
        )
    StudentFactory(school=schools[-1])
    client.force_login(petugas)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert len(response.context["school_rows"]) == HOME_SCHOOLS
    assert "50 sekolah pertama dari 51" in body
