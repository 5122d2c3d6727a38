"""SESS-04: a session ends after 30 minutes without a request, and 12 hours after sign-in.

The session remembers when its user signed in and when it last saw them. "Last seen" is
written at most once a minute, so ordinary pages do not each cost a session write.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

SIGNED_IN_AT = "ktpku_signed_in_at"
SEEN_AT = "ktpku_seen_at"
SEEN_RESOLUTION = 60


def stamp_at_login(sender, request, user, **kwargs):
    """Connected to user_logged_in."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now


def expired(session, now):
    signed_in = session.get(SIGNED_IN_AT)
    seen = session.get(SEEN_AT)
    if signed_in is None or seen is None:
        return False
    return (
        now - seen > settings.SESSION_IDLE_SECONDS
        or now - signed_in > settings.SESSION_ABSOLUTE_SECONDS
    )


class SessionLimitsMiddleware:
    """Sign out a session that has been idle or alive too long; else note the visit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if expired(request.session, now):
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
            elif SIGNED_IN_AT not in request.session:
                # A session from before these limits: count from now.
                request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = now
            elif now - request.session[SEEN_AT] >= SEEN_RESOLUTION:
                request.session[SEEN_AT] = now
        return self.get_response(request)
