"""The campaign pages: the form, the calendar days, the planner button and its report."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import CalendarDay, Campaign, Visit

from .factories import CalendarDayFactory, CampaignFactory, TeamFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_new_campaign_takes_the_active_schools_and_the_national_holidays(client, staf, school_a):
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:create"),
        {
            "name": "Perekaman 2027",
            "school_year": "2026/2027",
            "first_day": "2027-01-04",
            "last_day": "2027-01-31",
            "target": "500",
            "fridays_half_day": "on",
            "schools": [school_a.pk],
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert (campaign.year, campaign.target, campaign.created_by) == (2027, 500, staf)
    assert list(campaign.schools.all()) == [school_a]
    days = list(campaign.days.values_list("date", "kind", "source"))
    assert (datetime.date(2027, 1, 5), "holiday", "calendar") in days


def test_new_campaign_form_ticks_every_active_school(client, staf, school_a, school_b):
    school_b.is_active = False
    school_b.save()
    client.force_login(staf)
    response = client.get(reverse("campaigns:create"))
    assert response.context["form"].initial["schools"] == [school_a.pk]


def test_campaign_ending_before_it_starts_is_refused(client, staf, school_a):
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:create"),
        {"name": "Salah", "first_day": "2027-03-01", "last_day": "2027-02-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["last_day"] == [
        "Hari terakhir tidak boleh sebelum hari pertama."
    ]
    assert Campaign.objects.count() == 0


def test_closed_day_is_added_to_the_calendar(client, staf, campaign):
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:day_add", args=[campaign.pk]),
        {"date": "2027-01-07", "kind": "closed", "name": "Rapat kerja kantor"},
    )
    assert response.status_code == 302
    day = campaign.days.get()
    assert (day.date, day.kind, day.name, day.source) == (
        datetime.date(2027, 1, 7),
        CalendarDay.Kind.CLOSED,
        "Rapat kerja kantor",
        CalendarDay.Source.STAFF,
    )


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2027-04-01", "Hari ini di luar kampanye (04-01-2027 sampai 31-03-2027)."),
        ("2027-01-05", "Hari ini sudah ada di kalender."),
    ],
)
def test_calendar_day_outside_the_campaign_or_twice_is_refused(
    client, staf, campaign, date, message
):
    CalendarDayFactory(campaign=campaign, date=datetime.date(2027, 1, 5), name="Libur")
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:day_add", args=[campaign.pk]),
        {"date": date, "kind": "half_day", "name": "Setengah hari"},
    )
    assert response.status_code == 400
    assert response.context["day_form"].errors["date"] == [message]
    assert campaign.days.count() == 1


def test_removing_a_national_holiday_opens_the_day(client, staf, campaign):
    day = CalendarDayFactory(campaign=campaign, kind="holiday", source="calendar")
    client.force_login(staf)
    response = client.post(reverse("campaigns:day_remove", args=[campaign.pk, day.pk]))
    assert response.status_code == 302
    assert campaign.days.count() == 0


def test_calendar_day_of_another_campaign_answers_404(client, staf, campaign):
    other = CalendarDayFactory(campaign=CampaignFactory())
    client.force_login(staf)
    response = client.post(reverse("campaigns:day_remove", args=[campaign.pk, other.pk]))
    assert response.status_code == 404
    assert CalendarDay.objects.filter(pk=other.pk).exists()


def test_planner_button_queues_one_run_and_a_second_click_changes_nothing(
    client, staf, campaign, team
):
    client.force_login(staf)
    url = reverse("campaigns:plan", args=[campaign.pk])
    client.post(url)
    campaign.refresh_from_db()
    requested = campaign.plan_requested_at
    response = client.post(url, follow=True)
    campaign.refresh_from_db()
    assert campaign.plan_state == Campaign.PlanState.QUEUED
    assert campaign.plan_requested_at == requested
    assert "Perencana sedang mengerjakan kampanye ini." in response.content.decode()


def test_planner_without_a_team_is_not_started(client, staf, campaign):
    client.force_login(staf)
    response = client.post(reverse("campaigns:plan", args=[campaign.pk]), follow=True)
    campaign.refresh_from_db()
    assert campaign.plan_state == Campaign.PlanState.IDLE
    assert "Tambahkan tim dulu: perencana memerlukan paling sedikit satu tim." in (
        response.content.decode()
    )


def test_planner_box_polls_while_running_and_reloads_when_done(client, staf, campaign):
    client.force_login(staf)
    url = reverse("campaigns:plan_state", args=[campaign.pk])
    campaign.plan_state = Campaign.PlanState.RUNNING
    campaign.save()
    running = client.get(url)
    campaign.plan_state = Campaign.PlanState.DONE
    campaign.save()
    done = client.get(url)
    assert running.status_code == 200
    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"


def test_campaign_page_shows_the_planner_report(client, staf, campaign, school_b):
    TeamFactory(campaign=campaign)
    campaign.plan_state = Campaign.PlanState.DONE
    campaign.plan_report = {
        "team_days": 12,
        "lower_bound": 11,
        "optimal": False,
        "uncovered": [
            {"school": school_b.code, "students": 3, "reason": "no_capacity", "message": "Penuh."}
        ],
    }
    campaign.save()
    client.force_login(staf)
    response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    report = response.context["report"]
    assert (report["team_days"], report["lower_bound"]) == (12, 11)
    assert report["uncovered"] == [
        {"school": school_b, "code": school_b.code, "students": 3, "reason": "Penuh."}
    ]
    assert "<td>SMA Negeri 1 Halong</td><td" in response.content.decode()


def test_accepting_the_proposal_accepts_every_proposed_visit(client, staf, campaign, team):
    proposed = VisitFactory(campaign=campaign, team=team, status=Visit.Status.PROPOSED)
    client.force_login(staf)
    response = client.post(reverse("campaigns:accept", args=[campaign.pk]))
    proposed.refresh_from_db()
    campaign.refresh_from_db()
    assert response["Location"] == reverse("campaigns:schedule", args=[campaign.pk])
    assert proposed.status == Visit.Status.ACCEPTED
    assert campaign.status == Campaign.Status.PLANNED


def test_schools_without_a_visit_lists_the_rest(client, staf, campaign, visit, school_b):
    campaign.plan_report = {
        "uncovered": [{"school": school_b.code, "students": 2, "message": "Tidak ada hari."}]
    }
    campaign.save()
    client.force_login(staf)
    response = client.get(reverse("campaigns:unvisited", args=[campaign.pk]))
    assert response.context["rows"] == [(school_b, "Tidak ada hari.")]


@pytest.mark.parametrize("count", [1, 3])
def test_campaign_list_query_count(client, staf, count, django_assert_num_queries):
    CampaignFactory.create_batch(count)
    client.force_login(staf)
    # session, user, the second-factor device, the user's own and group permissions (2), the
    # campaigns with their counts
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:list"))
    assert len(response.context["campaigns"]) == count
