"""Saving rosters: one transaction, nothing silent, the same file twice changes nothing."""

import datetime
import io
import json
import os
import threading

import openpyxl
import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, connection, transaction

from students.models import RosterImport, SchoolMoveRequest, Status, Student
from students.roster import services
from tests.factories import SchoolFactory, StudentFactory

from .conftest import PARENT_NIKS, PLAIN_HEADER, dapodik_rows, make_nik, student, write_xlsx

pytestmark = pytest.mark.django_db

BORN = datetime.date(2010, 3, 14)


def upload(path, school, user=None):
    """Read a file into a ready RosterImport, as the command line does."""
    with open(path, "rb") as handle:
        result = services.roster_preview(fileobj=handle, filename=path.name, school=school)
    return services.roster_import_from_preview(
        preview=result, school=school, filename=path.name, user=user
    )


def commit(roster_import, user=None):
    return services.roster_import_commit(roster_import_id=roster_import.pk, user=user)


def test_commit_creates_students_at_the_default_status(tmp_path, school_a, koordinator_a):
    path = write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1), student(2)])

    done = commit(upload(path, school_a, koordinator_a), koordinator_a)

    assert (done.status, done.created_count, done.updated_count, done.unchanged_count) == (
        RosterImport.Status.COMMITTED,
        2,
        0,
        0,
    )
    first = Student.objects.get(nik=student(1)[1])
    assert (
        first.name,
        first.sex,
        first.birth_date,
        first.nisn,
        first.class_name,
        first.kk_number,
        first.birth_place,
        first.school,
        first.status,
    ) == (
        "Siswa Nomor 1 Paringin",
        "L",
        BORN,
        "0000000001",
        "X IPA 1",
        student(1)[6],
        "Paringin",
        school_a,
        Status.ON_ROSTER,
    )
    assert first.history.count() == 1


def test_uploading_the_same_file_again_changes_nothing(tmp_path, school_a):
    path = write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1), student(2)])
    commit(upload(path, school_a))
    before = list(Student.objects.order_by("pk").values())

    again = upload(path, school_a)
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 2)
    done = commit(again)

    assert (done.created_count, done.updated_count, done.unchanged_count) == (0, 0, 2)
    assert list(Student.objects.order_by("pk").values()) == before


def test_changes_show_old_and_new_and_keep_the_status(tmp_path, school_a, koordinator_a):
    registered = StudentFactory(
        school=school_a,
        nik=student(1)[1],
        name="Siswa Nomor 1",
        class_name="X IPA 1",
        birth_date=BORN,
    )
    registered.status = Status.RECORDED
    registered.save()
    row = student(1, kelas="XI IPA 1")
    path = write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, row])

    ready = upload(path, school_a)
    assert ready.changes == [
        {
            "row": 2,
            "name": "Siswa Nomor 1",
            "nik": "631106**********",
            "fields": [
                {"field": "name", "old": "Siswa Nomor 1", "new": "Siswa Nomor 1 Paringin"},
                {"field": "kk_number", "old": "", "new": row[6]},
                {"field": "nisn", "old": "", "new": "0000000001"},
                {"field": "class_name", "old": "X IPA 1", "new": "XI IPA 1"},
            ],
        }
    ]
    before = registered.updated_at
    done = commit(ready, koordinator_a)

    registered.refresh_from_db()
    assert done.updated_count == 1
    assert (registered.name, registered.class_name, registered.status) == (
        "Siswa Nomor 1 Paringin",
        "XI IPA 1",
        Status.RECORDED,
    )
    assert registered.updated_at == done.committed_at > before
    latest = registered.history.first()
    assert (
        latest.history_type,
        latest.history_change_reason,
        latest.history_user,
        latest.history_date,
        latest.name,
        latest.kk_number,
        latest.nisn,
        latest.class_name,
        latest.status,
    ) == (
        "~",
        "roster upload",
        koordinator_a,
        done.committed_at,
        "Siswa Nomor 1 Paringin",
        row[6],
        "0000000001",
        "XI IPA 1",
        Status.RECORDED,
    )


