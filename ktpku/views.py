import logging
import uuid

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

logger = logging.getLogger("ktpku.errors")


@never_cache
def healthz(request):
    """For the load balancer and docker-compose: the process answers and the DB too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # The same id goes in the log and on the page, so a user's report can be found.
    error_id = uuid.uuid4().hex[:12]
    logger.error("server error id=%s path=%s", error_id, request.path)
    return render(request, "500.html", {"error_id": error_id}, status=500)
