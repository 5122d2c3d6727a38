"""The "Unduh Excel" answer every list shares, and a large export's pages: its progress
and its download, for the user who asked for it."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .access import SAFE, can_take_export, get_export_job_for_user, requires
from .exports import NOT_SENT, export_job_request, export_now, registered
from .models import ExportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The box "Tampilkan NIK lengkap" on the export forms.
FULL_NIK_FIELD = "nik_lengkap"


def _attachment(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export_answer(request, export, params, *, back):
    """Answer an export form: the workbook itself when it is small, else a job's page.

    Full NIKs only when the box was ticked and the user may have them; otherwise masked.
    `back` is where to return when the job cannot be sent (the list, with its filters).
    """
    user = request.user
    full_nik = request.POST.get(FULL_NIK_FIELD) == "1" and export.may_show_full_nik(user)
    total = export.count(user, params)
    if total <= settings.EXPORT_SYNC_MAX_ROWS:
        content, name = export_now(
            export, user=user, params=params, full_nik=full_nik, request=request
        )
        return _attachment(content, name)
    job = export_job_request(export, user=user, params=params, full_nik=full_nik, total=total)
    if job.state == ExportJob.State.FAILED and job.error == NOT_SENT:
        messages.error(
            request,
            _(
                "This export has %(count)s rows, too many to write while you wait, and the "
                "background worker cannot be reached just now. Try again in a few minutes, "
                "or narrow the filter to at most %(max)s rows to download at once."
            )
            % {
                "count": number_format(total, force_grouping=True),
                "max": number_format(settings.EXPORT_SYNC_MAX_ROWS, force_grouping=True),
            },
        )
        return redirect(back)
    return redirect("export_job", pk=job.pk)


def _context(job):
    waited = timezone.now() - job.created_at
    return {
        "job": job,
        "title": registered(job.kind).title,
        # Queued for long: no worker seems to be taking the slow queue.
        "no_worker": job.state == ExportJob.State.QUEUED
        and waited > datetime.timedelta(seconds=settings.EXPORT_WORKER_WAIT_SECONDS),
        "sync_max": settings.EXPORT_SYNC_MAX_ROWS,
        "keep_hours": settings.EXPORT_KEEP_HOURS,
    }


@requires(can_take_export, load=get_export_job_for_user, methods=SAFE)
def export_job(request, job):
    return render(request, "ktpku/export_job.html", _context(job))


@requires(can_take_export, load=get_export_job_for_user, methods=SAFE)
def export_progress(request, job):
    """The progress box, polled while the job waits or runs; then the page reloads."""
    if not job.is_pending:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "ktpku/_export_progress.html", _context(job))


@requires(can_take_export, load=get_export_job_for_user, methods=SAFE)
def export_download(request, job):
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    with job.file.open("rb") as stored:
        return _attachment(stored.read(), job.download_name)