def test_empty_cells_never_blank_registered_data(tmp_path, school_a):
    StudentFactory(
        school=school_a,
        nik=student(1)[1],
        name="Siswa Nomor 1 Paringin",
        birth_date=BORN,
        nisn="0000000001",
        kk_number=student(1)[6],
    )
    row = student(1)
    row[4] = ""
    row[6] = ""
    done = commit(upload(write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, row]), school_a))

    assert (done.updated_count, done.unchanged_count) == (0, 1)
    assert Student.objects.get().nisn == "0000000001"


def test_refused_rows_are_not_written_and_valid_ones_are(tmp_path, school_a):
    bad = student(2)
    bad[1] = "123"
    done = commit(
        upload(write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1), bad]), school_a)
    )

    assert (done.created_count, done.invalid_count) == (1, 1)
    assert list(Student.objects.values_list("nik", flat=True)) == [student(1)[1]]


def test_a_ready_upload_commits_once(tmp_path, school_a):
    ready = upload(write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1)]), school_a)
    commit(ready)
    with pytest.raises(services.RosterNotReady):
        commit(ready)
    assert Student.objects.count() == 1


def test_dapodik_parents_niks_are_stored_nowhere(tmp_path, school_a, dapodik_students):
    path = write_xlsx(tmp_path / "daftar_pd.xlsx", dapodik_rows(dapodik_students))

    done = commit(upload(path, school_a))

    assert done.created_count == 3
    stored = json.dumps(
        [done.rows, done.issues, done.changes, done.columns, done.ignored_columns],
        cls=DjangoJSONEncoder,
    )
    students = json.dumps(list(Student.objects.values()), cls=DjangoJSONEncoder)
    history = json.dumps(list(Student.history.values()), cls=DjangoJSONEncoder)
    for secret in [*PARENT_NIKS.values(), "0123456789012", "KIP1234567", "Petani"]:
        assert secret not in stored
        assert secret not in students
        assert secret not in history
    assert not done.file


def other_school_upload(tmp_path, school_a, school_b):
    elsewhere = StudentFactory(
        school=school_b,
        nik=student(1)[1],
        birth_date=BORN,
        name="Siswa Nomor 1 Paringin",
        class_name="X IPA 3",
    )
    row = student(1, kelas="XI IPA 2")
    ready = upload(write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, row]), school_a)
    return elsewhere, ready


def test_student_at_other_school_becomes_a_pending_move_not_a_move(tmp_path, school_a, school_b):
    elsewhere, ready = other_school_upload(tmp_path, school_a, school_b)
    assert [(i["row"], i["code"], i["severity"]) for i in ready.issues] == [
        (2, "student_at_other_school", "warning")
    ]

    done = commit(ready)
    commit(upload(tmp_path / "r.xlsx", school_a))

    elsewhere.refresh_from_db()
    assert elsewhere.school == school_b
    assert (done.move_count, done.created_count, done.updated_count) == (1, 0, 0)
    move = SchoolMoveRequest.objects.get()
    assert (move.student, move.from_school, move.to_school, move.status, move.class_name) == (
        elsewhere,
        school_b,
        school_a,
        SchoolMoveRequest.Status.PENDING,
        "XI IPA 2",
    )


def test_confirmed_move_moves_the_student(tmp_path, school_a, school_b, staf):
    elsewhere, ready = other_school_upload(tmp_path, school_a, school_b)
    commit(ready)
    move = SchoolMoveRequest.objects.get()

    services.school_move_decide(move_id=move.pk, user=staf, confirm=True)

    elsewhere.refresh_from_db()
    move.refresh_from_db()
    assert (elsewhere.school, elsewhere.class_name, elsewhere.status) == (
        school_a,
        "XI IPA 2",
        Status.ON_ROSTER,
    )
    assert (move.status, move.decided_by) == (SchoolMoveRequest.Status.CONFIRMED, staf)
    with pytest.raises(services.MoveAlreadyDecided):
        services.school_move_decide(move_id=move.pk, user=staf, confirm=False)


def test_rejected_move_leaves_the_student(tmp_path, school_a, school_b, staf):
    elsewhere, ready = other_school_upload(tmp_path, school_a, school_b)
    commit(ready)
    move = SchoolMoveRequest.objects.get()

    services.school_move_decide(move_id=move.pk, user=staf, confirm=False)

    elsewhere.refresh_from_db()
    move.refresh_from_db()
    assert (elsewhere.school, elsewhere.class_name) == (school_b, "X IPA 3")
    assert move.status == SchoolMoveRequest.Status.REJECTED


