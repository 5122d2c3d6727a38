"""In a real browser: a coordinator uploads a roster, reads the preview, saves, fixes."""

import openpyxl
import pytest
from playwright.sync_api import expect

from students.models import RosterImport, Student
from tests.factories import SchoolFactory, UserFactory
from tests.helpers import log_in

from .conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(media, settings):
    settings.LANGUAGE_CODE = "id"  # the pages as the coordinator sees them, not the English source
    school = SchoolFactory(name="SMA Negeri 1 Paringin", npsn="30304567")
    user = UserFactory(username="koord_browser", role="koordinator")
    school.coordinators.add(user)
    return user, school


def test_coordinator_uploads_previews_confirms_and_downloads_the_rows_to_fix(
    page, live_server, tmp_path, coordinator
):
    user, school = coordinator
    bad = student(2)
    bad[1] = "63110614031"
    path = write_xlsx(tmp_path / "daftar siswa.xlsx", [PLAIN_HEADER, student(1), bad])
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/daftar-siswa/")
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#roster-submit").click()
    page.wait_for_url(f"{live_server.url}/daftar-siswa/*/")
    roster_import = RosterImport.objects.get()

    expect(page.get_by_test_id("count-new")).to_have_text("1")
    expect(page.get_by_test_id("count-refused")).to_have_text("1")
    expect(
        page.locator('[data-testid=issue][data-row="3"][data-code="nik_format"]')
    ).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_test_id("refused-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:8] == tuple(bad)
    assert rows[1][8] == 3
    assert rows[1][9].startswith("NIK: ")
    assert "“631106*****” berisi 11" in rows[1][9]

    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("commit-result")).to_be_visible()
    expect(page.get_by_test_id("roster-status")).to_have_attribute("data-status", "committed")
    assert list(Student.objects.values_list("nik", "school")) == [(student(1)[1], school.pk)]
    roster_import.refresh_from_db()
    assert roster_import.created_count == 1


def test_wrong_kind_of_file_is_refused_before_sending(page, live_server, tmp_path, coordinator):
    user, _school = coordinator
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/daftar-siswa/")
    page.locator("#id_file").set_input_files(str(pdf))

    expect(page.get_by_test_id("client-error")).not_to_be_empty()
    expect(page.locator("#roster-submit")).to_be_disabled()
    assert RosterImport.objects.count() == 0


def test_progress_bar_gives_way_to_the_preview_by_itself(page, live_server, tmp_path, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from students.roster import services

    user, school = coordinator
    path = write_xlsx(tmp_path / "big.xlsx", [PLAIN_HEADER] + [student(n) for n in range(1, 41)])
    # Stored as a large upload is, waiting for its task.
    queued = RosterImport(school=school, uploaded_by=user, original_name="big.xlsx")
    queued.file.save("big.xlsx", SimpleUploadedFile("big.xlsx", path.read_bytes()))
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/daftar-siswa/{queued.pk}/")
    expect(page.get_by_test_id("roster-progress")).to_be_visible()

    services.roster_import_read(roster_import_id=queued.pk)  # what the worker does

    # htmx polls the progress every second and, once read, takes the page to the preview.

    expect(page.get_by_test_id("count-new")).to_have_text("40", timeout=10_000)
    assert page.url == f"{live_server.url}/daftar-siswa/{queued.pk}/"
