"""The office's lists as workbooks: a campaign's visits and outcomes, and the cards (print
queue and handovers). Masked NIKs unless chosen by staff, text never a formula."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from campaigns.card_models import HandoverBatch
from campaigns.cards import printing
from campaigns.models import Outcome, VisitOutcome
from students import lifecycle
from students.models import EventKind
from tests.factories import StudentFactory
from tests.helpers import open_workbook, sheet_values

from .conftest import make_visits

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
TODAY = datetime.date(2027, 1, 4)  # a Monday; the team comes to school A on Wednesday
WED = datetime.datetime(2027, 1, 6)
MASK = "**********"
OUTCOME_TITLES = [
    "Sudah direkam",
    "Tidak hadir",
    "Perekaman gagal",
    "Sudah memiliki KTP-el",
    "Sudah direkam di tempat lain",
    "Ditolak",
    "Belum 16 tahun",
]
VISIT_HEADER = [
    "Tanggal",
    "Hari",
    "Tim",
    "Sekolah",
    "NPSN / NSM / NSPP",
    "Kecamatan",
    "Jenis",
    "Status",
    "Bagian",
    "Perkiraan jumlah siswa",
    "Siswa dalam daftar",
    *OUTCOME_TITLES,
    "Belum ada hasil",
    "Ditutup pada",
]
OUTCOME_HEADER = [
    "Tanggal kunjungan",
    "Sekolah",
    "Tim",
    "Nama",
    "NIK",
    "NISN",
    "Kelas",
    "Hasil",
    "Alasan",
    "Hasil dicatat pada",
]


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=WITA), tick=False)


def _visits_url(campaign):
    return reverse("campaigns:visits_export", args=[campaign.pk])


def _outcome(visit, student, outcome, reason=""):
    return VisitOutcome.objects.create(
        visit=visit,
        student=student,
        outcome=outcome,
        reason=reason,
        version=1,
        changed_at=datetime.datetime(2027, 1, 6, 10, 30, tzinfo=WITA),
    )


# A campaign's visits and outcomes


def test_visits_export_has_the_visits_and_each_students_outcome(client, staf, campaign, visit):
    ahmad, bunga = visit.students.order_by("name")
    _outcome(visit, ahmad, Outcome.ABSENT)
    _outcome(visit, bunga, Outcome.FAILED, "fingerprints")
    client.force_login(staf)

    response = client.post(_visits_url(campaign))

    assert response["Content-Disposition"].startswith('attachment; filename="kunjungan-dan-hasil-')
    book = open_workbook(response.content)
    assert book.sheetnames == ["Kunjungan", "Hasil per siswa"]
    assert sheet_values(book["Kunjungan"]) == [
        VISIT_HEADER,
        [WED, "Rabu", "Tim Paringin", "SMA Negeri 1 Paringin", "30304567", "Paringin"]
        + ["Perekaman", "Disetujui", "1/1", 2, 2, 0, 1, 1, 0, 0, 0, 0, 0, None],
    ]
    assert sheet_values(book["Hasil per siswa"]) == [
        OUTCOME_HEADER,
        [WED, "SMA Negeri 1 Paringin", "Tim Paringin", "Ahmad Fauzi", ahmad.nik[:6] + MASK]
        + [None, "X IPA 1", "Tidak hadir", None, WED],
        [WED, "SMA Negeri 1 Paringin", "Tim Paringin", "Bunga Lestari", bunga.nik[:6] + MASK]
        + [None, "X IPA 1", "Perekaman gagal", "Sidik jari tidak terbaca", WED],
    ]
    assert set(AuditEvent.objects.values_list("action", "object_id")) == {
        (Action.EXPORTED, ahmad.pk),
        (Action.EXPORTED, bunga.pk),
    }


def test_visits_export_with_full_nik_for_staff_who_ask(client, staf, campaign, visit):
    client.force_login(staf)

    book = open_workbook(client.post(_visits_url(campaign), {"nik_lengkap": "1"}).content)

    rows = sheet_values(book["Hasil per siswa"])
    assert [row[4] for row in rows[1:]] == list(
        visit.students.order_by("name").values_list("nik", flat=True)
    )
    assert [row[7] for row in rows[1:]] == ["belum ada hasil", "belum ada hasil"]
    assert book["Hasil per siswa"]["E2"].data_type == "s"


@pytest.mark.parametrize("persona", ["koordinator_a", "petugas", "pimpinan"])
def test_only_staff_export_visits(client, campaign, visit, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(_visits_url(campaign)).status_code == 403
    assert AuditEvent.objects.count() == 0


def test_schedule_page_offers_the_visits_export(client, staf, campaign):
    client.force_login(staf)

    body = client.get(reverse("campaigns:schedule", args=[campaign.pk])).content.decode()

    assert f'action="{_visits_url(campaign)}"' in body
    assert 'data-testid="visits-export-nik"' in body


# 1 session, 2 user, 3 the second-factor device, 4-5 permissions, 6 the campaign, 7-8 the
# counts (visits, students on their lists), 9 the visits with their outcome counts, 10 each
# student's outcome, 11 audit.
@pytest.mark.parametrize("count", [1, 3])
def test_visits_export_query_count(client, staf, campaign, team, count, django_assert_num_queries):
    make_visits(campaign, team, count)
    client.force_login(staf)

    with django_assert_num_queries(11):
        response = client.post(_visits_url(campaign))

    book = open_workbook(response.content)
    assert len(sheet_values(book["Kunjungan"])) == count + 1
    assert len(sheet_values(book["Hasil per siswa"])) == 2 * count + 1


# Cards: the print queue and the handovers

BORN = datetime.date(2009, 11, 20)


def _due(school, name):
    """Recorded and print ready on their 16th birthday, flagged due today."""
    student = StudentFactory(school=school, name=name, birth_date=BORN)
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(student, kind, on=BORN.replace(year=BORN.year + 16), by=None)
    lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=TODAY, by=None)
    return student


@pytest.fixture
def cards(staf, school_a, school_b, visit):
    """Ani and Budi in the print queue (at A and B), Citra printed and waiting in school
    A's batch for Wednesday's visit."""
    ani = _due(school_a, "@Ani Rahmawati")
    budi = _due(school_b, "Budi Santoso")
    citra = _due(school_a, "Citra Dewi")
    printing.mark_printed([citra.pk], on=TODAY, by=staf)
    return {"ani": ani, "budi": budi, "citra": citra, "batch": HandoverBatch.objects.get()}


QUEUE_HEADER = [
    "Nama",
    "NIK",
    "NISN",
    "Sekolah",
    "Kelas",
    "Siap cetak sejak",
    "Status",
    "Blanko diminta pada",
]
HANDOVER_HEADER = [
    "Kelompok",
    "Sekolah",
    "Hari serah terima",
    "Tim",
    "Status kelompok",
    "Nama",
    "NIK",
    "Kelas",
    "Dicetak pada",
    "Keadaan",
    "Diserahkan pada",
    "IKD diaktifkan",
]
MONDAY = datetime.datetime(2027, 1, 4)


def test_cards_export_for_one_school(client, staf, cards, school_a):
    client.force_login(staf)

    response = client.post(f"{reverse('campaigns:cards_export')}?sekolah={school_a.pk}")

    book = open_workbook(response.content)
    assert book.sheetnames == ["Antrean cetak", "Serah terima"]
    ani, citra = cards["ani"], cards["citra"]
    assert sheet_values(book["Antrean cetak"]) == [
        QUEUE_HEADER,
        ["@Ani Rahmawati", ani.nik[:6] + MASK, None, "SMA Negeri 1 Paringin", "X IPA 1"]
        + [MONDAY, "Waktunya dicetak", None],
    ]
    assert book["Antrean cetak"]["A2"].data_type == "s"
    assert sheet_values(book["Serah terima"]) == [
        HANDOVER_HEADER,
        [cards["batch"].pk, "SMA Negeri 1 Paringin", WED, "Tim Paringin", "Terbuka"]
        + ["Citra Dewi", citra.nik[:6] + MASK, "X IPA 1", MONDAY, "Menunggu diserahkan"]
        + [None, "Tidak"],
    ]
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == sorted(
        [ani.pk, citra.pk]
    )


def test_cards_export_of_every_school_with_full_nik(client, staf, cards):
    client.force_login(staf)

    book = open_workbook(
        client.post(reverse("campaigns:cards_export"), {"nik_lengkap": "1"}).content
    )

    queue = sheet_values(book["Antrean cetak"])
    assert [(row[0], row[1]) for row in queue[1:]] == [
        ("Budi Santoso", cards["budi"].nik),
        ("@Ani Rahmawati", cards["ani"].nik),
    ]
    assert AuditEvent.objects.filter(details__full_nik=True).count() == 3


def test_cards_export_with_a_broken_filter_goes_back_to_the_queue(client, staf, cards):
    client.force_login(staf)

    response = client.post(f"{reverse('campaigns:cards_export')}?dari=kemarin")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('campaigns:cards_queue')}?dari=kemarin"
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("persona", ["koordinator_a", "petugas", "pimpinan"])
def test_only_staff_export_cards(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(reverse("campaigns:cards_export")).status_code == 403


def test_queue_and_batch_pages_offer_the_cards_export(client, staf, school_a):
    client.force_login(staf)

    queue = client.get(reverse("campaigns:cards_queue"), {"sekolah": school_a.pk})
    batches = client.get(reverse("campaigns:batches"))

    assert f'action="{reverse("campaigns:cards_export")}?sekolah={school_a.pk}"' in (
        queue.content.decode()
    )
    assert f'action="{reverse("campaigns:cards_export")}"' in batches.content.decode()


# 1 session, 2 user, 3 the second-factor device, 4-5 permissions, 6 the filter's school,
# 7-8 the counts (queue, cards in batches), 9 the queue, 10 the batches' cards, 11 audit.
@pytest.mark.parametrize("count", [1, 3])
def test_cards_export_query_count(client, staf, school_a, visit, count, django_assert_num_queries):
    due = [_due(school_a, f"Siswa {n}") for n in range(2 * count)]
    printing.mark_printed([student.pk for student in due[:count]], on=TODAY, by=staf)
    client.force_login(staf)

    with django_assert_num_queries(11):
        response = client.post(f"{reverse('campaigns:cards_export')}?sekolah={school_a.pk}")

    book = open_workbook(response.content)
    assert len(sheet_values(book["Antrean cetak"])) == count + 1
    assert len(sheet_values(book["Serah terima"])) == count + 1


def test_visit_outcome_dates_are_office_days(client, staf, campaign, visit):
    """An outcome entered late in the evening WITA is that day's, not UTC's next one."""
    ahmad = visit.students.order_by("name").first()
    VisitOutcome.objects.create(
        visit=visit,
        student=ahmad,
        outcome=Outcome.ABSENT,
        version=1,
        changed_at=datetime.datetime(2027, 1, 6, 23, 30, tzinfo=WITA),
    )
    assert timezone.localdate(VisitOutcome.objects.get().changed_at) == WED.date()
    client.force_login(staf)

    rows = sheet_values(
        open_workbook(client.post(_visits_url(campaign)).content)["Hasil per siswa"]
    )

    assert rows[1][-1] == WED
