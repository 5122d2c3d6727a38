"""The visit checklist in Chromium on a 10-inch tablet: a whole small visit by touch, and
the same page without signal (service worker, IndexedDB queue, sent once when back)."""

import datetime

import pytest
from playwright.sync_api import expect

from campaigns.models import OutcomeChange, Team, VisitOutcome
from students import dates
from students.models import EventKind, Status, StudentEvent
from tests.factories import StudentFactory, UserFactory
from tests.helpers import log_in, wait_for

from .factories import TeamFactory, VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 1280, "height": 800}


def small_visit(names):
    leader = UserFactory(username="ketua", first_name="Hendra", role="petugas")
    born = dates.today().replace(year=dates.today().year - 17) - datetime.timedelta(days=3)
    pupils = [
        StudentFactory(name=name, birth_date=born, class_name=f"X-{n % 2 + 1}")
        for n, name in enumerate(names)
    ]
    school = pupils[0].school
    for pupil in pupils[1:]:
        pupil.school = school
        pupil.save()
    team = TeamFactory(name="Tim Paringin", members=[leader])
    Team.objects.filter(pk=team.pk).update(leader=leader)
    visit = VisitFactory(
        campaign=team.campaign, team=team, school=school, date=dates.today(), students=pupils
    )
    return leader, visit


def tablet_page(browser, live_server, user):
    context = browser.new_context(
        viewport=TABLET, has_touch=True, locale="id-ID", timezone_id="Asia/Makassar"
    )
    page = context.new_page()
    log_in(page, live_server, user)
    return context, page


def row(page, name):
    return page.get_by_test_id("student-row").filter(has_text=name)


def counts(page):
    return {
        name: page.get_by_test_id(f"count-{name}").inner_text()
        for name in ("recorded", "absent", "failed", "others", "waiting")
    }


def test_a_whole_small_visit_on_a_tablet(browser, live_server):
    names = ["Ahmad Fauzi", "Bunga Lestari", "Citra Dewi", "Dimas Pratama", "Eka Putri"]
    leader, visit = small_visit(names)
    context, page = tablet_page(browser, live_server, leader)

    page.goto(f"{live_server.url}/kunjungan/hari-ini/")
    page.get_by_test_id("open-checklist").tap()
    expect(page.get_by_test_id("checklist")).to_have_attribute("data-ready", "1")
    expect(page.get_by_test_id("count-waiting")).to_have_text("5")

    row(page, "Ahmad Fauzi").get_by_role("button", name="Sudah direkam", exact=True).tap()
    row(page, "Bunga Lestari").get_by_role("button", name="Tidak hadir").tap()
    citra = row(page, "Citra Dewi")
    citra.get_by_role("button", name="Gagal…").tap()
    citra.get_by_role("button", name="Alat bermasalah").tap()
    # Dimas is recorded by mistake, and the tap undone.
    page.get_by_test_id("checklist-search").fill("dimas")
    expect(page.get_by_test_id("student-row").filter(visible=True)).to_have_count(1)
    row(page, "Dimas Pratama").get_by_role("button", name="Sudah direkam", exact=True).tap()
    expect(page.get_by_test_id("queue-waiting")).to_have_text("0")
    row(page, "Dimas Pratama").get_by_role("button", name="Batalkan").tap()
    page.get_by_test_id("checklist-search").fill("")
    expect(page.get_by_test_id("queue-waiting")).to_have_text("0")
    assert counts(page) == {
        "recorded": "1",
        "absent": "1",
        "failed": "1",
        "others": "0",
        "waiting": "2",
    }

    page.get_by_test_id("rest-absent").tap()
    expect(page.get_by_test_id("count-absent")).to_have_text("3")
    expect(page.get_by_test_id("queue-waiting")).to_have_text("0")
    expect(page.get_by_test_id("count-waiting")).to_have_text("0")
    page.get_by_test_id("close-visit").tap()

    expect(page.get_by_test_id("closed-banner")).to_be_visible()
    expect(page.get_by_test_id("catch-up-row")).to_have_text(
        [  # by class, then name
            "Citra Dewi · Perekaman gagal",
            "Eka Putri · Tidak hadir",
            "Bunga Lestari · Tidak hadir",
            "Dimas Pratama · Tidak hadir",
        ]
    )
    assert counts(page) == {
        "recorded": "1",
        "absent": "3",
        "failed": "1",
        "others": "0",
        "waiting": "0",
    }
    outcomes = dict(
        VisitOutcome.objects.filter(visit=visit).values_list("student__name", "outcome")
    )
    assert outcomes == {
        "Ahmad Fauzi": "recorded",
        "Bunga Lestari": "absent",
        "Citra Dewi": "failed",
        "Dimas Pratama": "absent",
        "Eka Putri": "absent",
    }
    statuses = dict(visit.students.values_list("name", "status"))
    assert statuses == {
        "Ahmad Fauzi": Status.RECORDED,
        "Bunga Lestari": Status.ON_ROSTER,
        "Citra Dewi": Status.ON_ROSTER,
        "Dimas Pratama": Status.ON_ROSTER,
        "Eka Putri": Status.ON_ROSTER,
    }
    assert list(
        StudentEvent.objects.filter(student__name="Dimas Pratama").values_list("kind", flat=True)
    ) == [EventKind.RECORDED, EventKind.UNDONE, EventKind.ABSENT]
    context.close()


