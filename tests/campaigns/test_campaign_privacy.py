"""PDP-05: a campaign without a legal basis and confirmed consent arrangements is not started."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from campaigns.models import Campaign, Visit

from .factories import CampaignFactory, TeamFactory, VisitFactory

pytestmark = pytest.mark.django_db

REFUSAL = (
    "This campaign has no legal basis or its parental consent arrangements are not "
    "confirmed yet: fill both in on the campaign's edit page first."
)


@pytest.fixture
def unready(school_a):
    return CampaignFactory(
        name="Tanpa dasar", schools=[school_a], legal_basis="", consent_confirmed_at=None
    )


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_planner_refuses_a_campaign_without_legal_basis(client, staf, unready, english):
    TeamFactory(campaign=unready)
    client.force_login(staf)

    response = client.post(reverse("campaigns:plan", args=[unready.pk]), follow=True)

    assert _messages(response) == [REFUSAL]
    unready.refresh_from_db()
    assert unready.plan_state == Campaign.PlanState.IDLE


def test_accepting_a_plan_is_refused_and_changes_nothing(client, staf, unready, english):
    visit = VisitFactory(campaign=unready, status=Visit.Status.PROPOSED)
    client.force_login(staf)

    response = client.post(reverse("campaigns:accept", args=[unready.pk]), follow=True)

    assert _messages(response) == [REFUSAL]
    visit.refresh_from_db()
    unready.refresh_from_db()
    assert (visit.status, unready.status) == (Visit.Status.PROPOSED, Campaign.Status.DRAFT)


def test_plan_visits_command_refuses(unready, english):
    with pytest.raises(CommandError, match="no legal basis"):
        call_command("plan_visits", "--campaign", unready.pk, stdout=StringIO())


def test_the_campaign_page_says_what_is_missing(client, staf, unready):
    client.force_login(staf)

    body = client.get(reverse("campaigns:detail", args=[unready.pk])).content.decode()

    assert 'class="alert alert-warning" data-testid="privacy-status"' in body


def test_editing_records_the_basis_and_who_confirmed_consent(client, staf, unready, school_a):
    client.force_login(staf)
    data = {
        "name": unready.name,
        "school_year": unready.school_year,
        "first_day": unready.first_day.isoformat(),
        "last_day": unready.last_day.isoformat(),
        "legal_basis": "  UU 24/2013 tentang Administrasi Kependudukan ",
        "consent_confirmed": "on",
        "schools": [school_a.pk],
    }

    response = client.post(reverse("campaigns:edit", args=[unready.pk]), data)

    assert response.status_code == 302
    unready.refresh_from_db()
    assert unready.legal_basis == "UU 24/2013 tentang Administrasi Kependudukan"
    assert unready.consent_confirmed_by == staf
    assert unready.privacy_ready
    first_confirmation = unready.consent_confirmed_at

    client.post(reverse("campaigns:edit", args=[unready.pk]), data)
    unready.refresh_from_db()
    assert unready.consent_confirmed_at == first_confirmation
    client.post(reverse("campaigns:edit", args=[unready.pk]), data | {"consent_confirmed": ""})
    unready.refresh_from_db()
    assert (unready.consent_confirmed_at, unready.privacy_ready) == (None, False)


def test_privacy_notice_is_public_and_linked_from_the_upload_page(client, koordinator_a):
    notice = client.get(reverse("privacy"))
    client.force_login(koordinator_a)
    upload = client.get(reverse("rosters:upload")).content.decode()

    assert notice.status_code == 200
    assert "Pemberitahuan privasi" in notice.content.decode()
    assert "12 bulan" in notice.content.decode()
    assert f'<a href="{reverse("privacy")}">Pemberitahuan privasi</a>' in upload
