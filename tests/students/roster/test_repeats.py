"""The file saved a moment ago, sent again: recognised by its bytes and not read again, as
long as reading it could only find every row unchanged; read in full otherwise."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from students.models import RosterImport, Student
from students.roster import services

from .conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = pytest.mark.django_db

COUNTS = ("rows", "valid", "invalid", "created", "updated", "unchanged", "committed")


@pytest.fixture(autouse=True)
def _fresh_quota(media):
    from django.core.cache import caches

    caches["shared"].clear()  # the upload quota counts per user and minute


def run(path):
    out = io.StringIO()
    call_command(
        "import_roster", str(path), "--school", "30304567", "--commit", "--format", "json",
        stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    return {key: data[key] for key in COUNTS}


def clean_roster(tmp_path, *rows):
    return write_xlsx(tmp_path / "roster.xlsx", [PLAIN_HEADER, *(rows or (student(1), student(2)))])


def test_the_same_file_again_is_saved_unchanged_without_being_read(tmp_path, school_a):
    path = clean_roster(tmp_path)
    first_counts = run(path)

    again = run(path)
    third = run(path)

    first, second, last = RosterImport.objects.order_by("pk")
    assert first_counts == {
        "rows": 2, "valid": 2, "invalid": 0, "created": 2, "updated": 0, "unchanged": 0,
        "committed": True,
    }  # fmt: skip
    assert again == third == {
        "rows": 2, "valid": 2, "invalid": 0, "created": 0, "updated": 0, "unchanged": 2,
        "committed": True,
    }  # fmt: skip
    assert (first.same_as_id, second.same_as_id, last.same_as_id) == (None, first.pk, first.pk)
    assert first.file_digest == second.file_digest == last.file_digest
    assert len(first.file_digest) == 64
    assert (second.status, second.layout, second.columns) == (
        RosterImport.Status.COMMITTED,
        first.layout,
        first.columns,
    )
    assert Student.history.count() == 2  # the two students' creation, nothing since


def test_a_student_changed_since_means_the_file_is_read_and_applied_again(tmp_path, school_a):
    path = clean_roster(tmp_path)
    run(path)
    edited = Student.objects.get(nik=student(1)[1])
    edited.name = "Nama Diubah Petugas"
    edited.save()  # a history row, as every change of a student writes

    again = run(path)

    assert (again["updated"], again["unchanged"]) == (1, 1)
    assert RosterImport.objects.order_by("pk").last().same_as_id is None
    edited.refresh_from_db()
    assert edited.name == "Siswa Nomor 1 Paringin"


def test_a_changed_file_is_read_in_full(tmp_path, school_a):
    run(clean_roster(tmp_path))

    again = run(clean_roster(tmp_path, student(1), student(2), student(3)))

    assert (again["created"], again["unchanged"]) == (1, 2)
    assert RosterImport.objects.order_by("pk").last().same_as_id is None


def test_a_file_with_refused_rows_is_read_again(tmp_path, school_a):
    bad = student(3)
    bad[1] = "12345"
    path = clean_roster(tmp_path, student(1), bad)
    run(path)

    again = run(path)

    assert (again["valid"], again["invalid"], again["unchanged"]) == (1, 1, 1)
    last = RosterImport.objects.order_by("pk").last()
    assert last.same_as_id is None
    assert [issue["code"] for issue in last.issues] == ["nik_format"]


def test_the_next_day_the_file_is_read_again(tmp_path, school_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 23, 0, tzinfo=datetime.UTC))
    path = clean_roster(tmp_path)
    run(path)
    # 00:01 on 4 November at the office (WITA), the upload's next day.
    time_machine.move_to(datetime.datetime(2026, 11, 3, 16, 1, tzinfo=datetime.UTC))

    again = run(path)

    assert again["unchanged"] == 2
    assert RosterImport.objects.order_by("pk").last().same_as_id is None


def test_another_schools_upload_of_the_same_file_is_read_as_often_as_sent(
    tmp_path, school_a, school_b
):
    path = clean_roster(tmp_path)
    run(path)

    others = []
    for _time in range(2):  # its rows are possible school moves: never "nothing to do"
        with open(path, "rb") as fileobj:
            others.append(
                services.roster_import_save(fileobj=fileobj, filename="r.xlsx", school=school_b)
            )

    assert [(other.same_as_id, other.move_count) for other in others] == [(None, 2), (None, 2)]


def test_coordinator_uploading_the_saved_file_again_is_told_so(
    client, tmp_path, koordinator_a, school_a
):
    content = clean_roster(tmp_path).read_bytes()
    client.force_login(koordinator_a)
    client.post(reverse("rosters:upload"), {"file": SimpleUploadedFile("daftar.xlsx", content)})
    first = RosterImport.objects.get()
    client.post(reverse("rosters:confirm", args=[first.pk]))
    first.refresh_from_db()

    response = client.post(
        reverse("rosters:upload"), {"file": SimpleUploadedFile("daftar lagi.xlsx", content)}
    )

    second = RosterImport.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("rosters:detail", args=[second.pk])
    page = client.get(response["Location"]).content.decode()
    when = date_format(timezone.localtime(first.committed_at), "DATETIME_FORMAT")
    assert "This is the very file saved on " + when in page
    assert "Its 2 students stay as they are." in page
    assert f'href="{reverse("rosters:detail", args=[first.pk])}"' in page
    assert 'data-testid="count-unchanged">2<' in page
    assert 'data-testid="confirm"' not in page
    assert 'data-testid="commit-result"' not in page
    assert (second.status, second.uploaded_by, second.committed_by) == (
        RosterImport.Status.COMMITTED,
        koordinator_a,
        koordinator_a,
    )
    assert Student.objects.filter(school=school_a).count() == 2
    history = client.get(reverse("rosters:history")).content.decode()
    assert history.count('data-testid="same-file"') == 1


def test_an_upload_waiting_for_confirmation_is_not_a_saved_one(
    client, tmp_path, koordinator_a, school_a
):
    content = clean_roster(tmp_path).read_bytes()
    client.force_login(koordinator_a)
    for name in ("a.xlsx", "b.xlsx"):
        client.post(reverse("rosters:upload"), {"file": SimpleUploadedFile(name, content)})

    assert list(RosterImport.objects.values_list("status", "same_as")) == [
        (RosterImport.Status.READY, None),
        (RosterImport.Status.READY, None),
    ]


def test_the_digest_is_erased_with_the_kept_rows(tmp_path, school_a):
    run(clean_roster(tmp_path))

    services.roster_imports_purge(now=timezone.now() + datetime.timedelta(days=400))

    assert RosterImport.objects.get().file_digest == ""
