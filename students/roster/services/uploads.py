"""An upload's way to a preview: kept under a generated name, read inline or by a worker.

A small file is read while the uploader waits; a larger one by the task named READ_TASK,
sent once the upload's row is committed. The task module imports this one, never the
reverse: the task is found by its name in Celery's registry.
"""

import datetime
import logging
from contextlib import contextmanager

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ktpku import intake
from students.models import RosterImport

from .. import reading
from .commit import roster_import_commit
from .preview import roster_preview
from .repeats import earlier_same_upload, file_digest, save_as_repeat

logger = logging.getLogger(__name__)

# Files up to this size (a few hundred rows) are read while the uploader waits; larger
# ones in a Celery task with a progress bar.
INLINE_MAX_BYTES = 32 * 1024
# A reading claimed this long ago has died with its worker: it may be claimed again.
STALE_READING = datetime.timedelta(minutes=20)
# A reading claimed this many times without finishing is given up, with a message.
MAX_READINGS = 3
READ_TASK = "students.read_roster_import"
# Slow work has its own queue, so a big upload never delays the nightly jobs.
QUEUE = "slow"
KEPT_FOR_LATER = gettext_lazy(
    "The file was received and kept. The background service is not available at the "
    "moment: the file will be read as soon as it is back, with no need to upload it again."
)


def display_name(filename):
    """The uploader's file name without any path, cut to what the model holds."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "roster"
    return name[:255]


@transaction.atomic
def roster_import_create(*, school, user, uploaded_file):
    """Record an upload and have it read: inline from the upload itself, or by a task.

    Nothing is written to disk before the upload's row commits: a small file is read
    straight from the request and never stored; a larger one is stored under a generated
    name, and sent to a worker, by an on-commit callback. A rolled-back transaction leaves
    neither a file nor a task behind (JOB-01). The caller has already passed the file
    through intake.check_file. The file saved a moment ago, uploaded again, is recognised
    and saved as unchanged without being read (repeats).
    """
    digest = file_digest(uploaded_file)
    repeat = _saved_repeat(school=school, user=user, filename=uploaded_file.name, digest=digest)
    if repeat is not None:
        return repeat
    roster_import = RosterImport.objects.create(
        school=school,
        uploaded_by=user,
        original_name=display_name(uploaded_file.name),
        file_digest=digest,
    )
    pk = roster_import.pk
    if uploaded_file.size <= INLINE_MAX_BYTES:
        roster_import_read(roster_import_id=pk, fileobj=uploaded_file)
        roster_import.refresh_from_db()
    else:
        # Held in memory until the commit (the upload limit keeps it to a few megabytes):
        # the request's own file may be closed by the time a callback runs.
        content = ContentFile(uploaded_file.read(), name=uploaded_file.name)
        transaction.on_commit(lambda: roster_import_store(roster_import_id=pk, content=content))
        transaction.on_commit(lambda: roster_import_enqueue(roster_import_id=pk))
    return roster_import


@transaction.atomic
def _saved_repeat(*, school, user, filename, digest):
    """A saved upload repeating the school's last one (repeats), or None when the file must
    be read."""
    earlier = earlier_same_upload(school=school, digest=digest)
    if earlier is None:
        return None
    roster_import = RosterImport(
        school=school, uploaded_by=user, original_name=display_name(filename), file_digest=digest
    )
    save_as_repeat(roster_import, earlier=earlier, user=user)
    roster_import.save()
    return roster_import


def roster_import_store(*, roster_import_id, content):
    """Keep a committed upload's file under a generated name (an on-commit callback)."""
    roster_import = RosterImport.objects.get(pk=roster_import_id)
    roster_import.file.save(content.name, content, save=False)
    RosterImport.objects.filter(pk=roster_import_id).update(file=roster_import.file.name)


def roster_import_enqueue(*, roster_import_id):
    """Hand an upload to a worker; returns whether the broker took it.

    With the broker down the upload stays queued (nothing is lost, the uploader sees it
    waiting) and roster_imports_sweep sends it again a few minutes later.
    """
    from ktpku.tasks import enqueue

    task = current_app.tasks[READ_TASK]
    if not enqueue(task, roster_import_id, queue=QUEUE, unavailable=KEPT_FOR_LATER):
        return False
    RosterImport.objects.filter(pk=roster_import_id).update(sent_at=timezone.now())
    return True


