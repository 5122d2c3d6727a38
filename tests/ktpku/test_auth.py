import datetime
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kata-sandi-uji-123"


def test_login_five_wrong_passwords_lock_the_account_for_that_address(client):
    UserFactory(username="koord_x", role="koordinator")
    for _attempt in range(5):
        client.post("/masuk/", {"username": "koord_x", "password": "salah-salah-salah"})
    response = client.post("/masuk/", {"username": "koord_x", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_lasts_until_the_cool_off_ends(client, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 4, 8, 0, tzinfo=datetime.UTC), tick=False)
    UserFactory(username="koord_x", role="koordinator")
    for _attempt in range(5):
        client.post("/masuk/", {"username": "koord_x", "password": "salah-salah-salah"})
    time_machine.shift(datetime.timedelta(minutes=15, seconds=1))  # AXES_COOLOFF_TIME

    after = client.post("/masuk/", {"username": "koord_x", "password": PASSWORD})

    assert (after.status_code, after["Location"]) == (302, "/")


def test_a_try_during_the_lockout_is_refused(client, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 4, 8, 0, tzinfo=datetime.UTC), tick=False)
    UserFactory(username="koord_x", role="koordinator")
    for _attempt in range(5):
        client.post("/masuk/", {"username": "koord_x", "password": "salah-salah-salah"})
    time_machine.shift(datetime.timedelta(minutes=14))

    response = client.post("/masuk/", {"username": "koord_x", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_lockout_does_not_hit_another_user_behind_the_same_address(client):
    UserFactory(username="koord_x", role="koordinator")
    UserFactory(username="koord_y", role="koordinator")
    for _attempt in range(5):
        client.post("/masuk/", {"username": "koord_x", "password": "salah-salah-salah"})
    response = client.post("/masuk/", {"username": "koord_y", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_without_csrf_token_is_refused(staf):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staf)
    response = client.post("/keluar/")
    assert response.status_code == 403
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/keluar/", "/daftar-siswa/", "/siswa/"])
def test_a_post_from_another_site_is_refused_even_with_a_good_token(koordinator_a, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(koordinator_a)
    client.get("/siswa/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    foreign = client.post(path, {"csrfmiddlewaretoken": token}, HTTP_ORIGIN="https://evil.example")

    assert foreign.status_code == 403
    assert client.get("/").status_code == 200
    own = client.post("/keluar/", {"csrfmiddlewaretoken": token}, HTTP_ORIGIN="http://testserver")
    assert (own.status_code, own["Location"]) == (302, "/masuk/")


def test_logout_clears_the_http_cache_but_not_the_storage_of_unsent_outcomes(client, petugas):
    client.force_login(petugas)

    response = client.post("/keluar/")

    assert response.status_code == 302
    assert response["Location"] == "/masuk/"
    assert response["Clear-Site-Data"] == '"cache"'
    assert client.get("/").status_code == 302


def test_pages_wire_the_offline_cleanup_to_logout_and_the_sign_in_page(client, petugas):
    sign_in = client.get("/masuk/").content.decode()
    client.force_login(petugas)
    home = client.get("/").content.decode()

    assert "js/offline_cleanup" in sign_in and "data-offline-cleanup" in sign_in
    assert f'data-logout data-user="{petugas.pk}"' in home
    assert 'data-testid="unsent-warning"' in home


def test_password_change_refuses_short_and_common_passwords(client, staf):
    client.force_login(staf)
    for weak in ("password123", "pendek-11ch"):
        response = client.post(
            "/kata-sandi/", {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["new_password2"]
    phrase = "tiga ekor kucing tidur di bawah meja guru 🐈 sepanjang siang hari ini ya"
    response = client.post(
        "/kata-sandi/", {"old_password": PASSWORD, "new_password1": phrase, "new_password2": phrase}
    )
    assert response.status_code == 302


def test_templates_load_no_asset_from_another_host():
    remote = re.compile(r"""(src|href)=["'](https?:)?//""")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if remote.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_unknown_page_answers_404_in_the_site_layout(client, staf):
    client.force_login(staf)
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "templates/404.html" in [
        t.origin.name.replace(str(ROOT) + "/", "") for t in response.templates[:1]
    ]