def test_the_checklist_works_offline_and_sends_each_outcome_once(browser, live_server):
    leader, visit = small_visit(["Ahmad Fauzi", "Bunga Lestari", "Citra Dewi"])
    context, page = tablet_page(browser, live_server, leader)
    url = f"{live_server.url}/kunjungan/{visit.pk}/daftar/"
    page.goto(url)
    expect(page.get_by_test_id("checklist")).to_have_attribute("data-offline-ready", "1")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    # A reloaded page can start before the emulated cut reaches it, and send at once: what
    # goes to the office fails as it would without signal.
    outcomes_url = f"**/kunjungan/{visit.pk}/hasil/"
    context.route(outcomes_url, lambda route: route.abort("internetdisconnected"))
    # The emulated cut reaches the page a moment later: tap once the page knows, as a
    # person would after the signal went.
    page.wait_for_function("navigator.onLine === false")
    row(page, "Ahmad Fauzi").get_by_role("button", name="Sudah direkam", exact=True).tap()
    row(page, "Bunga Lestari").get_by_role("button", name="Tidak hadir").tap()
    expect(page.get_by_test_id("queue-waiting")).to_have_text("2")
    page.reload()  # still offline: the kept page, and the queue from IndexedDB
    expect(page.get_by_test_id("checklist")).to_have_attribute("data-ready", "1")
    expect(page.get_by_test_id("queue-waiting")).to_have_text("2")
    expect(page.get_by_test_id("count-recorded")).to_have_text("1")
    expect(row(page, "Bunga Lestari").get_by_test_id("row-pending")).to_contain_text(
        "menunggu dikirim"
    )
    assert not VisitOutcome.objects.filter(visit=visit).exclude(outcome="").exists()

    context.unroute(outcomes_url)
    context.set_offline(False)
    expect(page.get_by_test_id("queue-waiting")).to_have_text("0", timeout=30_000)
    expect(page.get_by_test_id("last-sent")).not_to_have_text("belum ada yang terkirim")
    page.reload()
    expect(page.get_by_test_id("count-recorded")).to_have_text("1")
    expect(page.get_by_test_id("count-absent")).to_have_text("1")

    outcomes = dict(
        VisitOutcome.objects.filter(visit=visit).values_list("student__name", "outcome")
    )
    assert outcomes == {"Ahmad Fauzi": "recorded", "Bunga Lestari": "absent"}
    assert OutcomeChange.objects.filter(visit=visit).count() == 2
    assert sorted(
        StudentEvent.objects.filter(student__in=visit.students.all()).values_list(
            "student__name", "kind"
        )
    ) == [("Ahmad Fauzi", EventKind.RECORDED), ("Bunga Lestari", EventKind.ABSENT)]
    context.close()


KEPT_PAGES = "caches.keys().then(names => names.filter(n => n.startsWith('ktpku-offline')))"
STORED = """() => new Promise(resolve => {
  const open = indexedDB.open('ktpku-checklist');
  open.onsuccess = () => {
    const tx = open.result.transaction(['queue', 'known'], 'readonly');
    const queue = tx.objectStore('queue').count();
    const known = tx.objectStore('known').count();
    tx.oncomplete = () => { open.result.close(); resolve([queue.result, known.result]); };
  };
})"""


def log_out(page):
    page.get_by_test_id("nav-user").click()
    page.get_by_test_id("logout").click()


