"""Staff take a campaign from no visit to an accepted plan, move a visit (a refused move
first), download the schedule; the team member then sees the visit. The planner runs in a
real Celery worker, and the page follows it with its progress poll."""

import datetime

import pytest
from playwright.sync_api import expect

from campaigns.models import Visit
from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import celery_worker, log_in

from .factories import CampaignFactory, TeamFactory
from .pdftext import pdf_to_text

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _free_weekday(visit):
    """A Tuesday in March on which neither the team nor the school has a visit."""
    taken = set(Visit.objects.live().filter(team=visit.team).values_list("date", flat=True))
    taken |= set(Visit.objects.live().filter(school=visit.school).values_list("date", flat=True))
    day = datetime.date(2027, 3, 2)
    while day in taken:
        day += datetime.timedelta(weeks=1)
    return day


def test_staff_plan_accept_move_and_print_then_petugas_sees_the_visit(page, live_server, browser):
    staf = UserFactory(username="staf", role="staf")
    member = UserFactory(username="petugas", first_name="Hendra", role="petugas")
    paringin = SchoolFactory(name="SMA Negeri 1 Paringin")
    halong = SchoolFactory(name="SMA Negeri 1 Halong")
    StudentFactory.create_batch(3, school=paringin)
    StudentFactory.create_batch(2, school=halong)
    campaign = CampaignFactory(name="Perekaman 2027", schools=[paringin, halong])
    TeamFactory(campaign=campaign, name="Tim Paringin", members=[member])

    with celery_worker(queue="slow"):
        log_in(page, live_server, staf)
        page.goto(f"{live_server.url}/kampanye/{campaign.pk}/")
        expect(page.get_by_test_id("plan-state")).to_have_text("Belum direncanakan")
        page.get_by_test_id("run-planner").click()
        # The progress box polls until the worker is done, then the page reloads.
        expect(page.get_by_test_id("team-days")).to_have_text("2", timeout=60_000)
        expect(page.get_by_test_id("proposed-count")).to_have_text("2")

    page.get_by_test_id("open-schedule").click()
    page.get_by_test_id("view-list").click()
    expect(page.get_by_test_id("schedule-row")).to_have_count(2)
    page.get_by_test_id("proposal-banner").get_by_test_id("accept-plan").click()
    expect(page.get_by_role("alert").first).to_contain_text("2 usulan kunjungan diterima.")

    visit = Visit.objects.get(school=paringin)
    page.goto(f"{live_server.url}/kunjungan/{visit.pk}/")
    move = page.get_by_test_id("move-form")
    move.locator("#move_date").fill("2027-01-10")
    move.get_by_role("button", name="Pindahkan kunjungan").click()
    expect(page.get_by_test_id("move-form")).to_contain_text(
        "Minggu 10 Januari 2027 adalah hari Minggu."
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ACCEPTED
    new_day = _free_weekday(visit)
    page.get_by_test_id("move-form").locator("#move_date").fill(new_day.isoformat())
    page.get_by_test_id("move-form").get_by_role("button", name="Pindahkan kunjungan").click()
    expect(page.get_by_role("alert").first).to_contain_text("Kunjungan dipindahkan")
    visit.refresh_from_db()
    assert visit.date == new_day

    page.goto(f"{live_server.url}/kampanye/{campaign.pk}/jadwal/")
    with page.expect_download() as download_info:
        page.get_by_test_id("schedule-pdf").click()
    pdf = download_info.value.path().read_bytes()
    text = pdf_to_text(pdf)
    assert "Jadwal Kunjungan" in text
    assert "Tim Paringin SMA Negeri 1 Paringin" in text
    assert "Tim Paringin SMA Negeri 1 Halong" in text

    other = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
    team_page = other.new_page()
    log_in(team_page, live_server, member)
    team_page.goto(live_server.url)
    team_page.get_by_test_id("nav-visits").click()
    rows = team_page.get_by_test_id("my-visit")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="SMA Negeri 1 Paringin")).to_contain_text("Tim Paringin")
    other.close()
