"""Keeping uploads moving and then forgetting them: the sweeper and the retention purge.

Both are scheduled jobs (tasks and management commands) and safe to run again.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from students.models import RosterImport

from .uploads import STALE_READING, roster_import_enqueue

audit = logging.getLogger("ktpku.audit")

# An upload the broker refused is sent again once it has waited this long...
SWEEP_AFTER = datetime.timedelta(minutes=2)
# ...and one the broker took but no worker began within this time is taken as lost.
LOST_AFTER = datetime.timedelta(minutes=30)
# A file in the uploads directory that no row names, kept this long before it goes.
ORPHAN_AFTER = datetime.timedelta(hours=1)
UPLOAD_DIR = "rosters"


def roster_imports_sweep(*, now=None):
    """Send again the uploads no worker will read otherwise: those the broker refused, those
    it took but lost, and those whose reading died with its worker. Returns [(id, sent)].

    An upload merely waiting its turn in a busy queue is left alone. Reading claims the
    upload with a conditional update, so an upload sent twice is still read once.
    """
    now = now or timezone.now()
    queued = Q(status=RosterImport.Status.QUEUED)
    due = (
        RosterImport.objects.filter(
            queued & Q(sent_at__isnull=True, created_at__lt=now - SWEEP_AFTER)
            | queued & Q(sent_at__lt=now - LOST_AFTER)
            | Q(status=RosterImport.Status.READING, reading_started_at__lt=now - STALE_READING)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [(pk, roster_import_enqueue(roster_import_id=pk)) for pk in due]


def roster_files_sweep(*, now=None):
    """Delete the files under the uploads directory that no upload row names (a file
    left by a crash between storing and recording it). Returns the names removed.

    Only files older than ORPHAN_AFTER go: a file stored a moment ago by an on-commit
    callback is named by its row a moment later.
    """
    now = now or timezone.now()
    storage = RosterImport._meta.get_field("file").storage
    try:
        _folders, files = storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return []
    names = [f"{UPLOAD_DIR}/{name}" for name in files]
    owned = set(RosterImport.objects.filter(file__in=names).values_list("file", flat=True))
    removed = [
        name
        for name in names
        if name not in owned and storage.get_modified_time(name) < now - ORPHAN_AFTER
    ]
    for name in removed:
        storage.delete(name)
    audit.info("roster_files_swept count=%s", len(removed))
    return removed


@transaction.atomic
def roster_imports_purge(*, now=None):
    """Erase the kept rows, problems and changes of uploads past the retention period.

    The counts stay (they are not personal data); an upload never saved can no longer be
    saved and says so. Set-based; returns how many uploads were purged. Safe to run again.
    """
    now = now or timezone.now()
    due = RosterImport.objects.filter(
        purged_at__isnull=True,
        created_at__lt=now - datetime.timedelta(days=settings.ROSTER_RETENTION_DAYS),
    )
    for upload in due.exclude(file="").only("pk", "file"):
        upload.file.delete(save=False)
    due.filter(
        status__in=[
            RosterImport.Status.QUEUED,
            RosterImport.Status.READING,
            RosterImport.Status.READY,
        ]
    ).update(
        status=RosterImport.Status.FAILED,
        file_error_code="purged",
        file_error_message=_(
            "Kept %(days)d days without being saved, then erased. Upload the file again."
        )
        % {"days": settings.ROSTER_RETENTION_DAYS},
    )
    purged = due.update(rows=[], issues=[], changes=[], file="", file_digest="", purged_at=now)
    audit.info(
        "roster_imports_purged count=%s older_than_days=%s", purged, settings.ROSTER_RETENTION_DAYS
    )
    return purged
