"""The roster pages, by persona: upload, preview, confirm, workbooks, history, moves."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from students.models import RosterImport, SchoolMoveRequest, Student
from students.roster import services
from tests.factories import StudentFactory

from .conftest import PLAIN_HEADER, student, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

UPLOAD = reverse("rosters:upload")


@pytest.fixture(autouse=True)
def _fresh_quota(media):
    from django.core.cache import caches

    caches["shared"].clear()  # the upload quota counts per user and minute


def xlsx_upload(tmp_path, rows, name="roster.xlsx"):
    path = write_xlsx(tmp_path / "source.xlsx", rows)
    return SimpleUploadedFile(name, path.read_bytes())


def post_upload(client, upload, **data):
    return client.post(UPLOAD, {"file": upload, **data})


def ready_import(tmp_path, school, user, rows=None):
    rows = rows or [PLAIN_HEADER, student(1), student(2)]
    return services.roster_import_create(
        school=school, user=user, uploaded_file=xlsx_upload(tmp_path, rows)
    )


def test_coordinator_uploads_sees_preview_and_confirms(client, tmp_path, koordinator_a, school_a):
    bad = student(3)
    bad[1] = "12345"
    client.force_login(koordinator_a)

    response = post_upload(client, xlsx_upload(tmp_path, [PLAIN_HEADER, student(1), bad]))

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rosters:detail", args=[roster_import.pk])
    page = client.get(response["Location"])
    body = page.content.decode()
    assert 'data-testid="count-new">1<' in body
    assert 'data-testid="count-refused">1<' in body
    assert 'data-testid="issue" data-row="3" data-code="nik_format"' in body
    assert Student.objects.count() == 0

    confirmed = client.post(reverse("rosters:confirm", args=[roster_import.pk]))

    assert confirmed.status_code == 302
    assert list(Student.objects.values_list("nik", "school")) == [(student(1)[1], school_a.pk)]
    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.created_count) == ("committed", 1)


def test_coordinator_upload_goes_to_their_own_school_whatever_the_post_says(
    client, tmp_path, koordinator_a, school_a, school_b
):
    client.force_login(koordinator_a)
    post_upload(
        client,
        xlsx_upload(tmp_path, [PLAIN_HEADER, student(1)]),
        school=school_b.pk,
        school_id=school_b.pk,
        is_staff="1",
        is_superuser="1",
        status="ready",
        uploaded_by=1,
    )
    upload = RosterImport.objects.get()
    koordinator_a.refresh_from_db()
    assert (upload.school, upload.uploaded_by) == (school_a, koordinator_a)
    assert (koordinator_a.is_staff, koordinator_a.is_superuser) == (False, False)


def test_staff_choose_the_school(client, tmp_path, staf, school_a, school_b):
    client.force_login(staf)
    missing = post_upload(client, xlsx_upload(tmp_path, [PLAIN_HEADER, student(1)]))
    assert missing.status_code == 200
    assert RosterImport.objects.count() == 0

    post_upload(client, xlsx_upload(tmp_path, [PLAIN_HEADER, student(1)]), school=school_b.pk)
    assert RosterImport.objects.get().school == school_b


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls"),
        (b"%PDF-1.7\n", "scan.xlsx"),
        (bytes(range(256)) * 4, "random.xlsx"),
        (b"PK\x03\x04 broken", "broken.xlsx"),
    ],
)
def test_unreadable_upload_is_a_form_error_and_never_stored(client, koordinator_a, data, name):
    client.force_login(koordinator_a)
    response = post_upload(client, SimpleUploadedFile(name, data))
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("This ")
    assert RosterImport.objects.count() == 0


def test_macro_workbook_is_refused_on_content(client, tmp_path, koordinator_a):
    import zipfile

    source = write_xlsx(tmp_path / "m.xlsx", [PLAIN_HEADER, student(1)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as copy:
        for item in original.infolist():
            copy.writestr(item, original.read(item))
        copy.writestr("xl/vbaProject.bin", b"\x00" * 32)
    client.force_login(koordinator_a)

    response = post_upload(client, SimpleUploadedFile("list.xlsx", buffer.getvalue()))

    assert response.context["form"].errors["file"] == [
        "This workbook contains macros. Save the list as “Excel Workbook (.xlsx)” without "
        "macros and upload that file."
    ]
    assert RosterImport.objects.count() == 0


def test_upload_over_the_size_limit_is_a_form_error(client, tmp_path, koordinator_a, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    client.force_login(koordinator_a)
    response = post_upload(client, SimpleUploadedFile("big.csv", b"Nama;NIK\n" + b"x" * 3000))
    assert response.context["form"].errors["file"][0].startswith("The file is 0.0 MB")
    assert RosterImport.objects.count() == 0


def test_upload_without_csrf_token_is_forbidden(tmp_path, koordinator_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(koordinator_a)
    response = post_upload(client, xlsx_upload(tmp_path, [PLAIN_HEADER, student(1)]))
    assert response.status_code == 403
    assert RosterImport.objects.count() == 0


def test_coordinator_b_cannot_reach_school_a_uploads(
    client, tmp_path, koordinator_a, koordinator_b
):
    roster_import = ready_import(
        tmp_path,
        koordinator_a.coordinated_schools.get(),
        koordinator_a,
        [PLAIN_HEADER, student(1), ["", "1"]],
    )
    client.force_login(koordinator_b)

    for name in ("detail", "progress", "refused"):
        assert client.get(reverse(f"rosters:{name}", args=[roster_import.pk])).status_code == 404
    assert client.post(reverse("rosters:confirm", args=[roster_import.pk])).status_code == 404
    assert Student.objects.count() == 0
    history = client.get(reverse("rosters:history"))
    assert list(history.context["imports"]) == []


def test_staff_see_every_schools_uploads(
    client, tmp_path, staf, koordinator_a, koordinator_b, school_a, school_b
):
    first = ready_import(tmp_path, school_a, koordinator_a)
    second = ready_import(tmp_path, school_b, koordinator_b, [PLAIN_HEADER, student(5)])
    client.force_login(staf)
    history = client.get(reverse("rosters:history"))
    assert [item.pk for item in history.context["imports"]] == [second.pk, first.pk]
    history = client.get(reverse("rosters:history"), {"school": school_a.pk})
    assert [item.pk for item in history.context["imports"]] == [first.pk]
    client.force_login(koordinator_a)
    history = client.get(reverse("rosters:history"))
    assert [item.pk for item in history.context["imports"]] == [first.pk]
    history = client.get(reverse("rosters:history"), {"school": school_b.pk})
    assert list(history.context["imports"]) == []


def test_original_file_name_is_escaped_and_truncated(client, tmp_path, koordinator_a):
    client.force_login(koordinator_a)
    post_upload(
        client,
        xlsx_upload(tmp_path, [PLAIN_HEADER, student(1)], name="<img src=x onerror=alert(1)>.xlsx"),
    )
    roster_import = RosterImport.objects.get()
    body = client.get(reverse("rosters:detail", args=[roster_import.pk])).content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;.xlsx" in body
    assert roster_import.file.name == ""

    long_name = "a" * 300 + ".xlsx"
    post_upload(client, xlsx_upload(tmp_path, [PLAIN_HEADER, student(2)], name=long_name))
    latest = RosterImport.objects.order_by("-pk").first()
    assert len(latest.original_name) <= 255
    body = client.get(reverse("rosters:detail", args=[latest.pk])).content.decode()
    assert "a" * 59 + "…" in body


def test_refused_workbook_has_the_rows_as_text_and_a_fix_column(
    client, tmp_path, koordinator_a, school_a
):
    rows = [PLAIN_HEADER, student(1)]
    for n, name in enumerate(
        ['=HYPERLINK("http://x","a")', "+1+1", "-2", "@SUM(1)", "\t=1", "\r=1"], start=2
    ):
        row = student(n)
        row[0] = name
        row[1] = row[1][:15]  # refused: 15 digits
        rows.append(row)
    source = write_csv(tmp_path / "names.csv", rows)
    roster_import = services.roster_import_create(
        school=school_a,
        user=koordinator_a,
        uploaded_file=SimpleUploadedFile("names.csv", source.read_bytes()),
    )
    client.force_login(koordinator_a)

    response = client.get(reverse("rosters:refused", args=[roster_import.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    raw = response.content
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == (
        "Nama",
        "NIK",
        "JK",
        "Tanggal Lahir",
        "NISN",
        "Kelas",
        "No KK",
        "Tempat Lahir",
        "Row in your file",
        "What to fix",
    )
    # Cells are read stripped of surrounding whitespace, so "\t=1" comes back as "=1":
    # still a string, never a formula.
    assert [row[0] for row in values[1:]] == [
        '=HYPERLINK("http://x","a")',
        "+1+1",
        "-2",
        "@SUM(1)",
        "=1",
        "=1",
    ]
    assert all(sheet.cell(row=n, column=1).data_type == "s" for n in range(2, 8))
    assert [row[8] for row in values[1:]] == [3, 4, 5, 6, 7, 8]
    assert values[1][9].startswith("NIK: The NIK must be exactly 16 digits")
    assert sheet["B2"].number_format == "@"
    assert sheet["B2"].data_type == "s"
    assert sheet["A2"].data_type == "s"


def test_template_download_has_text_identifier_columns_and_instructions(client, koordinator_a):
    client.force_login(koordinator_a)
    response = client.get(reverse("rosters:template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Daftar Siswa", "Instructions"]
    data = workbook["Daftar Siswa"]
    assert [cell.value for cell in data[1]] == [
        "Nama Lengkap",
        "NIK",
        "No KK",
        "NISN",
        "Jenis Kelamin (L/P)",
        "Tempat Lahir",
        "Tanggal Lahir",
        "Kelas",
        "Nama Wali",
        "HP Wali",
    ]
    assert [data.column_dimensions[c].number_format for c in "BCD"] == ["@", "@", "@"]
    assert workbook["Instructions"]["A1"].value == "How to fill in this list"


def test_large_upload_shows_progress_until_the_task_has_read_it(
    client, tmp_path, koordinator_a, django_capture_on_commit_callbacks
):
    from students.roster.tasks import read_roster_import

    client.force_login(koordinator_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_upload(
            client, xlsx_upload(tmp_path, [PLAIN_HEADER] + [student(n) for n in range(1, 2001)])
        )
    callbacks[0]()  # the file is stored; the second callback, sending it, is not run
    roster_import = RosterImport.objects.get()
    progress_url = reverse("rosters:progress", args=[roster_import.pk])

    page = client.get(reverse("rosters:detail", args=[roster_import.pk])).content.decode()
    assert f'hx-get="{progress_url}" hx-trigger="every 1s"' in page
    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert 'data-testid="progress-value">0%<' in partial.content.decode()

    read_roster_import.apply(args=[roster_import.pk])

    done = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Redirect"] == reverse("rosters:detail", args=[roster_import.pk])
    page = client.get(reverse("rosters:detail", args=[roster_import.pk])).content.decode()
    assert 'data-testid="count-new">2,000<' in page or 'data-testid="count-new">2000<' in page


def test_staff_confirm_and_reject_school_moves(
    client, tmp_path, staf, koordinator_a, school_a, school_b
):
    first = StudentFactory(school=school_b, nik=student(1)[1])
    second = StudentFactory(school=school_b, nik=student(2)[1])
    roster_import = ready_import(tmp_path, school_a, koordinator_a)
    services.roster_import_commit(roster_import_id=roster_import.pk, user=koordinator_a)
    moves = {move.student_id: move for move in SchoolMoveRequest.objects.all()}
    client.force_login(staf)

    page = client.get(reverse("rosters:moves"))
    client.post(reverse("rosters:move_confirm", args=[moves[first.pk].pk]))
    client.post(reverse("rosters:move_reject", args=[moves[second.pk].pk]))

    assert page.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.school, second.school) == (school_a, school_b)
    assert set(SchoolMoveRequest.objects.values_list("status", flat=True)) == {
        "confirmed",
        "rejected",
    }


def test_coordinators_cannot_decide_school_moves(
    client, tmp_path, koordinator_a, school_a, school_b
):
    StudentFactory(school=school_b, nik=student(1)[1])
    roster_import = ready_import(tmp_path, school_a, koordinator_a)
    services.roster_import_commit(roster_import_id=roster_import.pk, user=koordinator_a)
    move = SchoolMoveRequest.objects.get()
    client.force_login(koordinator_a)

    assert client.get(reverse("rosters:moves")).status_code == 403
    assert client.post(reverse("rosters:move_confirm", args=[move.pk])).status_code == 403
    move.refresh_from_db()
    assert move.status == "pending"


def many_imports(count, school, user):
    for _ in range(count):
        RosterImport.objects.create(
            school=school,
            uploaded_by=user,
            original_name="r.xlsx",
            status=RosterImport.Status.READY,
            rows=[{"row": 2}],
        )


@pytest.mark.parametrize("count", [1, 3])
def test_history_query_count(client, koordinator_a, school_a, count, django_assert_num_queries):
    many_imports(count, school_a, koordinator_a)
    client.force_login(koordinator_a)
    # session, user, the user's permissions, the group permissions, the imports of the
    # user's schools with school and uploader joined.
    with django_assert_num_queries(5):
        response = client.get(reverse("rosters:history"))
    assert len(response.context["imports"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_history_query_count_for_staff(
    client, staf, koordinator_a, school_a, school_b, count, django_assert_num_queries
):
    many_imports(count, school_a, koordinator_a)
    client.force_login(staf)
    # session, user, the second-factor device, the user's permissions, the group permissions, every
    # school's imports with school and uploader joined, the schools of the filter.
    with django_assert_num_queries(7):
        response = client.get(reverse("rosters:history"))
    assert len(response.context["imports"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_school_move_list_query_count(
    client, staf, school_a, school_b, koordinator_a, count, django_assert_num_queries
):
    roster_import = RosterImport.objects.create(
        school=school_a, uploaded_by=koordinator_a, original_name="r.xlsx"
    )
    for _ in range(count):
        SchoolMoveRequest.objects.create(
            student=StudentFactory(school=school_b),
            from_school=school_b,
            to_school=school_a,
            roster_import=roster_import,
        )
    client.force_login(staf)
    # session, user, the second-factor device, the user's permissions, the group permissions, the
    # moves with student, both schools, the decider and the upload's uploader joined, the uploads
    # asking for many moves (the warning) with their pending counts.
    with django_assert_num_queries(7):
        response = client.get(reverse("rosters:moves"))
    assert len(response.context["moves"]) == count


def test_file_without_a_header_row_is_a_form_error_and_kept_in_history(
    client, tmp_path, koordinator_a
):
    client.force_login(koordinator_a)
    response = post_upload(client, xlsx_upload(tmp_path, [["Nomor", "Alamat"], ["1", "Jl."]]))

    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("No header row with the columns Nama, NIK, Jenis Kelamin and Tanggal Lahir")
    )
    failed = RosterImport.objects.get()
    assert (failed.status, failed.file_error_code) == ("failed", "header_not_found")
    page = client.get(reverse("rosters:detail", args=[failed.pk])).content.decode()
    assert 'data-testid="file-error" data-code="header_not_found"' in page


def test_too_many_uploads_in_a_minute_are_refused(client, koordinator_a, time_machine):
    import datetime

    from students.roster.views import UPLOADS_PER_MINUTE

    time_machine.move_to(datetime.datetime(2026, 11, 30, 2, 0, 10, tzinfo=datetime.UTC), tick=False)
    client.force_login(koordinator_a)
    statuses = [
        post_upload(client, SimpleUploadedFile("x.csv", b"")).status_code
        for _ in range(UPLOADS_PER_MINUTE + 1)
    ]
    time_machine.move_to(datetime.datetime(2026, 11, 30, 2, 1, 10, tzinfo=datetime.UTC), tick=False)
    next_minute = post_upload(client, SimpleUploadedFile("x.csv", b"")).status_code

    assert statuses == [200] * UPLOADS_PER_MINUTE + [429]
    assert next_minute == 200
