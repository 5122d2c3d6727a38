"""The students app's Celery tasks, where the worker's autodiscovery looks for them."""

from .roster.tasks import read_roster_import

__all__ = ["read_roster_import"]
