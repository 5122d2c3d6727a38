from celery import shared_task
from django.db import connection
from django.utils import timezone

from . import log


def enqueue(task, *args, **options):
    """Send `task` to the broker; False (and a log line) when the broker cannot be reached.

    With Redis down a page must still answer: the work stays recorded in its row (queued,
    waiting) and a sweeper or the user's next try sends it again. Options go to
    apply_async (e.g. `queue=`).
    """
    from kombu.exceptions import OperationalError

    try:
        task.apply_async(args=args, **options)
    except OperationalError as exc:
        log.event(None, "enqueue_failed", outcome="error", task=task.name, error=str(exc))
        return False
    return True


@shared_task(name="ktpku.health_check")
def health_check():
    """Prove a worker can reach the database; returns what it saw."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"database": one == 1, "today": timezone.localdate().isoformat()}


@shared_task(name="ktpku.make_export")
def make_export(job_id):
    """Write a large export (ktpku.exports); a second delivery changes nothing."""
    from .exports import export_job_run

    return export_job_run(job_id)


@shared_task(name="ktpku.purge_exports")
def purge_exports():
    """Erase export files past EXPORT_KEEP_HOURS (also `manage.py purge_exports`)."""
    from .exports import export_jobs_purge

    return export_jobs_purge()
