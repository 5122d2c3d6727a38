"""Roster import: the one home of its writes, shared by the web pages and the commands.

One module a job: `preview` reads and checks a file against the register, writing nothing;
`uploads` keeps an upload and has it read (inline or by a worker); `commit` writes the valid
rows in one transaction; `repeats` recognises the file saved a moment ago, sent again;
`moves` lets staff confirm or reject a possible school move; `upkeep` sends lost uploads
again and erases kept rows after the retention period.
"""

from .commit import RosterNotReady, roster_import_commit
from .moves import MoveAlreadyDecided, MoveOutdated, school_move_decide
from .preview import Plan, Preview, roster_preview
from .upkeep import roster_files_sweep, roster_imports_purge, roster_imports_sweep
from .uploads import (
    INLINE_MAX_BYTES,
    display_name,
    roster_import_create,
    roster_import_enqueue,
    roster_import_from_preview,
    roster_import_read,
    roster_import_save,
)

__all__ = [
    "INLINE_MAX_BYTES",
    "MoveAlreadyDecided",
    "MoveOutdated",
    "Plan",
    "Preview",
    "RosterNotReady",
    "display_name",
    "roster_files_sweep",
    "roster_import_commit",
    "roster_import_create",
    "roster_import_enqueue",
    "roster_import_from_preview",
    "roster_import_read",
    "roster_import_save",
    "roster_imports_purge",
    "roster_imports_sweep",
    "roster_preview",
    "school_move_decide",
]
