"""In a real browser: find a student by name, open the timeline, record the next event."""

import datetime

import pytest
from playwright.sync_api import expect

from students import lifecycle
from students.models import EventKind, Student
from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_finds_student_by_name_and_records_next_event(page, live_server):
    staf = UserFactory(username="staf_browser", role="staf")
    school = SchoolFactory(name="SMA Negeri 1 Paringin", npsn="30304567")
    student = StudentFactory(
        school=school, name="Rahmat Hidayat", birth_date=datetime.date(2009, 5, 17)
    )
    StudentFactory(school=school, name="Siti Rahmah")
    lifecycle.apply(student, EventKind.SCHEDULED, on=datetime.date(2026, 1, 5), by=staf)
    log_in(page, live_server, staf)

    page.goto(f"{live_server.url}/siswa/")
    page.locator("[data-testid=student-filter] input[name=q]").fill("Hidayat")
    page.get_by_test_id("filter-submit").click()
    page.wait_for_url("**/siswa/?q=Hidayat*")
    rows = page.get_by_test_id("student-row")
    assert rows.count() == 1
    assert rows.first.locator("td").nth(1).inner_text() == student.nik[:6] + "**********"
    rows.first.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/siswa/{student.pk}/")
    assert page.get_by_test_id("student-name").inner_text() == "Rahmat Hidayat"
    assert page.get_by_test_id("timeline-event").count() == 1

    page.locator("select[name=kind]").select_option("recorded")
    page.locator("input[name=date]").fill("2026-01-05")
    page.locator("#record-event").click()

    expect(page.get_by_test_id("timeline-event")).to_have_count(2)
    assert Student.objects.get(pk=student.pk).status == "recorded"
