"""In a real browser: staff edit a school and add a blackout period."""

import pytest
from playwright.sync_api import expect

from schools.models import School
from tests.factories import SchoolFactory, UserFactory
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_edits_school(page, live_server):
    staf = UserFactory(username="staf_browser", role="staf")
    school = SchoolFactory(name="SMAN 1 Paringin", npsn="30304567")
    log_in(page, live_server, staf)

    page.goto(f"{live_server.url}/sekolah/")
    page.get_by_test_id("school-row").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/sekolah/{school.pk}/")
    page.get_by_test_id("edit-school").click()
    page.wait_for_url(f"{live_server.url}/sekolah/{school.pk}/ubah/")
    page.locator("#id_name").fill("SMA Negeri 1 Paringin")
    page.locator("#id_head_name").fill("Drs. H. Ahmad")
    page.locator("#save-school").click()
    page.wait_for_url(f"{live_server.url}/sekolah/{school.pk}/")

    assert page.get_by_test_id("school-name").inner_text() == "SMA Negeri 1 Paringin"
    assert School.objects.values_list("name", "head_name").get() == (
        "SMA Negeri 1 Paringin",
        "Drs. H. Ahmad",
    )


def test_staff_edit_with_bad_npsn_shows_error_and_keeps_school(page, live_server):
    staf = UserFactory(username="staf_browser", role="staf")
    school = SchoolFactory(name="SMAN 1 Paringin", npsn="30304567")
    log_in(page, live_server, staf)

    page.goto(f"{live_server.url}/sekolah/{school.pk}/ubah/")
    page.locator("#id_npsn").fill("3030")
    page.locator("#save-school").click()

    expect(page.locator("#id_npsn.is-invalid")).to_have_count(1)
    assert School.objects.get().npsn == "30304567"


def test_staff_adds_blackout_period(page, live_server):
    staf = UserFactory(username="staf_browser", role="staf")
    school = SchoolFactory(name="SMA Negeri 1 Paringin", npsn="30304567")
    log_in(page, live_server, staf)

    page.goto(f"{live_server.url}/sekolah/{school.pk}/")
    page.locator("#id_start").fill("2027-06-07")
    page.locator("#id_end").fill("2027-06-18")
    page.locator("#id_reason").fill("Ujian akhir semester")
    page.locator("#add-blackout").click()
    page.wait_for_url(f"{live_server.url}/sekolah/{school.pk}/#blackouts")

    assert page.get_by_test_id("blackout").count() == 1
    assert list(school.blackouts.values_list("reason", flat=True)) == ["Ujian akhir semester"]
