"""The students app's Celery tasks, where the worker's autodiscovery looks for them."""

import datetime

from celery import shared_task

from . import flagging
from .retention import personal_data_purge
from .roster.tasks import purge_roster_imports, read_roster_import, sweep_roster_imports

__all__ = [
    "flag_due_cards",
    "purge_personal_data",
    "purge_roster_imports",
    "read_roster_import",
    "sweep_roster_imports",
]


@shared_task(name="students.flag_due_cards", time_limit=30 * 60)
def flag_due_cards(today=None):
    """The nightly flags for the office day `today` (ISO date); by default today in WITA."""
    return flagging.flag_due_cards(datetime.date.fromisoformat(today) if today else None)


@shared_task(name="students.purge_personal_data", time_limit=30 * 60)
def purge_personal_data():
    return len(personal_data_purge())
