"""Every visit pack in one PDF, made by the task; the page follows its progress."""

import pytest
from django.urls import reverse

from campaigns.models import PrintJob, Visit
from campaigns.tasks import make_visit_packs

from .conftest import make_visits
from .factories import VisitFactory
from .pdftext import pdf_to_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def test_staff_ask_for_every_pack_and_download_one_pdf(client, staf, campaign, team, visit):
    make_visits(campaign, team, 1)
    VisitFactory(
        campaign=campaign, team=team, status=Visit.Status.PROPOSED, date=visit.date.replace(day=8)
    )
    client.force_login(staf)
    response = client.post(reverse("campaigns:print_request", args=[campaign.pk]))
    job = PrintJob.objects.get()
    assert response["Location"] == reverse("campaigns:print_job", args=[job.pk])
    assert (job.state, job.total, job.requested_by) == ("queued", 2, staf)
    waiting = client.get(reverse("campaigns:print_progress", args=[job.pk]))
    assert 'data-testid="print-progress"' in waiting.content.decode()

    make_visit_packs.apply(args=[job.pk])
    make_visit_packs.apply(args=[job.pk])  # a second delivery changes nothing

    job.refresh_from_db()
    assert (job.state, job.done, job.progress) == ("done", 2, 100)
    done = client.get(reverse("campaigns:print_progress", args=[job.pk]))
    assert (done.status_code, done["HX-Refresh"]) == (204, "true")
    download = client.get(reverse("campaigns:print_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="paket-kunjungan-')
    text = pdf_to_text(download.content)
    assert "Kepala SMA Negeri 1 Paringin" in text
    assert "Kepala SMA Negeri 3 Contoh" in text
    assert text.count("Daftar Periksa Siswa") == 2
    assert "Halaman 2 dari 2" in text


def test_team_packs_take_the_teams_visits_only(client, staf, campaign, team, visit):
    client.force_login(staf)
    other = make_visits(campaign, VisitFactory(campaign=campaign).team, 1)
    client.post(reverse("campaigns:print_request", args=[campaign.pk]), {"tim": team.pk})
    job = PrintJob.objects.get()
    assert (job.team, job.total) == (team, 1)
    assert other[0].team != team


def test_download_before_the_pdf_is_ready_answers_404(client, staf, campaign):
    job = PrintJob.objects.create(campaign=campaign, requested_by=staf)
    client.force_login(staf)
    assert client.get(reverse("campaigns:print_download", args=[job.pk])).status_code == 404


def test_team_of_another_campaign_answers_404(client, staf, campaign):
    stranger = VisitFactory().team
    client.force_login(staf)
    response = client.post(
        reverse("campaigns:print_request", args=[campaign.pk]), {"tim": stranger.pk}
    )
    assert response.status_code == 404
    assert PrintJob.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_print_job_page_query_count(client, staf, campaign, count, django_assert_num_queries):
    jobs = [PrintJob.objects.create(campaign=campaign, total=count) for _ in range(count)]
    client.force_login(staf)
    # session, user, the second-factor device, own and group permissions (2), the job with campaign
    # and team
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:print_job", args=[jobs[-1].pk]))
    assert response.context["job"].total == count
