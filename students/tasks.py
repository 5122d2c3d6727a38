"""The students app's Celery tasks, where the worker's autodiscovery looks for them."""

from .roster.tasks import purge_roster_imports, read_roster_import, sweep_roster_imports

__all__ = ["purge_roster_imports", "read_roster_import", "sweep_roster_imports"]
