"""Lists as xlsx: the one way every export is made, kept and handed out.

An app describes an export (`Export`): who may take it, whether they may have full NIKs,
how many rows its filters give and its sheets as row iterators. It registers the export
from its AppConfig.ready(), so this module imports none of the apps. The rest is the same
for all:
- up to EXPORT_SYNC_MAX_ROWS rows, the workbook is written while the user waits;
- above that, an ExportJob is made by the task `ktpku.make_export` on the slow queue, with
  progress; the file lives under MEDIA in a folder of the requester's, leaves only through
  the download view (the requester, while they may still take that export) and is erased
  after EXPORT_KEEP_HOURS;
- every export is recorded by the app (`Export.record`: the audit trail, one row per
  student) and logged as an event.
Cells are written by ktpku.xlsx: text is never a formula, identifiers are Text.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from . import log, xlsx

# A stale claim: a job RUNNING this long ago died with its worker and may be run again.
STALE_RUNNING = datetime.timedelta(minutes=20)
# The error kept on a job the broker never took (Redis unreachable).
NOT_SENT = "not_sent"
PROGRESS_STEPS = 100
DOCUMENT_LANGUAGE = "id"


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: list
    rows: Any  # an iterable of value lists, read once


class Export:
    """What an app says about one of its exports; subclasses fill in every method."""

    kind = ""
    title = ""  # what the job page calls it
    file_stem = "ekspor"

    def may_export(self, user):
        raise NotImplementedError

    def may_show_full_nik(self, user):
        return False

    def count(self, user, params):
        """The number of rows the workbook will have (all sheets together)."""
        raise NotImplementedError

    def sheets(self, user, params, *, full_nik, seen):
        """[Sheet]; the rows append the id of each student they show to the list `seen`."""
        raise NotImplementedError

    def record(self, user, student_ids, *, details):
        """Note who took which students' data out (the audit trail)."""
        raise NotImplementedError


_registry = {}


def register(export):
    _registry[export.kind] = export
    return export


def registered(kind):
    """The export registered under `kind` (KeyError for an unknown one)."""
    return _registry[kind]


def download_name(export):
    return f"{export.file_stem}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def build(export, *, user, params, full_nik, on_row=None):
    """(xlsx bytes, [student id]) of the export for `user`, in Indonesian like every
    document the office hands out."""
    from openpyxl import Workbook

    seen = []
    workbook = Workbook(write_only=True)
    with translation.override(DOCUMENT_LANGUAGE):
        for sheet in export.sheets(user, params, full_nik=full_nik, seen=seen):
            xlsx.write_table(
                workbook.create_sheet(sheet.title), sheet.columns, sheet.rows, on_row=on_row
            )
    return xlsx.save(workbook), seen


def _finish(export, *, user, params, full_nik, seen, request=None, job=None):
    details = {"export": export.kind, "full_nik": full_nik}
    if job is not None:
        details["export_job"] = job.pk
    export.record(user, seen, details=details)
    # LOG-01: who took which list out, and whether with full NIKs (the filters, never a
    # NIK, say which list).
    log.event(
        request,
        "export",
        outcome="success",
        kind=export.kind,
        students=len(seen),
        full_nik=full_nik,
        filters=params,
        user_id=user.pk,
    )


def export_now(export, *, user, params, full_nik, request=None):
    """Write a small export while the user waits: (bytes, download name)."""
    content, seen = build(export, user=user, params=params, full_nik=full_nik)
    _finish(export, user=user, params=params, full_nik=full_nik, seen=seen, request=request)
    return content, download_name(export)


def export_job_request(export, *, user, params, full_nik, total):
    """A job for a large export, sent to a worker once its row is committed.

    When the broker cannot take it the job is failed at once (error NOT_SENT): the page
    says so instead of waiting for a worker that will never hear of it.
    """
    from .models import ExportJob

    job = ExportJob.objects.create(
        kind=export.kind,
        params=params,
        full_nik=full_nik,
        requested_by=user,
        total=total,
    )
    transaction.on_commit(lambda: _send(job.pk))
    job.refresh_from_db()  # outside a transaction the callback has run already
    return job


def _send(job_id):
    from .models import ExportJob
    from .tasks import enqueue, make_export

    if not enqueue(make_export, job_id):
        ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
            state=ExportJob.State.FAILED, error=NOT_SENT, finished_at=timezone.now()
        )


def _claim(job_id):
    from .models import ExportJob

    now = timezone.now()
    return (
        ExportJob.objects.filter(pk=job_id)
        .filter(
            Q(state=ExportJob.State.QUEUED)
            | Q(state=ExportJob.State.RUNNING, started_at__lt=now - STALE_RUNNING)
        )
        .update(state=ExportJob.State.RUNNING, started_at=now, done=0)
    )


def export_job_run(job_id):
    """The task's work: claim the job, write the workbook with progress, keep the file.

    A second delivery finds the job no longer queued and does nothing. The rows are the
    requester's as they are now, and only while they may still take this export.
    """
    from .models import ExportJob

    if not _claim(job_id):
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    user = job.requested_by
    try:
        export = registered(job.kind)
        if not export.may_export(user) or (job.full_nik and not export.may_show_full_nik(user)):
            raise PermissionError("the requester may no longer take this export")
        total = export.count(user, job.params)
        ExportJob.objects.filter(pk=job.pk).update(total=total)
        step = max(1, total // PROGRESS_STEPS)
        written = 0

        def on_row():
            nonlocal written
            written += 1
            if written % step == 0:
                ExportJob.objects.filter(pk=job.pk).update(done=written)

        content, seen = build(
            export, user=user, params=job.params, full_nik=job.full_nik, on_row=on_row
        )
        name = download_name(export)
        # Recorded before the file can be downloaded: no file without its audit rows.
        _finish(export, user=user, params=job.params, full_nik=job.full_nik, seen=seen, job=job)
        job.file.save(name, ContentFile(content), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.DONE,
            file=job.file.name,
            download_name=name,
            done=written,
            total=written,
            finished_at=timezone.now(),
        )
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        log.event(
            None,
            "export_failed",
            outcome="error",
            level=logging.ERROR,
            kind=job.kind,
            export_job=job.pk,
            error=str(error)[:500],
        )
        return None
    return job.pk


def export_jobs_purge(now=None):
    """Erase the files of exports finished more than EXPORT_KEEP_HOURS ago (and the
    filters they were asked with); the job rows stay, EXPIRED. Returns how many."""
    from .models import ExportJob

    now = now or timezone.now()
    old = ExportJob.objects.filter(
        finished_at__lt=now - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    ).exclude(state=ExportJob.State.EXPIRED)
    purged = 0
    for job in old.only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
        purged += ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.EXPIRED, file="", params={}
        )
    return purged
