"""A recorded, print-ready student's card from the nightly flag to the handover: staff print
it, download the receipt list, the school's coordinator sees the card coming, and staff
record the signed handover with the IKD activation."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from students import dates, lifecycle
from students.models import EventKind, Status, Student
from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import log_in

from .factories import CampaignFactory, TeamFactory, VisitFactory
from .pdftext import pdf_to_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_print_ready_to_handed_over_with_receipt_and_coordinator_list(page, live_server, browser):
    today = dates.today()
    staf = UserFactory(username="staf", role="staf")
    guru = UserFactory(username="guru", role="koordinator")
    school = SchoolFactory(name="SMA Negeri 1 Paringin", coordinators=[guru])
    campaign = CampaignFactory(schools=[school])
    team = TeamFactory(campaign=campaign, name="Tim Paringin")
    visit = VisitFactory(
        campaign=campaign, team=team, school=school, date=today + datetime.timedelta(days=3)
    )
    born = dates.latest_birth_date(dates.CARD_AGE, today) - datetime.timedelta(days=10)
    ani = StudentFactory(school=school, name="Ani Rahmawati", birth_date=born, class_name="XII-1")
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(ani, kind, on=today - datetime.timedelta(days=30), by=staf)
    out = io.StringIO()
    call_command("flag_due_cards", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["due_for_print"] == [ani.nik]

    log_in(page, live_server, staf)
    page.goto(f"{live_server.url}/kartu/cetak/")
    row = page.get_by_test_id("queue-row")
    expect(row).to_contain_text("Ani Rahmawati")
    expect(row).to_contain_text(ani.masked_nik)
    row.get_by_test_id("print-one").click()
    expect(page.get_by_role("alert").first).to_contain_text("1 kartu ditandai sudah dicetak.")

    page.goto(f"{live_server.url}/kartu/serah-terima/")
    page.get_by_test_id("batch-row").get_by_role("link", name="SMA Negeri 1 Paringin").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("receipt-pdf").click()
    text = pdf_to_text(Path(download_info.value.path()).read_bytes())
    assert "Tanda Terima Kartu KTP-el" in text
    assert f"Ani Rahmawati XII-1 {ani.masked_nik}" in text
    assert ani.nik not in text
    assert "Tim Paringin" in text

    coordinator = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
    coordinator_page = coordinator.new_page()
    log_in(coordinator_page, live_server, guru)
    coordinator_page.goto(f"{live_server.url}/kartu/siap/")
    card = coordinator_page.get_by_test_id("card-ready")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Ani Rahmawati")
    expect(card).to_contain_text(ani.masked_nik)
    expect(coordinator_page.get_by_test_id("cards-ready")).not_to_contain_text(ani.nik)
    coordinator.close()

    item = page.get_by_test_id("batch-item")
    item.get_by_role("checkbox", name="Tanda tangan: Ani Rahmawati").check()
    item.get_by_role("checkbox", name="IKD: Ani Rahmawati").check()
    page.get_by_test_id("handover-ticked").click()
    expect(page.get_by_role("alert").first).to_contain_text("1 kartu sudah diserahkan.")
    expect(page.get_by_test_id("batch-item")).to_contain_text("Sudah diserahkan")

    ani = Student.objects.get(pk=ani.pk)
    assert ani.status == Status.HANDED_OVER
    handed = ani.events.get(kind=EventKind.HANDED_OVER)
    assert (handed.date, handed.visit_id, handed.recorded_by) == (today, visit.pk, staf)
    assert ani.events.filter(kind=EventKind.IKD_ACTIVATED).count() == 1
