import logging
import uuid

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import log


@never_cache
def healthz(request):
    """For the load balancer and docker-compose: the process answers and the DB too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_safe
def privacy_notice(request):
    """The privacy notice (UU 27/2022 Pasal 20, 21): public, for parents and schools too."""
    return render(
        request,
        "ktpku/privacy.html",
        {"retention_months": settings.PERSONAL_DATA_RETENTION_MONTHS},
    )


def permission_denied(request, exception):
    # A refusal is routine (a bookmark, a guessed link), not a failure: one line, no
    # traceback. Django's own "Forbidden" record is dropped by ktpku.log.SkipForbidden.
    log.event(
        request,
        "forbidden",
        outcome="denied",
        level=logging.WARNING,
        reason=str(exception) or "permission denied",
    )
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    log.event(request, "csrf_failure", outcome="denied", level=logging.WARNING, reason=reason)
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    log.event(request, "not_found", outcome="denied", level=logging.WARNING)
    return render(request, "404.html", status=404)


def server_error(request):
    # The request id goes in the log and on the page, so a user's report can be found.
    if not log.request_id_of(request):
        request.request_id = uuid.uuid4().hex
    log.event(request, "server_error", outcome="error", level=logging.ERROR)
    return render(request, "500.html", {"error_id": log.request_id_of(request)}, status=500)


@require_safe
def service_worker(request):
    """The service worker, from the root so it may keep any page that asks it to (the
    visit checklist); it holds no data of its own."""
    response = render(request, "ktpku/sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


class LogoutView(auth_views.LogoutView):
    """Log out, and tell the browser to drop its HTTP cache of this site.

    `Clear-Site-Data: "cache"` only: "storage" would also wipe IndexedDB, where the visit
    checklist keeps outcomes not sent yet, losing them without a word. The checklist's
    offline copies (the service worker's cache) and what was sent are removed by the page
    itself before it logs out (static/js/offline_cleanup.js), after warning about any
    outcome still unsent.
    """

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response
