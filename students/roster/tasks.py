"""Celery tasks of the roster upload: thin, by id, safe to run twice.

This module imports the services; they send READ_TASK by its name, so there is no cycle.
"""

from celery import shared_task

from .services.upkeep import roster_files_sweep, roster_imports_purge, roster_imports_sweep
from .services.uploads import QUEUE, READ_TASK, roster_import_read

__all__ = ["QUEUE", "purge_roster_imports", "read_roster_import", "sweep_roster_imports"]

# Reading a roster may not outlive this; the soft limit leaves time to record the failure.
READ_TIME_LIMIT = 10 * 60


@shared_task(
    bind=True, name=READ_TASK, time_limit=READ_TIME_LIMIT, soft_time_limit=READ_TIME_LIMIT - 30
)
def read_roster_import(self, roster_import_id):
    # acks_late and reject_on_worker_lost (settings): a worker killed mid-way leaves the
    # message to be handed again, with the same id, which may then take the reading back.
    roster_import_read(roster_import_id=roster_import_id, task_id=self.request.id or "")


@shared_task(name="students.sweep_roster_imports", time_limit=5 * 60)
def sweep_roster_imports():
    roster_files_sweep()
    return [pk for pk, _sent in roster_imports_sweep()]


@shared_task(name="students.purge_roster_imports", time_limit=10 * 60)
def purge_roster_imports():
    return roster_imports_purge()
