"""CFG-04 in a real browser: the pages run under the policy without a single refusal."""

import pytest

from tests.factories import StudentFactory, UserFactory
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_load_their_scripts_and_styles_without_a_policy_refusal(page, live_server):
    StudentFactory.create_batch(3)
    staf = UserFactory(username="staf_csp", role="staf")
    refusals = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, live_server, staf)

    for path in ("/", "/siswa/", "/daftar-siswa/", "/sekolah/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.htmx") == "object"

    # Bootstrap's scripts ran: the user menu opens.
    page.get_by_test_id("nav-user").click()
    assert page.locator(".dropdown-menu.show").count() == 1
    assert refusals == []