def roster_import_read(*, roster_import_id, fileobj=None, task_id=""):
    """Read and check an upload (its stored file, or `fileobj` when read inline), keep the
    result and delete the file. Safe to run twice.

    The reading is claimed once: by the first task to start it, again by the same task
    (`task_id`) when the broker hands it over a second time because its worker died
    mid-way (JOB-03), or by any task once the claim is STALE_READING old.
    """
    now = timezone.now()
    taken_back = Q(status=RosterImport.Status.READING, reading_started_at__lt=now - STALE_READING)
    if task_id:
        taken_back |= Q(status=RosterImport.Status.READING, reading_task_id=task_id)
    claimed = (
        RosterImport.objects.filter(pk=roster_import_id)
        .filter(Q(status=RosterImport.Status.QUEUED) | taken_back)
        .update(
            status=RosterImport.Status.READING,
            reading_started_at=now,
            reading_task_id=task_id,
            reading_attempts=F("reading_attempts") + 1,
            progress=0,
        )
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related("school").get(pk=roster_import_id)
    if roster_import.reading_attempts > MAX_READINGS:
        # Each earlier reading died with its worker (a file that exhausts memory, say):
        # trying again would block the queue for ever.
        _fail(
            roster_import,
            intake.FILE_TOO_LARGE,
            _(
                "Reading this file stopped the background service several times. Split the "
                "list into smaller files and upload them one by one."
            ),
        )
    else:
        _read(roster_import, fileobj)
    roster_import.progress = 100
    roster_import.read_at = timezone.now()
    _keep_if_still_claimed(roster_import, claimed_at=now, task_id=task_id)


def _keep_if_still_claimed(roster_import, *, claimed_at, task_id):
    """Save the reading's result and delete the file, unless another run has claimed the
    reading since (the broker handed the task over again while this copy still ran): the
    newer claim's run keeps its own result, and needs the file."""
    with transaction.atomic():
        still_ours = (
            RosterImport.objects.select_for_update()
            .filter(
                pk=roster_import.pk,
                status=RosterImport.Status.READING,
                reading_started_at=claimed_at,
                reading_task_id=task_id,
            )
            .exists()
        )
        if not still_ours:
            return False
        # The original file may hold parents' NIKs and bank accounts: it goes once read.
        if roster_import.file:
            roster_import.file.delete(save=False)
        roster_import.save()
    return True


def _read(roster_import, fileobj):
    """Read and check the upload into `roster_import` (not saved): READY with its preview,
    or FAILED with the reason."""
    roster_import_id = roster_import.pk

    def progress(fraction):
        RosterImport.objects.filter(pk=roster_import_id).update(progress=int(100 * fraction))

    try:
        with _opened(roster_import, fileobj) as source:
            preview = roster_preview(
                fileobj=source,
                filename=roster_import.original_name,
                school=roster_import.school,
                on_progress=progress,
            )
    except intake.FileRejected as exc:
        _fail(roster_import, exc.code, exc.message)
    except SoftTimeLimitExceeded:
        _fail(
            roster_import,
            intake.FILE_TOO_LARGE,
            _("Reading this file took too long. Split the list into smaller files."),
        )
    except Exception:
        # Whatever went wrong, the uploader must not watch a progress bar for ever.
        logger.exception("roster import %s could not be read", roster_import_id)
        _fail(
            roster_import,
            intake.FILE_UNSUPPORTED,
            _(
                "This file could not be read. Save it again as “Excel Workbook (.xlsx)” and "
                "upload it; if that fails too, send it to the population office."
            ),
        )
    else:
        keep_preview(roster_import, preview)
        roster_import.status = RosterImport.Status.READY


@contextmanager
def _opened(roster_import, fileobj):
    if fileobj is not None:
        fileobj.seek(0)
        yield fileobj
        return
    if not roster_import.file:
        raise intake.unsupported(_("The uploaded file is no longer there: upload it again."))
    with roster_import.file.open("rb") as stored:
        yield stored


def _fail(roster_import, code, message):
    roster_import.status = RosterImport.Status.FAILED
    roster_import.file_error_code = code
    roster_import.file_error_message = str(message)[:500]


def keep_preview(roster_import, preview):
    counts = preview.counts
    roster_import.layout = preview.layout
    roster_import.columns = list(preview.columns.items())
    roster_import.ignored_columns = preview.ignored_columns
    roster_import.rows = preview.rows
    roster_import.issues = preview.issues
    roster_import.changes = preview.changes
    roster_import.row_count = counts["rows"]
    roster_import.valid_count = counts["valid"]
    roster_import.invalid_count = counts["invalid"]
    roster_import.new_count = counts["new"]
    roster_import.changed_count = counts["changed"]
    roster_import.unchanged_count = counts["unchanged"]
    roster_import.move_count = counts["moves"]


@transaction.atomic
def roster_import_from_preview(*, preview, school, filename, user=None):
    """A ready RosterImport made from a preview (the command line's way in)."""
    roster_import = RosterImport(
        school=school,
        uploaded_by=user,
        original_name=display_name(filename),
        status=RosterImport.Status.READY,
        progress=100,
        read_at=timezone.now(),
    )
    keep_preview(roster_import, preview)
    roster_import.save()
    return roster_import


def roster_import_save(*, fileobj, filename, school, user=None):
    """Read a roster and save its valid rows at once (the command line's --commit); returns
    the committed RosterImport. Raises intake.FileRejected when the file cannot be read.

    The rows are checked and compared with the register once, by the commit, under lock:
    what a preview would find is what the commit finds a moment later. They go from memory
    to the commit; the upload keeps only the refused ones, as any committed upload does.
    The file saved a moment ago, sent again, is recognised and not read (repeats).
    """
    digest = file_digest(fileobj)
    repeat = _saved_repeat(school=school, user=user, filename=filename, digest=digest)
    if repeat is not None:
        return repeat
    sheet = reading.read_roster(fileobj, filename)
    with transaction.atomic():
        roster_import = RosterImport.objects.create(
            school=school,
            uploaded_by=user,
            original_name=display_name(filename),
            file_digest=digest,
            status=RosterImport.Status.READY,
            progress=100,
            read_at=timezone.now(),
            layout=sheet.layout,
            columns=list(sheet.columns.items()),
            ignored_columns=sheet.ignored_columns,
            row_count=len(sheet.rows),
        )
        return roster_import_commit(roster_import_id=roster_import.pk, user=user, rows=sheet.rows)
