"""Staff follow a to-do link from the home page, open the dashboard with its charts,
download the yearly report and the student list as a workbook; the head of office sees the
same figures and no student."""

import datetime

import pytest
from playwright.sync_api import expect

from students import dates
from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import log_in, open_workbook

from .factories import CampaignFactory, VisitFactory
from .pdftext import pdf_to_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_for_staff_and_head_of_office(page, live_server, browser):
    staf = UserFactory(username="staf", role="staf")
    head = UserFactory(username="pimpinan", role="pimpinan")
    school = SchoolFactory(name="SMA Negeri 1 Paringin")
    today = dates.today()
    campaign = CampaignFactory(
        name="Perekaman Sekarang",
        year=today.year,
        first_day=today - datetime.timedelta(days=10),
        last_day=today + datetime.timedelta(days=60),
        schools=[school],
    )
    VisitFactory(campaign=campaign, school=school, date=today + datetime.timedelta(days=5))
    late = StudentFactory(
        school=school, name="Rahmat Hidayat", birth_date=datetime.date(2000, 1, 10)
    )
    # Sixteen and a half: not overdue; named like a formula, which must stay text.
    young = today.replace(day=1) - datetime.timedelta(days=16 * 365 + 180)
    formula = StudentFactory(school=school, name="=SUM(A1)", birth_date=young)

    log_in(page, live_server, staf)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("todo-overdue")).to_contain_text("1")
    page.get_by_test_id("todo-overdue").click()
    expect(page.get_by_text("Rahmat Hidayat")).to_be_visible()

    page.goto(f"{live_server.url}/dasbor/")
    expect(page.get_by_test_id("step-overdue-count")).to_have_text("1")
    expect(page.get_by_test_id("school-row")).to_have_count(1)
    expect(page.locator("#due-chart")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("report-pdf").click()
    text = pdf_to_text(download_info.value.path().read_bytes())
    assert f"Laporan Perekaman KTP-el di Sekolah Tahun {today.year}" in text

    page.goto(f"{live_server.url}/siswa/")
    expect(page.get_by_test_id("student-row")).to_have_count(2)
    with page.expect_download() as download_info:
        page.get_by_test_id("student-export-submit").click()
    sheet = open_workbook(download_info.value.path().read_bytes())["Siswa"]
    assert [(cell.value, cell.data_type) for cell in sheet["A"]] == [
        ("Nama", "s"),
        ("=SUM(A1)", "s"),
        ("Rahmat Hidayat", "s"),
    ]
    assert sheet["B2"].value == formula.nik[:6] + "**********"

    page.context.clear_cookies()
    log_in(page, live_server, head)
    page.goto(f"{live_server.url}/dasbor/")
    expect(page.get_by_test_id("step-overdue-count")).to_have_text("1")
    body = page.content()
    assert "Rahmat Hidayat" not in body
    assert late.nik not in body and late.nik[:6] not in body
