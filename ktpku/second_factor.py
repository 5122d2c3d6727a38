"""The second factor (AUTH-03): a TOTP app, with single-use recovery codes as the spare.

Whoever can see a child's full NIK (office staff and administrators) must prove a second
factor in each session before any page or the admin loads. Whether a user needs it is
decided once, when they sign in, and kept in the session, so an ordinary page costs no
query for it.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.safestring import mark_safe
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import log, roles

NEEDED_SESSION_KEY = "ktpku_second_factor"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def needs_second_factor(user):
    """Administrators and office staff, the roles that see full NIKs."""
    return user.is_superuser or user.is_staff or roles.role_of(user) in (roles.ADMIN, roles.STAF)


def remember_need(session, user):
    session[NEEDED_SESSION_KEY] = [user.pk, needs_second_factor(user)]


def remember_at_login(sender, request, user, **kwargs):
    """Connected to user_logged_in: decide the need once, while the user is at hand."""
    if request is not None and hasattr(request, "session"):
        remember_need(request.session, user)


def must_verify(request):
    """True when the signed-in user still owes this session a second factor."""
    if not settings.OTP_REQUIRED or not request.user.is_authenticated:
        return False
    remembered = request.session.get(NEEDED_SESSION_KEY)
    if not remembered or remembered[0] != request.user.pk:
        remember_need(request.session, request.user)
        remembered = request.session[NEEDED_SESSION_KEY]
    return remembered[1] and not still_verified(request)


def still_verified(request):
    """Does the device that verified this session still vouch for it?

    The checks django-otp's OTPMiddleware makes (the device exists, is the user's and is
    confirmed), plus one of ours: a session opened with a recovery code stands only while
    the user still has a confirmed app, so resetting the app closes it too. A session that
    fails forgets its device and is logged once.
    """
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    valid = device is not None and device.user_id == request.user.pk and device.confirmed
    if valid and not isinstance(device, TOTPDevice):
        valid = has_app(request.user)
    if not valid:
        del request.session[DEVICE_ID_SESSION_KEY]
        log.event(request, "second_factor_revoked", outcome="denied", device=persistent_id)
    return valid


def has_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app(user):
    """The unconfirmed device being enrolled: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device):
    """The secret as an authenticator app asks for it when typed by hand (base32)."""
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device):
    """The otpauth:// address as an inline SVG picture (no script, no style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, built from our URL


@transaction.atomic
def confirm_app(request, device, token):
    """Check the first code; on success keep the app, issue recovery codes, verify now.

    Returns the new recovery codes, or None when the code is wrong.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(device.user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user):
    recovery, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    recovery.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def verify(request, token):
    """Try the code against the user's app, then their recovery codes (each used once)."""
    token = "".join(token.split()).lower()
    user = request.user
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    for device in devices:
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                otp_login(request, locked)
                return locked
    return None
