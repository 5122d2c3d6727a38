import contextvars
from contextlib import contextmanager

from celery import shared_task
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import log

# What a page could not hand to the worker while serving this request (the broker was
# unreachable): messages for the user, which UnsentWorkMiddleware shows. None outside a
# request (a worker, a command), where there is nobody to tell.
_unsent = contextvars.ContextVar("unsent_work", default=None)

WORKER_UNAVAILABLE = _(
    "The background service is not available at the moment, so this work has not started. "
    "Try again in a few minutes."
)


def enqueue(task, *args, unavailable=None, run_here=False, **options):
    """Send `task` to the broker; False (and a log line) when the broker cannot be reached.

    With Redis down a page must still answer: the work stays recorded in its row (queued,
    waiting) and a sweeper or the user's next try sends it again. `unavailable` is what
    the user is then told (WORKER_UNAVAILABLE by default). Short work that needs no worker
    (a few e-mails) says `run_here=True` and is done in this process instead; True then
    means it was done. Options go to apply_async (e.g. `queue=`).
    """
    from kombu.exceptions import OperationalError

    try:
        task.apply_async(args=args, **options)
    except OperationalError as exc:
        log.event(None, "enqueue_failed", outcome="error", task=task.name, error=str(exc))
    else:
        return True
    if run_here and task.apply(args=args, throw=False).successful():
        log.event(None, "enqueue_ran_here", outcome="success", task=task.name)
        return True
    noted = _unsent.get()
    if noted is not None:
        noted.append(unavailable or WORKER_UNAVAILABLE)
    return False


@contextmanager
def collecting_unsent():
    """Collect, for the block (one request), the messages of work the broker did not take."""
    noted = []
    token = _unsent.set(noted)
    try:
        yield noted
    finally:
        _unsent.reset(token)


def all_sent():
    """True unless some work of the current request could not be handed to the worker."""
    return not _unsent.get()


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
