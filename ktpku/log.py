"""Logging filters named in settings.LOGGING."""

import logging


class SkipForbidden(logging.Filter):
    """Drop django.request's record of a 403: ktpku.views.permission_denied logs one line.

    Django logs every PermissionDenied with its traceback, which reads as a failure.
    """

    def filter(self, record):
        return getattr(record, "status_code", None) != 403
