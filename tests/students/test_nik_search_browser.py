"""LOG-02 in a real browser: a NIK search never puts the NIK into any URL requested."""

import re

import pytest

from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIXTEEN_DIGITS = re.compile(r"\d{16}")


def test_nik_searches_leave_no_sixteen_digit_run_in_any_url(page, live_server):
    staf = UserFactory(username="staf_nik_browser", role="staf")
    school = SchoolFactory(name="SMA Negeri 2 Paringin", npsn="30304568")
    student = StudentFactory(school=school, name="Nur Aisyah")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, live_server, staf)

    page.goto(f"{live_server.url}/siswa/")
    page.locator("[data-testid=student-filter] input[name=q]").fill(
        f"{student.nik[:6]} {student.nik[6:]}"
    )
    page.get_by_test_id("filter-submit").click()
    page.wait_for_url(f"{live_server.url}/siswa/{student.pk}/")
    page.goto(f"{live_server.url}/siswa/")
    page.locator("[data-testid=nik-search] input[name=nik]").fill(student.nik)
    page.locator("[data-testid=nik-search] button").click()
    page.wait_for_url(f"{live_server.url}/siswa/{student.pk}/")

    assert page.get_by_test_id("student-name").inner_text() == "Nur Aisyah"
    pages = [url for url in requested if "/static/" not in url]
    assert pages == [
        f"{live_server.url}/siswa/",
        f"{live_server.url}/siswa/",
        f"{live_server.url}/siswa/{student.pk}/",
        f"{live_server.url}/siswa/",
        f"{live_server.url}/siswa/",
        f"{live_server.url}/siswa/{student.pk}/",
    ]
    assert [url for url in requested if SIXTEEN_DIGITS.search(url)] == []
