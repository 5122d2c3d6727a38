"""Celery tasks of the roster upload: thin, by id, safe to run twice."""

from celery import shared_task

# Reading a roster may not outlive this; the soft limit leaves time to record the failure.
READ_TIME_LIMIT = 10 * 60


# Slow work has its own queue, so a big upload never delays the nightly jobs.
QUEUE = "slow"


@shared_task(
    name="students.read_roster_import",
    time_limit=READ_TIME_LIMIT,
    soft_time_limit=READ_TIME_LIMIT - 30,
)
def read_roster_import(roster_import_id):
    from .services import roster_import_read

    roster_import_read(roster_import_id=roster_import_id)


@shared_task(name="students.sweep_roster_imports", time_limit=5 * 60)
def sweep_roster_imports():
    from .services import roster_imports_sweep

    return [pk for pk, _sent in roster_imports_sweep()]


@shared_task(name="students.purge_roster_imports", time_limit=10 * 60)
def purge_roster_imports():
    from .services import roster_imports_purge

    return roster_imports_purge()
