"""Logging: one JSON line per record, and `event()` for security events (LOG-01, LOG-03).

Every line has a WITA (+08:00) timestamp and the request id of the request being served
(also sent as the `X-Request-ID` header and shown on the 500 page). Values go through
json.dumps, so a username with a line break or a crafted path stays one escaped line.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid
import zoneinfo

from django.conf import settings

from .client_ip import client_ip

events_logger = logging.getLogger("ktpku.events")
current_request_id = contextvars.ContextVar("request_id", default=None)
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
# An id handed in by our proxy (nginx's $request_id) is kept when it looks like one.
INCOMING_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def event(request, name, *, outcome, level=logging.INFO, **fields):
    """Log one security event: who (user, IP), which request, what happened, the outcome.

    `request` may be None (a task in the worker).
    """
    details = {"event": name, "outcome": outcome}
    if request is not None:
        details["request_id"] = request_id_of(request) or current_request_id.get()
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        details |= {
            "user": user.get_username() if authenticated else None,
            "user_id": user.pk if authenticated else None,
            "ip": client_ip(request) if hasattr(request, "META") else None,
            "method": getattr(request, "method", None),
            "path": getattr(request, "path", None),
        }
    details |= fields
    events_logger.log(level, name, extra={"fields": details})


def request_id_of(request):
    return getattr(request, "request_id", None)


class RequestIdMiddleware:
    """Give every request an id: in the log lines it causes and in the response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = settings.TRUSTED_PROXY_HOPS and INCOMING_ID.fullmatch(incoming)
        request.request_id = incoming if trusted else uuid.uuid4().hex
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (WITA), level, logger, message, request id, fields."""

    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, WITA).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id.get(),
        }
        line |= getattr(record, "fields", {})
        status = getattr(record, "status_code", None)
        if status is not None:
            line["status"] = status
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class SkipForbidden(logging.Filter):
    """Drop django.request's record of a 403: ktpku.views.permission_denied logs one line.

    Django logs every PermissionDenied with its traceback, which reads as a failure.
    """

    def filter(self, record):
        return getattr(record, "status_code", None) != 403
