"""LOG-02 as a proxy sees it: Chromium through every NIK flow against gunicorn, whose
access log (request line with query string, and Referer) then holds no 16-digit run, and
whose application log holds neither the NIK, the KK number, the session id nor a password
typed at the sign-in page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import session_cookies, web_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIXTEEN_DIGITS = re.compile(r"\d{16}")


WRONG_PASSWORD, RIGHT_PASSWORD = "Salah-Sandi-7731", "kata-sandi-uji-123"  # the factory's
PASSWORDS = (WRONG_PASSWORD, RIGHT_PASSWORD)


def test_a_browser_run_through_the_nik_flows_leaves_no_nik_in_the_access_log(page, tmp_path, media):
    admin = UserFactory(username="admin_log", role="admin")
    school = SchoolFactory(name="SMA Negeri 2 Paringin", npsn="30304568")
    student = StudentFactory(school=school, name="Nur Aisyah", kk_number="6311060101090001")
    nik = student.nik
    detail = f"/siswa/{student.pk}/"

    cookies = session_cookies(admin)
    with web_server(tmp_path) as url:
        # Signing in: a wrong password, then the right one (the second factor's page follows).
        for password in (WRONG_PASSWORD, RIGHT_PASSWORD):
            page.goto(f"{url}/masuk/")
            page.locator("input[name=username]").fill("admin_log")
            page.locator("input[name=password]").fill(password)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_load_state()
        assert "/masuk/" not in page.url  # past the password, at the second factor
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": name, "value": value, "url": url} for name, value in cookies.items()]
        )
        # The student list's search box, with a NIK pasted in two parts.
        page.goto(f"{url}/siswa/")
        page.locator("[data-testid=student-filter] input[name=q]").fill(f"{nik[:6]} {nik[6:]}")
        page.get_by_test_id("filter-submit").click()
        page.wait_for_url(f"{url}{detail}")
        # The NIK search box, then the student's page and the deliberate reveal.
        page.goto(f"{url}/siswa/")
        page.locator("[data-testid=nik-search] input[name=nik]").fill(nik)
        page.locator("[data-testid=nik-search] button").click()
        page.wait_for_url(f"{url}{detail}")
        page.get_by_test_id("reveal-nik").click()
        expect(page.get_by_test_id("student-nik")).to_have_text(nik)
        expect(page.get_by_test_id("student-kk")).to_have_text(student.kk_number)
        # The audit trail's "everything done to one child".
        page.goto(f"{url}/siswa/jejak-audit/")
        page.locator("[data-testid=audit-child-form] input[name=nik]").fill(nik)
        page.locator("[data-testid=audit-child-form] button").click()
        expect(page.get_by_role("heading", name=re.compile("Nur Aisyah"))).to_be_visible()
        # The admin's student list: a NIK is stopped in the page, a name is searched.
        page.goto(f"{url}/admin/students/student/")
        page.locator("#searchbar").fill(nik)
        page.locator("#searchbar").press("Enter")
        expect(page.get_by_test_id("identifier-refused")).to_have_text(
            "Nomor identitas tidak dapat dicari di sini: kata pencarian masuk ke alamat halaman."
        )
        assert page.url == f"{url}/admin/students/student/"
        page.locator("#searchbar").fill("Aisyah")
        page.locator("#searchbar").press("Enter")
        page.wait_for_url(f"{url}/admin/students/student/?q=Aisyah")
        page.get_by_role("link", name="Nur Aisyah").click()
        page.wait_for_url(f"{url}/admin/students/student/{student.pk}/change/*")

    lines = (tmp_path / "access.log").read_text().splitlines()
    requests = [re.search(r'"(\w+ \S+) HTTP', line).group(1) for line in lines]
    assert {
        f"POST /siswa/{student.pk}/nik/",
        "POST /siswa/jejak-audit/",
        "GET /admin/students/student/?q=Aisyah",
        f"GET /admin/students/student/{student.pk}/change/?_changelist_filters=q%3DAisyah",
    } <= set(requests)
    assert [line for line in lines if SIXTEEN_DIGITS.search(line)] == []
    # The app's own log lines of the same run: no NIK, KK number or session id either.
    app_log = (tmp_path / "server.log").read_text()
    for secret in (nik, student.kk_number, *cookies.values(), WRONG_PASSWORD, RIGHT_PASSWORD):
        assert secret not in app_log
    assert not any(password in line for line in lines for password in PASSWORDS)
