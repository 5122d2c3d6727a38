"""The students app's Celery tasks, where the worker's autodiscovery looks for them."""

from celery import shared_task

from .retention import personal_data_purge
from .roster.tasks import purge_roster_imports, read_roster_import, sweep_roster_imports

__all__ = [
    "purge_personal_data",
    "purge_roster_imports",
    "read_roster_import",
    "sweep_roster_imports",
]


@shared_task(name="students.purge_personal_data", time_limit=30 * 60)
def purge_personal_data():
    return len(personal_data_purge())