def test_confirm_of_an_outdated_move_is_refused(tmp_path, school_a, school_b, staf):
    elsewhere, ready = other_school_upload(tmp_path, school_a, school_b)
    commit(ready)
    move = SchoolMoveRequest.objects.get()
    third = SchoolFactory(name="SMA Negeri 1 Juai")
    Student.objects.filter(pk=elsewhere.pk).update(school=third)

    with pytest.raises(services.MoveOutdated):
        services.school_move_decide(move_id=move.pk, user=staf, confirm=True)

    elsewhere.refresh_from_db()
    move.refresh_from_db()
    assert (elsewhere.school, move.status) == (third, SchoolMoveRequest.Status.PENDING)


def five_hundred_rows(*, broken):
    rows = [PLAIN_HEADER] + [student(n) for n in range(1, 501)]
    if broken:
        rows[6][1] = "63110614"  # spreadsheet row 7
        rows[249][3] = "31-02-2010"  # row 250
        rows[498][0] = ""  # row 499
        rows[19][1] = rows[9][1]  # rows 10 and 20 share a NIK
    return rows


def test_500_rows_every_bad_row_reported_nothing_written_until_confirmed(tmp_path, school_a):
    ready = upload(write_xlsx(tmp_path / "r.xlsx", five_hundred_rows(broken=True)), school_a)

    errors = sorted(
        (i["row"], i["column"], i["code"]) for i in ready.issues if i["severity"] == "error"
    )
    assert errors == [
        (7, "NIK", "nik_format"),
        (10, "NIK", "duplicate_in_file"),
        (20, "NIK", "duplicate_in_file"),
        (250, "Tanggal Lahir", "birthdate_invalid"),
        (499, "Nama", "name_missing"),
    ]
    assert (ready.row_count, ready.valid_count, ready.invalid_count) == (500, 495, 5)
    assert Student.objects.count() == 0

    fixed = upload(write_xlsx(tmp_path / "fixed.xlsx", five_hundred_rows(broken=False)), school_a)
    assert fixed.issues == []
    assert commit(fixed).created_count == 500
    assert Student.objects.filter(school=school_a).count() == 500


