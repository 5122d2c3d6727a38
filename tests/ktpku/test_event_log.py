"""LOG-01 and LOG-03: one JSON line per security event, with WITA time, request id, user,
client address and outcome; every value escaped."""

import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ktpku.log import JsonFormatter
from tests.factories import StudentFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def events(caplog):
    """The JSON lines of ktpku.events, as the console handler writes them."""
    caplog.set_level(logging.INFO, logger="ktpku.events")
    formatter = JsonFormatter()

    def lines():
        return [
            json.loads(formatter.format(record))
            for record in caplog.records
            if record.name == "ktpku.events"
        ]

    return lines


def _without_time(line):
    assert line["time"].endswith("+08:00")
    assert len(line["request_id"]) == 32
    return {key: value for key, value in line.items() if key not in ("time", "request_id")}


def test_login_success_is_one_line(client, events, koordinator_a):
    response = client.post("/masuk/", {"username": "koord_a", "password": PASSWORD})

    (line,) = events()
    assert response["X-Request-ID"] == line["request_id"]
    assert _without_time(line) == {
        "level": "INFO",
        "logger": "ktpku.events",
        "message": "login",
        "event": "login",
        "outcome": "success",
        "user": "koord_a",
        "user_id": koordinator_a.pk,
        "ip": "127.0.0.1",
        "method": "POST",
        "path": "/masuk/",
    }


def test_login_failure_and_lockout(client, events, koordinator_a):
    for _attempt in range(5):
        client.post("/masuk/", {"username": "koord_a", "password": "salah-salah-salah"})

    lines = [(line["event"], line["outcome"], line["username"], line["ip"]) for line in events()]
    # axes hears of the fifth failure first and locks, then the failure is written.
    assert lines == [("login", "failure", "koord_a", "127.0.0.1")] * 4 + [
        ("lockout", "denied", "koord_a", "127.0.0.1"),
        ("login", "failure", "koord_a", "127.0.0.1"),
    ]


def test_a_crafted_username_stays_one_escaped_line(client, events, caplog):
    crafted = "x\r\nINFO login ok admin"
    client.post("/masuk/", {"username": crafted, "password": "salah-salah-salah"})

    record = next(r for r in caplog.records if r.name == "ktpku.events")
    text = JsonFormatter().format(record)
    assert "\n" not in text and "\r" not in text
    assert json.loads(text)["username"] == crafted


def test_logout_is_logged_with_the_user(client, events, koordinator_a):
    client.force_login(koordinator_a)

    client.post("/keluar/")

    (line,) = events()
    assert (line["event"], line["outcome"], line["user"], line["user_id"]) == (
        "logout",
        "success",
        "koord_a",
        koordinator_a.pk,
    )


def test_another_schools_student_is_a_logged_404(client, events, koordinator_a, school_b):
    student = StudentFactory(school=school_b)
    client.force_login(koordinator_a)

    response = client.get(f"/siswa/{student.pk}/")

    (line,) = events()
    assert response.status_code == 404
    assert _without_time(line) == {
        "level": "WARNING",
        "logger": "ktpku.events",
        "message": "not_found",
        "event": "not_found",
        "outcome": "denied",
        "user": "koord_a",
        "user_id": koordinator_a.pk,
        "ip": "127.0.0.1",
        "method": "GET",
        "path": f"/siswa/{student.pk}/",
    }


def test_a_refused_page_is_a_logged_403(client, events, koordinator_a):
    client.force_login(koordinator_a)

    response = client.get("/sekolah/baru/")

    (line,) = events()
    assert response.status_code == 403
    assert (line["event"], line["outcome"], line["user"], line["path"]) == (
        "forbidden",
        "denied",
        "koord_a",
        "/sekolah/baru/",
    )


def test_csrf_failure_is_logged(events, koordinator_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(koordinator_a)

    response = client.post("/keluar/")

    (line,) = events()
    assert response.status_code == 403
    assert (line["event"], line["outcome"], line["user"], line["reason"]) == (
        "csrf_failure",
        "denied",
        "koord_a",
        "CSRF cookie not set.",
    )


def test_a_rejected_import_is_logged(client, events, koordinator_a, media):
    client.force_login(koordinator_a)

    response = client.post(
        "/daftar-siswa/", {"file": SimpleUploadedFile("daftar.xlsx", b"not a workbook")}
    )

    (line,) = events()
    assert response.status_code == 200
    assert (line["event"], line["outcome"], line["reason"], line["fields"]) == (
        "import_rejected",
        "refused",
        "form",
        ["file"],
    )


def test_a_download_is_logged(client, events, koordinator_a):
    client.force_login(koordinator_a)

    response = client.get("/daftar-siswa/template.xlsx")

    (line,) = events()
    assert response.status_code == 200
    assert (line["event"], line["outcome"], line["user"], line["disposition"]) == (
        "download",
        "success",
        "koord_a",
        'attachment; filename="template-daftar-siswa.xlsx"',
    )


def test_the_500_page_shows_the_request_id(client, events, rf, koordinator_a, caplog):
    from ktpku.views import server_error

    request = rf.get("/siswa/%22%7D%0D%0AINFO%20forged")
    request.user = koordinator_a
    request.request_id = "0123456789abcdef0123456789abcdef"

    response = server_error(request)

    (line,) = events()
    assert response.status_code == 500
    assert "0123456789abcdef0123456789abcdef" in response.content.decode()
    assert line["path"] == '/siswa/"}\r\nINFO forged'
    assert "\n" not in JsonFormatter().format(caplog.records[-1])
    assert (line["event"], line["outcome"], line["user"]) == ("server_error", "error", "koord_a")


def test_other_log_lines_are_json_too(caplog):
    logger = logging.getLogger("ktpku.test")
    caplog.set_level(logging.INFO, logger="ktpku.test")

    logger.info("import %s done", 7)

    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert (line["message"], line["level"], line["request_id"]) == ("import 7 done", "INFO", None)


def test_a_user_without_events_has_none(client, events):
    UserFactory(username="diam")

    client.get("/masuk/")

    assert events() == []
