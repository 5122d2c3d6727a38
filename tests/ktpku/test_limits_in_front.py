"""UP-01 without a proxy (413 in Django) and AUTH-01 behind one (a forged X-Forwarded-For
neither resets nor moves the lockout)."""

import pytest
from django.test import RequestFactory

from ktpku.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-uji-123"


def test_a_body_over_the_upload_limit_is_413_before_it_is_read(client, koordinator_a, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(koordinator_a)
    body = b"x" * (settings.UPLOAD_MAX_BYTES + 200 * 1024)

    response = client.generic(
        "POST", "/daftar-siswa/", body, content_type="application/octet-stream"
    )

    assert response.status_code == 413
    assert response.content.decode() == (
        "Berkas terlalu besar. Berkas yang diterima paling besar 1 MB."
    )


def test_a_body_within_the_limit_reaches_the_view(client, koordinator_a, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(koordinator_a)

    response = client.generic(
        "POST", "/daftar-siswa/", b"x" * 1000, content_type="application/octet-stream"
    )

    assert response.status_code == 200


def _request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0

    assert client_ip(_request("203.0.113.7", "10.9.9.9")) == "203.0.113.7"


def test_behind_one_proxy_only_the_entry_it_appended_counts(settings):
    settings.TRUSTED_PROXY_HOPS = 1

    assert client_ip(_request("172.18.0.5", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("172.18.0.5", "203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("172.18.0.5", "not-an-address")) == "172.18.0.5"
    assert client_ip(_request("172.18.0.5")) == "172.18.0.5"


def test_forged_rotating_forwarded_for_does_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    UserFactory(username="koord_x", role="koordinator")

    def attempt(password, forged, real):
        return client.post(
            "/masuk/",
            {"username": "koord_x", "password": password},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR=f"{forged}, {real}",
        )

    for n in range(5):
        attempt("salah-salah-salah", f"10.0.0.{n}", "203.0.113.7")

    assert attempt(PASSWORD, "10.0.0.99", "203.0.113.7").status_code == 429
    # Another office behind the same proxy is not collateral: the key is [username, ip].
    assert attempt(PASSWORD, "10.0.0.1", "198.51.100.9").status_code == 302


def test_nginx_refuses_bodies_just_above_the_upload_limit():
    import re
    from pathlib import Path

    from django.conf import settings as django_settings

    conf = (Path(django_settings.BASE_DIR) / "deploy" / "nginx" / "ktpku.conf").read_text()
    (megabytes,) = re.findall(r"client_max_body_size (\d+)m;", conf)
    limit = int(megabytes) * 1024 * 1024

    assert django_settings.UPLOAD_MAX_BYTES < limit <= django_settings.UPLOAD_MAX_BYTES + 1024**2
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "location /media/" not in conf