def test_commit_keeps_only_the_refused_rows_of_the_upload(tmp_path, school_a):
    from students.roster.exports import refused_rows_workbook

    ready = upload(write_xlsx(tmp_path / "r.xlsx", five_hundred_rows(broken=True)), school_a)
    assert len(ready.rows) == 500

    done = commit(ready)

    done.refresh_from_db()
    assert sorted(record["row"] for record in done.rows) == [7, 10, 20, 250, 499]
    sheet = openpyxl.load_workbook(io.BytesIO(refused_rows_workbook(done))).worksheets[0]
    numbers = [row[-2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [7, 10, 20, 250, 499]
    assert Student.objects.count() == 495

    # UP-09: the fixed file then adds exactly the other five.
    fixed = upload(write_xlsx(tmp_path / "fixed.xlsx", five_hundred_rows(broken=False)), school_a)
    assert commit(fixed).created_count == 5
    assert Student.objects.filter(school=school_a).count() == 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_the_same_nik_at_once_make_one_student(tmp_path, school_a, school_b):
    """Another upload holds the NIK in an open transaction while ours commits."""
    ready = upload(
        write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1), student(2)]), school_a
    )
    inserted, release, outcome = threading.Event(), threading.Event(), {}

    def rival():
        try:
            with transaction.atomic():
                Student.objects.create(
                    nik=student(1)[1], name="Siswa Lain", sex="L", birth_date=BORN, school=school_b
                )
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    def ours():
        try:
            outcome["import"] = commit(ready)
        except Exception as exc:  # the assertion below shows what went wrong
            outcome["error"] = exc
        finally:
            connection.close()

    other = threading.Thread(target=rival)
    other.start()
    assert inserted.wait(10)
    mine = threading.Thread(target=ours)
    mine.start()
    mine.join(1)  # blocks on the unique index until the rival commits
    release.set()
    other.join(10)
    mine.join(10)

    assert "error" not in outcome
    done = outcome["import"]
    assert Student.objects.filter(nik=student(1)[1]).count() == 1
    assert Student.objects.get(nik=student(1)[1]).school == school_b
    assert Student.objects.get(nik=student(2)[1]).school == school_a
    assert done.created_count == 1
    assert [(i["row"], i["code"], i["severity"]) for i in done.issues] == [
        (2, "nik_already_registered", "error")
    ]
    assert done.invalid_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_commit_whose_connection_is_killed_writes_nothing_and_can_be_retried(
    tmp_path, school_a, school_b
):
    """DB-01: pg_terminate_backend while the commit has inserted its new students and waits
    on the move request (another transaction holds the same pending move)."""
    moving = student(501)
    mover = StudentFactory(nik=moving[1], school=school_b, birth_date=BORN, sex="L")
    rows = [PLAIN_HEADER] + [student(n) for n in range(1, 501)] + [moving]
    ready = upload(write_xlsx(tmp_path / "r.xlsx", rows), school_a)
    held, release, outcome = threading.Event(), threading.Event(), {}

    def rival():
        try:
            with transaction.atomic():
                SchoolMoveRequest.objects.create(
                    student=mover, from_school=school_b, to_school=school_a
                )
                held.set()
                release.wait(30)
                transaction.set_rollback(True)
        finally:
            connection.close()

    def ours():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cursor.fetchone()[0]
            commit(ready)
        except Exception as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    other = threading.Thread(target=rival)
    other.start()
    assert held.wait(10)
    mine = threading.Thread(target=ours)
    mine.start()
    waiting = None
    for _attempt in range(600):  # until the commit waits on the rival's lock
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                [outcome.get("pid", 0)],
            )
            waiting = (cursor.fetchone() or [None])[0]
        if waiting == "Lock":
            break
        mine.join(0.05)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [outcome["pid"]])
    mine.join(30)
    release.set()
    other.join(30)

    assert waiting == "Lock"
    assert isinstance(outcome.get("error"), OperationalError), outcome.get("error")
    ready.refresh_from_db()
    assert ready.status == RosterImport.Status.READY
    assert Student.objects.filter(school=school_a).count() == 0
    assert not SchoolMoveRequest.objects.exists()

    done = commit(ready)

    assert (done.status, done.created_count, done.move_count) == (
        RosterImport.Status.COMMITTED,
        500,
        1,
    )
    assert Student.objects.filter(school=school_a).count() == 500
    assert SchoolMoveRequest.objects.get().student == mover


def test_uploaded_file_is_deleted_once_read(tmp_path, school_a, koordinator_a, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1)])
    uploaded = SimpleUploadedFile("../../x.xlsx", path.read_bytes())

    created = services.roster_import_create(
        school=school_a, user=koordinator_a, uploaded_file=uploaded
    )

    assert created.status == RosterImport.Status.READY
    assert created.original_name == "x.xlsx"
    assert not created.file
    assert not (media / "rosters").exists()  # a small file is read inline, never stored


