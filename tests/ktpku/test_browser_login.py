import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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
    if role in ("admin", "staf"):
        # First sign-in of office staff: enrol an authenticator app (AUTH-03).
        page.wait_for_url(f"{live_server.url}/dua-langkah/daftar/")
        assert page.locator(".second-factor-qr svg").count() == 1
        device = TOTPDevice.objects.get(user__username=f"demo_{role}")
        assert page.locator("[data-secret]").inner_text().strip()
        page.get_by_label("Kode").fill(str(totp(device.bin_key)).zfill(6))
        page.get_by_role("button", name="Konfirmasi").click()
        assert page.locator("[data-recovery-codes] li").count() == 10
        page.get_by_role("link", name="Kode sudah saya simpan, lanjutkan").click()
    page.wait_for_url(f"{live_server.url}/")
    assert EXPECTED_HEADINGS[role] in page.locator("h1").inner_text()
