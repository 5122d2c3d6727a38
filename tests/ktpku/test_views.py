"""CFG-02: with DEBUG off, a 404 and a 500 show the office's own pages, never a traceback."""

import logging
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from django.utils import translation

from ktpku import urls as project_urls
from ktpku.views import server_error

pytestmark = pytest.mark.django_db


def _broken_view(request):
    raise RuntimeError("a bug")


# The product's URLs plus one page that fails, for the tests marked urls(__name__).
urlpatterns = [path("rusak/", _broken_view), path("", include(project_urls))]
handler500 = project_urls.handler500

# What Django's debug pages and a traceback would show.
DEBUG_MARKERS = [
    "Traceback",
    "Using the URLconf",
    "SECRET_KEY",
    "DATABASES",
    "django.core",
    "technical_500",
    "Request Method",
]


@pytest.mark.parametrize("persona", [None, "koordinator_b"])
def test_page_not_found_for_a_guessed_url_is_the_indonesian_page(
    client, settings, persona, request
):
    settings.DEBUG = False
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get("/siswa/999999/ubah/../../../etc/passwd")

    body = response.content.decode()
    assert response.status_code == 404
    assert [template.name for template in response.templates][0] == "404.html"
    assert "<title>Halaman tidak ditemukan" in body
    assert "Halaman yang Anda minta tidak ada, atau Anda tidak memiliki akses" in body
    assert [marker for marker in DEBUG_MARKERS if marker in body] == []


def test_page_not_found_for_another_schools_student_is_the_same_page(
    client, settings, koordinator_b, school_a
):
    from tests.factories import StudentFactory

    settings.DEBUG = False
    student = StudentFactory(school=school_a, name="Ahmad Fauzi Rahman")
    client.force_login(koordinator_b)

    response = client.get(f"/siswa/{student.pk}/")

    body = response.content.decode()
    assert response.status_code == 404
    assert [template.name for template in response.templates][0] == "404.html"
    assert "Halaman yang Anda minta tidak ada" in body
    assert "Ahmad Fauzi Rahman" not in body
    assert school_a.name not in body


def test_server_error_page_shows_the_error_id_that_is_in_the_log(caplog):
    request = RequestFactory().get("/siswa/")

    with caplog.at_level(logging.ERROR, logger="ktpku.events"), translation.override("id"):
        response = server_error(request)

    records = [record for record in caplog.records if record.name == "ktpku.events"]
    assert len(records) == 1
    error_id = records[0].fields["request_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", error_id)
    assert (records[0].fields["event"], records[0].fields["path"]) == ("server_error", "/siswa/")
    body = response.content.decode()
    assert response.status_code == 500
    assert re.findall(r"<strong>([^<]*)</strong>", body) == [error_id]
    assert "<h1>Terjadi kesalahan</h1>" in body
    assert "sebutkan kode ini:" in body
    assert [marker for marker in DEBUG_MARKERS if marker in body] == []


def test_server_error_ids_differ_from_one_error_to_the_next(caplog):
    request = RequestFactory().get("/")

    with caplog.at_level(logging.ERROR, logger="ktpku.events"):
        server_error(request)
        server_error(RequestFactory().get("/"))

    ids = [r.fields["request_id"] for r in caplog.records if r.name == "ktpku.events"]
    assert len(ids) == 2
    assert ids[0] != ids[1]


def test_forbidden_page_is_one_warning_line_with_user_path_and_reason(
    client, koordinator_a, caplog
):
    client.force_login(koordinator_a)

    with caplog.at_level(logging.INFO):
        response = client.get(reverse("schools:create"))

    assert response.status_code == 403
    assert [template.name for template in response.templates][0] == "403.html"
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelname, r.getMessage()) for r in logged] == [
        ("ktpku.events", "WARNING", "forbidden")
    ]
    fields = {key: logged[0].fields[key] for key in ("user", "path", "reason")}
    assert fields == {"user": "koord_a", "path": "/sekolah/baru/", "reason": "permission denied"}
    assert logged[0].exc_info is None


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "title"), [("en", "Something went wrong"), ("id", "Terjadi kesalahan")]
)
def test_server_error_page_follows_the_chosen_language(settings, language, title):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/rusak/")

    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in body
    assert f"<h1>{title}</h1>" in body