def test_large_file_is_read_by_the_task_safely_twice(
    tmp_path, school_a, koordinator_a, media, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from students.roster.tasks import read_roster_import

    path = write_xlsx(tmp_path / "big.xlsx", [PLAIN_HEADER] + [student(n) for n in range(1, 2001)])
    assert path.stat().st_size > services.INLINE_MAX_BYTES

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = services.roster_import_create(
            school=school_a,
            user=koordinator_a,
            uploaded_file=SimpleUploadedFile("big.xlsx", path.read_bytes()),
        )
    assert len(callbacks) == 2  # store the file, then send it to a worker
    assert created.status == RosterImport.Status.QUEUED
    assert not created.file  # nothing on disk before the row commits
    assert not (media / "rosters").exists()

    callbacks[0]()
    created.refresh_from_db()
    assert created.file.name.startswith("rosters/")
    read_roster_import.apply(args=[created.pk])
    read_roster_import.apply(args=[created.pk])

    created.refresh_from_db()
    assert (created.status, created.progress, created.row_count, created.new_count) == (
        RosterImport.Status.READY,
        100,
        2000,
        2000,
    )
    assert Student.objects.count() == 0


def _claimed_upload(tmp_path, school, user, *, task_id, attempts):
    """A stored upload whose reading `task_id` claimed `attempts` times and never finished."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    path = write_xlsx(tmp_path / "big.xlsx", [PLAIN_HEADER] + [student(n) for n in range(1, 4)])
    upload = RosterImport(school=school, uploaded_by=user, original_name="big.xlsx")
    upload.file.save("big.xlsx", SimpleUploadedFile("big.xlsx", path.read_bytes()))
    RosterImport.objects.filter(pk=upload.pk).update(
        status=RosterImport.Status.READING,
        reading_task_id=task_id,
        reading_started_at=timezone.now(),
        reading_attempts=attempts,
    )
    return upload


def test_the_same_task_handed_again_takes_its_reading_back(
    tmp_path, school_a, koordinator_a, media
):
    upload = _claimed_upload(tmp_path, school_a, koordinator_a, task_id="task-1", attempts=1)

    services.roster_import_read(roster_import_id=upload.pk, task_id="task-2")  # another task
    upload.refresh_from_db()
    assert (upload.status, upload.reading_attempts) == (RosterImport.Status.READING, 1)

    services.roster_import_read(roster_import_id=upload.pk, task_id="task-1")
    upload.refresh_from_db()
    assert (upload.status, upload.row_count, upload.reading_attempts) == (
        RosterImport.Status.READY,
        3,
        2,
    )
    assert not upload.file


def test_a_reading_that_killed_its_worker_three_times_is_given_up(
    tmp_path, school_a, koordinator_a, media
):
    upload = _claimed_upload(tmp_path, school_a, koordinator_a, task_id="task-1", attempts=3)

    services.roster_import_read(roster_import_id=upload.pk, task_id="task-1")

    upload.refresh_from_db()
    assert (upload.status, upload.file_error_code, upload.file_error_message) == (
        RosterImport.Status.FAILED,
        "file_too_large",
        "Reading this file stopped the background service several times. Split the list "
        "into smaller files and upload them one by one.",
    )
    assert not upload.file
    assert list((media / "rosters").iterdir()) == []


def test_nothing_is_enqueued_when_the_upload_transaction_fails(
    tmp_path, school_a, koordinator_a, media, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = write_xlsx(tmp_path / "big.xlsx", [PLAIN_HEADER] + [student(n) for n in range(1, 2001)])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.roster_import_create(
                school=school_a,
                user=koordinator_a,
                uploaded_file=SimpleUploadedFile("big.xlsx", path.read_bytes()),
            )
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert RosterImport.objects.count() == 0
    assert not (media / "rosters").exists() or list((media / "rosters").iterdir()) == []


def test_orphan_upload_files_are_swept_once_old(school_a, media, time_machine):
    from django.core.files.base import ContentFile

    time_machine.move_to(datetime.datetime(2026, 11, 5, 9, 0, tzinfo=datetime.UTC))
    kept = RosterImport(school=school_a, original_name="kept.xlsx")
    kept.file.save("kept.xlsx", ContentFile(b"kept"), save=True)
    (media / "rosters" / "orphan.xlsx").write_bytes(b"left by a crash")
    (media / "rosters" / "fresh.xlsx").write_bytes(b"being recorded")
    old = datetime.datetime(2026, 11, 5, 7, 0, tzinfo=datetime.UTC).timestamp()
    os.utime(media / "rosters" / "orphan.xlsx", (old, old))
    os.utime(media / kept.file.name, (old, old))

    removed = services.roster_files_sweep()

    assert removed == ["rosters/orphan.xlsx"]
    assert sorted(path.name for path in (media / "rosters").iterdir()) == sorted(
        ["fresh.xlsx", kept.file.name.rsplit("/", 1)[-1]]
    )


def test_make_nik_helper_matches_the_rules():
    assert make_nik(BORN, "P", 3) == "6311065403100003"


def test_an_upload_whose_file_is_gone_fails_instead_of_waiting_for_ever(school_a):
    queued = RosterImport.objects.create(school=school_a, original_name="r.xlsx")

    services.roster_import_read(roster_import_id=queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.file_error_code, queued.progress) == (
        RosterImport.Status.FAILED,
        "file_unsupported",
        100,
    )
