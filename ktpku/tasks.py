from celery import shared_task
from django.db import connection
from django.utils import timezone


@shared_task(name="ktpku.health_check")
def health_check():
    """Prove a worker can reach the database; returns what it saw."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"database": one == 1, "today": timezone.localdate().isoformat()}
