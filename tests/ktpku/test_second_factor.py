"""AUTH-03: a password alone does not open any page or the admin for staff and admins."""

import datetime
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ktpku.second_factor import RECOVERY_CODE_COUNT, new_recovery_codes
from tests.ktpku.test_config import ROOT, _check

pytestmark = pytest.mark.django_db

VERIFY = "/dua-langkah/"
SETUP = "/dua-langkah/daftar/"


def _code(device):
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def _app(user):
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


@pytest.mark.parametrize("persona", ["staf", "admin_user"])
@pytest.mark.parametrize("path", ["/", "/siswa/", "/admin/", "/admin/auth/user/"])
def test_password_alone_reaches_no_page_nor_the_admin(
    client, password_only_login, persona, path, request
):
    user = request.getfixturevalue(persona)
    _app(user)
    password_only_login(client, user)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={path.replace('/', '%2F')}"


def test_login_form_with_password_sends_staff_to_the_second_step(client, staf):
    response = client.post(
        "/masuk/", {"username": "staf", "password": "kata-sandi-uji-123"}, follow=True
    )

    assert [url for url, _status in response.redirect_chain] == ["/", f"{VERIFY}?next=%2F", SETUP]
    assert response.status_code == 200
    assert b"<svg" in response.content


def test_coordinator_needs_no_second_factor(client, password_only_login, koordinator_a):
    password_only_login(client, koordinator_a)

    assert client.get("/").status_code == 200
    assert client.get(VERIFY).status_code == 403


def test_enrolment_shows_a_qr_code_and_confirms_with_a_real_code(
    client, password_only_login, staf, time_machine
):
    password_only_login(client, staf)
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=staf)
    assert page.status_code == 200
    assert device.confirmed is False
    assert page.context["secret"] in page.content.decode()
    assert "otpauth://totp/KTPku" in device.config_url

    wrong = client.post(SETUP, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert client.get("/").status_code == 302
    # A wrong code makes the device wait a second before the next try (throttling).
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=5))

    done = client.post(SETUP, {"code": _code(device)})

    device.refresh_from_db()
    assert device.confirmed is True
    assert len(done.context["codes"]) == RECOVERY_CODE_COUNT
    assert client.get("/").status_code == 200
    assert client.get("/siswa/").status_code == 200


def test_the_same_secret_is_offered_until_confirmed(client, password_only_login, staf):
    password_only_login(client, staf)

    first = client.get(SETUP).context["secret"]
    second = client.get(SETUP).context["secret"]

    assert first == second
    assert TOTPDevice.objects.filter(user=staf).count() == 1


def test_verification_with_the_app_code_opens_the_pages(client, password_only_login, staf):
    device = _app(staf)
    password_only_login(client, staf)

    response = client.post(f"{VERIFY}?next=/siswa/", {"code": _code(device), "next": "/siswa/"})

    assert response.status_code == 302
    assert response["Location"] == "/siswa/"
    assert client.get("/siswa/").status_code == 200


def test_a_wrong_code_keeps_the_door_shut(client, password_only_login, staf):
    device = _app(staf)
    password_only_login(client, staf)
    wrong = "123456" if _code(device) != "123456" else "654321"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get("/").status_code == 302


def test_a_recovery_code_works_once(client, password_only_login, staf, django_user_model):
    _app(staf)
    codes = new_recovery_codes(staf)
    password_only_login(client, staf)

    first = client.post(VERIFY, {"code": codes[0].upper()})
    assert first.status_code == 302
    assert client.get("/").status_code == 200

    client.post("/keluar/")
    password_only_login(client, staf)
    again = client.post(VERIFY, {"code": codes[0]})

    assert again.status_code == 200
    assert client.get("/").status_code == 302


def test_the_setting_off_lets_the_password_suffice(client, password_only_login, staf, settings):
    settings.OTP_REQUIRED = False
    password_only_login(client, staf)

    assert client.get("/").status_code == 200


def test_production_refuses_to_start_with_the_second_factor_off():
    result = _check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x7-" + "kP2qL9vR4tY8wZ1mN6bC3dF5gH0jK" * 2,
            "OTP_REQUIRED": "false",
        }
    )

    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "KTPku configuration error: OTP_REQUIRED may be off only when DEBUG is on"
    )


def test_demo_may_switch_it_off():
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "OTP_REQUIRED": "false"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert reverse("second_factor_verify") == VERIFY


def test_admin_after_the_second_step_opens_the_admin(client, password_only_login, admin_user):
    device = _app(admin_user)
    password_only_login(client, admin_user)

    client.post(VERIFY, {"code": _code(device), "next": "/admin/"})

    assert client.get("/admin/").status_code == 200


def _verified(client, password_only_login, user, device):
    password_only_login(client, user)
    assert client.post(VERIFY, {"code": _code(device)}).status_code == 302
    assert client.get("/siswa/").status_code == 200


def test_an_app_deleted_by_an_administrator_closes_the_sessions_it_opened(
    client, password_only_login, staf, admin_user, caplog
):
    device = _app(staf)
    _verified(client, password_only_login, staf, device)
    admin = Client()
    admin.force_login(admin_user)
    # The admin sees the device but neither its key nor a way to give the user another.
    listed = admin.get("/admin/otp_totp/totpdevice/")
    assert (listed.status_code, device.key in listed.content.decode()) == (200, False)
    assert admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert admin.get("/admin/otp_totp/totpdevice/add/").status_code == 403

    reset = admin.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})

    assert reset.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    response = client.get("/siswa/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fsiswa%2F"
    assert client.get(response["Location"])["Location"] == SETUP
    assert client.get("/admin/").status_code == 302
    (event,) = [
        r.fields
        for r in caplog.records
        if r.name == "ktpku.events" and r.fields["event"] == "second_factor_revoked"
    ]
    assert (event["user"], event["outcome"]) == ("staf", "denied")


def test_an_app_no_longer_confirmed_closes_the_session(client, password_only_login, staf):
    device = _app(staf)
    _verified(client, password_only_login, staf, device)

    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2F"


def test_a_recovery_code_session_closes_when_the_app_is_reset(client, password_only_login, staf):
    device = _app(staf)
    codes = new_recovery_codes(staf)
    password_only_login(client, staf)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200

    device.delete()

    assert client.get("/").status_code == 302


def test_another_users_device_in_the_session_does_not_pass(
    client, password_only_login, staf, admin_user
):
    _app(staf)
    others = _app(admin_user)
    password_only_login(client, staf)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = others.persistent_id
    session.save()

    assert client.get("/").status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session
