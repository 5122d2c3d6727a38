"""CFG-04: a Content-Security-Policy that allows no inline script or style, and 405 for
methods the site does not use."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered only into PDFs by WeasyPrint, never sent to a browser: the CSP does not apply,
# and WeasyPrint's url_fetcher loads no stylesheet from outside, so the styles are inline.
PDF_ONLY = TEMPLATES / "campaigns" / "print"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JSON_SCRIPT = re.compile(r"\|\s*json_script")


def _page_templates():
    return [path for path in sorted(TEMPLATES.rglob("*.html")) if PDF_ONLY not in path.parents]


def test_no_template_holds_an_inline_script_style_or_handler():
    found = []
    for path in _page_templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for kind, pattern in (
                ("script", INLINE_SCRIPT),
                ("style", INLINE_STYLE),
                ("handler", HANDLER),
            ):
                if pattern.search(line) and not JSON_SCRIPT.search(line):
                    found.append(f"{path.relative_to(TEMPLATES)}:{number} {kind}")

    assert len(_page_templates()) >= 40
    assert found == []


def test_the_scan_catches_each_kind():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/forms.js"></script>')
    assert INLINE_STYLE.search('<div style="width: 5%">')
    assert INLINE_STYLE.search("<style>p {}</style>")
    assert HANDLER.search('<button onclick="go()">')
    assert not HANDLER.search('<div data-online="1">')


def test_every_page_carries_the_policy(client, staf):
    client.force_login(staf)

    response = client.get("/siswa/")

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert response.status_code == 200
    assert policy == {
        "default-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "worker-src": "'self'",
    }
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_login_page_carries_the_policy_too(client):
    response = client.get("/masuk/")

    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "CONNECT"])
def test_methods_the_site_does_not_use_answer_405(client, staf, method):
    client.force_login(staf)

    response = client.generic(method, "/siswa/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_trace_is_refused_even_before_sign_in(client):
    assert client.generic("TRACE", "/masuk/").status_code == 405


def test_options_and_head_still_answer(client):
    assert client.head("/masuk/").status_code == 200
    assert client.options("/masuk/").status_code == 200
