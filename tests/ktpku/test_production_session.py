"""SESS-01, SESS-03 and CFG-04 with the security settings production gets.

settings.py sets them only with DEBUG off outside the tests; a subprocess reads them as
production would, and the tests run the real sign-in and sign-out under those values.
"""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.helpers import ROOT

pytestmark = pytest.mark.django_db

NAMES = [
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]
HTTPS = {"secure": True, "HTTP_X_FORWARDED_PROTO": "https"}  # what nginx sends


@pytest.fixture(scope="module")
def production():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "PYTEST_CURRENT_TEST", "KTPKU_TESTING")
    }
    env |= {
        "DEBUG": "false",
        "SECRET_KEY": "x7-" + "kP2qL9vR4tY8wZ1mN6bC3dF5gH0jK" * 2,
        "DJANGO_SETTINGS_MODULE": "ktpku.settings",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {NAMES!r}}}))"
    )
    result = subprocess.run(  # noqa: S603 - our own settings, read by this interpreter
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def as_in_production(settings, production):
    for name, value in production.items():
        setattr(settings, name, value)
    return production


def test_production_names_host_only_secure_cookies(production):
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert production["SESSION_COOKIE_DOMAIN"] is None
    assert production["CSRF_COOKIE_DOMAIN"] is None


def test_sign_in_sets_secure_http_only_same_site_cookies(as_in_production, koordinator_a):
    client = Client()

    page = client.get("/masuk/", **HTTPS)
    signed_in = client.post(
        "/masuk/", {"username": "koord_a", "password": "kata-sandi-uji-123"}, **HTTPS
    )

    csrf = page.cookies["__Host-csrftoken"]
    assert (csrf["secure"], csrf["samesite"], csrf["path"], csrf["domain"]) == (
        True,
        "Lax",
        "/",
        "",
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["__Host-sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert (session["path"], session["domain"]) == ("/", "")
    assert "Secure" in session.OutputString()
    assert "HttpOnly" in session.OutputString()


def test_pages_carry_hsts_and_plain_http_goes_to_https(as_in_production):
    client = Client()

    page = client.get("/masuk/", **HTTPS)
    plain = client.get("/masuk/")

    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert (page["X-Frame-Options"], page["X-Content-Type-Options"]) == ("DENY", "nosniff")
    assert page["Referrer-Policy"] == "same-origin"
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/masuk/")


def test_an_old_session_cookie_opens_nothing_after_logout(as_in_production, koordinator_a):
    browser = Client()
    browser.post("/masuk/", {"username": "koord_a", "password": "kata-sandi-uji-123"}, **HTTPS)
    old = browser.cookies["__Host-sessionid"].value
    assert browser.get("/siswa/", **HTTPS).status_code == 200

    out = browser.post("/keluar/", **HTTPS)
    replay = Client()
    replay.cookies["__Host-sessionid"] = old
    response = replay.get("/siswa/", **HTTPS)

    assert (out.status_code, out["Location"]) == (302, "/masuk/")
    assert (response.status_code, response["Location"]) == (302, "/masuk/?next=/siswa/")
