"""Sign-in events for the log (LOG-01): success, failure, lockout, sign-out."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import log


def _logged_in(sender, request, user, **kwargs):
    if request is not None and getattr(request, "META", {}).get("REMOTE_ADDR"):
        request.user = user
        log.event(request, "login", outcome="success")


def _login_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        log.event(
            request,
            "login",
            outcome="failure",
            level=logging.WARNING,
            username=credentials.get("username"),
        )


def _locked_out(sender, request, username, ip_address, **kwargs):
    log.event(request, "lockout", outcome="denied", level=logging.WARNING, username=username)


def _logged_out(sender, request, user, **kwargs):
    if request is not None:
        log.event(
            request,
            "logout",
            outcome="success",
            user=user.get_username() if user is not None else None,
            user_id=user.pk if user is not None else None,
        )


def connect():
    user_logged_in.connect(_logged_in, dispatch_uid="ktpku_log_login")
    user_login_failed.connect(_login_failed, dispatch_uid="ktpku_log_login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="ktpku_log_lockout")
    user_logged_out.connect(_logged_out, dispatch_uid="ktpku_log_logout")
