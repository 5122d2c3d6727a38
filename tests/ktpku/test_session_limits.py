"""SESS-04: logged out after 30 minutes idle and 12 hours in all."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 8, 5, 8, 0, tzinfo=datetime.UTC)


def _at(time_machine, **delta):
    time_machine.move_to(START + datetime.timedelta(**delta), tick=False)


def test_idle_for_31_minutes_is_signed_out(client, koordinator_a, time_machine):
    _at(time_machine)
    client.force_login(koordinator_a)
    assert client.get("/").status_code == 200

    _at(time_machine, minutes=31)
    response = client.get("/siswa/")

    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/siswa/"
    assert client.get("/").status_code == 302


def test_idle_for_29_minutes_stays_signed_in(client, koordinator_a, time_machine):
    _at(time_machine)
    client.force_login(koordinator_a)

    _at(time_machine, minutes=29)

    assert client.get("/").status_code == 200


def test_activity_keeps_the_session_until_12_hours_after_sign_in(client, staf, time_machine):
    _at(time_machine)
    client.force_login(staf)

    for minutes in range(20, 12 * 60, 20):
        _at(time_machine, minutes=minutes)
        assert client.get("/").status_code == 200, minutes

    _at(time_machine, hours=12, minutes=1)
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/"


def test_the_login_page_says_why(client, koordinator_a, time_machine, english):
    _at(time_machine)
    client.force_login(koordinator_a)
    _at(time_machine, minutes=45)

    page = client.get("/", follow=True)

    assert "Your session has ended. Please log in again." in page.content.decode()
    assert timezone.now() == START + datetime.timedelta(minutes=45)
