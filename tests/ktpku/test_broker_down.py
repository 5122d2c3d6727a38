"""JOB-02: with the broker (Redis) unreachable every page still answers; work stays queued.

Where an action needs the worker, the user is told so in Indonesian and the data is as it
was (or the work is kept for later). The tests that read that message commit for real
(transaction=True): the work is sent on commit, which must happen inside the request.
"""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Campaign, PrintJob, Visit
from ktpku.tasks import enqueue, health_check
from students.models import RosterImport
from students.roster.services.uploads import INLINE_MAX_BYTES
from tests.campaigns.factories import CampaignFactory, TeamFactory, VisitFactory
from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.students.roster.conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = pytest.mark.django_db


def test_enqueue_answers_false_and_logs_when_the_broker_is_down(broker_down, caplog):
    assert enqueue(health_check) is False

    (record,) = [r for r in caplog.records if r.name == "ktpku.events"]
    assert (record.fields["event"], record.fields["task"]) == (
        "enqueue_failed",
        "ktpku.health_check",
    )


def test_roster_upload_with_the_broker_down_is_kept_queued(
    client, koordinator_a, broker_down, media, tmp_path, django_capture_on_commit_callbacks
):
    # Large enough to go to the worker rather than be read while the uploader waits.
    rows = [PLAIN_HEADER] + [student(n) for n in range(1, 2001)]
    path = write_xlsx(tmp_path / "roster.xlsx", rows)
    assert path.stat().st_size > INLINE_MAX_BYTES
    client.force_login(koordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/daftar-siswa/", {"file": SimpleUploadedFile("roster.xlsx", path.read_bytes())}
        )

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/daftar-siswa/{roster_import.pk}/"
    assert (roster_import.status, roster_import.sent_at) == (RosterImport.Status.QUEUED, None)
    assert client.get(response["Location"]).status_code == 200


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _roster(tmp_path):
    # Large enough to go to the worker rather than be read while the uploader waits.
    rows = [PLAIN_HEADER] + [student(n) for n in range(1, 2001)]
    path = write_xlsx(tmp_path / "roster.xlsx", rows)
    assert path.stat().st_size > INLINE_MAX_BYTES
    return SimpleUploadedFile("roster.xlsx", path.read_bytes())


@pytest.fixture
def office():
    """A campaign ready to plan, with a team and an accepted visit, and a staff member."""
    school = SchoolFactory(name="SMA Negeri 1 Paringin")
    campaign = CampaignFactory(name="Perekaman 2027", schools=[school])
    team = TeamFactory(campaign=campaign, name="Tim Paringin")
    coordinator = UserFactory(username="koord_mail", role="koordinator", email="koord@sekolah.id")
    school.coordinators.add(coordinator)
    pupils = StudentFactory.create_batch(2, school=school, birth_date=datetime.date(2010, 5, 17))
    VisitFactory(
        campaign=campaign, team=team, school=school, date=datetime.date(2027, 1, 6), students=pupils
    )
    return {"campaign": campaign, "team": team, "school": school, "staf": UserFactory(role="staf")}


@pytest.mark.django_db(transaction=True)
def test_roster_upload_with_the_broker_down_says_the_file_is_kept(
    client, broker_down, media, tmp_path
):
    school = SchoolFactory(name="SMA Negeri 1 Paringin")
    coordinator = UserFactory(username="koord_a", role="koordinator")
    school.coordinators.add(coordinator)
    client.force_login(coordinator)

    response = client.post("/daftar-siswa/", {"file": _roster(tmp_path)}, follow=True)

    roster_import = RosterImport.objects.get()
    assert response.status_code == 200
    assert (roster_import.status, roster_import.sent_at) == (RosterImport.Status.QUEUED, None)
    assert roster_import.file
    assert _messages(response) == [
        "Berkas sudah diterima dan disimpan. Layanan latar belakang sedang tidak tersedia: "
        "berkas akan dibaca begitu layanan itu kembali, tanpa perlu diunggah ulang."
    ]


@pytest.mark.django_db(transaction=True)
def test_planner_with_the_broker_down_says_so_and_changes_nothing(client, broker_down, office):
    campaign = office["campaign"]
    client.force_login(office["staf"])
    url = reverse("campaigns:plan", args=[campaign.pk])

    first = client.post(url, follow=True)
    again = client.post(url, follow=True)

    campaign.refresh_from_db()
    assert (first.status_code, again.status_code) == (200, 200)
    assert (campaign.plan_state, campaign.plan_requested_at) == (Campaign.PlanState.IDLE, None)
    unavailable = (
        "Layanan latar belakang sedang tidak tersedia, jadi perencana belum berjalan dan tidak "
        "ada yang berubah. Coba lagi beberapa menit lagi."
    )
    # Not "already working": the first press left nothing waiting for a worker.
    assert _messages(first) == _messages(again) == [unavailable]


@pytest.mark.django_db(transaction=True)
def test_visit_packs_with_the_broker_down_say_so_and_wait_for_no_worker(
    client, broker_down, office
):
    client.force_login(office["staf"])

    response = client.post(
        reverse("campaigns:print_request", args=[office["campaign"].pk]), follow=True
    )

    job = PrintJob.objects.get()
    assert response.redirect_chain == [(reverse("campaigns:print_job", args=[job.pk]), 302)]
    assert response.status_code == 200
    assert job.state == PrintJob.State.FAILED
    assert _messages(response) == [
        "Layanan latar belakang sedang tidak tersedia, jadi paket kunjungan belum dibuat. "
        "Coba lagi beberapa menit lagi."
    ]
    assert 'data-testid="print-progress"' not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_new_visit_with_the_broker_down_mails_the_coordinators_from_the_page(
    client, broker_down, office
):
    client.force_login(office["staf"])
    other = SchoolFactory(name="SMA Negeri 1 Halong")
    office["campaign"].schools.add(other)
    other.coordinators.add(UserFactory(role="koordinator", email="halong@sekolah.id"))

    response = client.post(
        reverse("campaigns:visit_add", args=[office["campaign"].pk]),
        {"school": other.pk, "team": office["team"].pk, "date": "2027-01-12"},
        follow=True,
    )

    assert response.status_code == 200
    assert Visit.objects.filter(school=other).count() == 1
    assert [message.to for message in mail.outbox] == [["halong@sekolah.id"]]
    assert _messages(response) == [
        "Kunjungan ditambahkan; koordinator sekolah diberi tahu lewat email."
    ]


@pytest.mark.django_db(transaction=True)
def test_a_moved_visit_that_cannot_be_mailed_at_all_says_so(client, broker_down, office, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    visit = Visit.objects.get()
    client.force_login(office["staf"])

    response = client.post(
        reverse("campaigns:visit_move", args=[visit.pk]),
        {"date": "2027-01-13", "team": office["team"].pk},
        follow=True,
    )

    visit.refresh_from_db()
    assert response.status_code == 200
    assert visit.date == datetime.date(2027, 1, 13)
    assert _messages(response)[-1] == (
        "Perubahan sudah disimpan, tetapi koordinator sekolah belum dapat dikirimi e-mail "
        "sekarang. Beri tahu sekolah dengan cara lain, misalnya lewat WhatsApp."
    )