def test_logout_removes_the_kept_lists_and_warns_of_unsent_outcomes(browser, live_server):
    leader, visit = small_visit(["Ahmad Fauzi", "Bunga Lestari"])
    context, page = tablet_page(browser, live_server, leader)
    url = f"{live_server.url}/kunjungan/{visit.pk}/daftar/"
    page.goto(url)
    expect(page.get_by_test_id("checklist")).to_have_attribute("data-offline-ready", "1")
    row(page, "Ahmad Fauzi").get_by_role("button", name="Sudah direkam", exact=True).tap()
    expect(page.get_by_test_id("queue-waiting")).to_have_text("0")
    # Bunga's outcome finds no signal: it waits on the tablet.
    page.route(f"**/kunjungan/{visit.pk}/hasil/", lambda route: route.abort())
    row(page, "Bunga Lestari").get_by_role("button", name="Tidak hadir").tap()
    expect(page.get_by_test_id("queue-waiting")).to_have_text("1")
    assert page.evaluate(KEPT_PAGES) == ["ktpku-offline-v1"]

    log_out(page)
    warning = page.get_by_test_id("unsent-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("belum terkirim ke kantor: 1.")
    warning.get_by_test_id("unsent-stay").click()
    expect(warning).to_be_hidden()
    expect(page.get_by_test_id("checklist")).to_be_visible()  # still signed in, nothing lost
    assert page.evaluate(KEPT_PAGES) == ["ktpku-offline-v1"]

    log_out(page)
    warning.get_by_test_id("unsent-leave").click()
    page.wait_for_url(f"{live_server.url}/masuk/")

    assert page.evaluate(KEPT_PAGES) == []
    assert page.evaluate(STORED) == [1, 0]  # the unsent outcome stays; what was sent goes
    assert not VisitOutcome.objects.filter(visit=visit, student__name="Bunga Lestari").exists()

    # Signed in again, the checklist sends it (once, as the officer who entered it).
    page.unroute(f"**/kunjungan/{visit.pk}/hasil/")
    log_in(page, live_server, leader)
    page.goto(url)
    sent = VisitOutcome.objects.filter(visit=visit, student__name="Bunga Lestari")
    # The counter reads 0 before the page has read its queue: wait for the outcome itself.
    assert wait_for(sent.exists, 30, step=0.1)
    expect(page.get_by_test_id("queue-waiting")).to_have_text("0")
    outcome = sent.get()
    assert (outcome.outcome, outcome.changed_by) == ("absent", leader)
    context.close()


def test_logout_with_everything_sent_asks_nothing(browser, live_server):
    leader, visit = small_visit(["Ahmad Fauzi"])
    context, page = tablet_page(browser, live_server, leader)
    page.goto(f"{live_server.url}/kunjungan/{visit.pk}/daftar/")
    expect(page.get_by_test_id("checklist")).to_have_attribute("data-offline-ready", "1")
    row(page, "Ahmad Fauzi").get_by_role("button", name="Sudah direkam", exact=True).tap()
    expect(page.get_by_test_id("queue-waiting")).to_have_text("0")

    log_out(page)
    page.wait_for_url(f"{live_server.url}/masuk/")

    assert page.evaluate(KEPT_PAGES) == []
    assert page.evaluate(STORED) == [0, 0]
    context.close()


def test_the_sign_in_page_removes_the_kept_lists_of_a_session_that_ended(browser, live_server):
    leader, visit = small_visit(["Ahmad Fauzi"])
    context, page = tablet_page(browser, live_server, leader)
    page.goto(f"{live_server.url}/kunjungan/{visit.pk}/daftar/")
    expect(page.get_by_test_id("checklist")).to_have_attribute("data-offline-ready", "1")
    row(page, "Ahmad Fauzi").get_by_role("button", name="Sudah direkam", exact=True).tap()
    expect(page.get_by_test_id("queue-waiting")).to_have_text("0")
    context.clear_cookies()  # the session ended (idle, or signed out elsewhere)

    page.goto(f"{live_server.url}/masuk/")

    page.wait_for_function(f"{KEPT_PAGES}.then(names => names.length === 0)")
    page.wait_for_function(f"({STORED})().then(counts => counts[1] === 0)")
    assert page.evaluate(KEPT_PAGES) == []
    assert page.evaluate(STORED) == [0, 0]
    context.close()
