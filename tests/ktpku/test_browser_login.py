import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kata-sandi-uji-123"

# What each role's home page shows first, in Indonesian.
EXPECTED_HEADINGS = {
    "admin": "Selamat datang",
    "staf": "Selamat datang",
    "petugas": "Selamat datang",
    "koordinator": "Selamat datang",
    "pimpinan": "Angka program",
}


@pytest.mark.parametrize("role", sorted(EXPECTED_HEADINGS))
def test_login_each_role_sees_its_home_page(page, live_server, role):
    UserFactory(username=f"demo_{role}", role=role)
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(f"demo_{role}")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    assert EXPECTED_HEADINGS[role] in page.locator("h1").inner_text()
