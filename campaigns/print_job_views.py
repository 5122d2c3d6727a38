"""Every visit pack in one PDF: ask for it, follow its progress, download it."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import STUDENT, audit_record_query
from ktpku.access import POST, SAFE, requires

from . import access
from .models import PrintJob, Visit
from .print_jobs import pack_visits, print_job_request


@requires(access.can_plan_campaign, load=access.get_campaign_for_user, methods=POST)
def print_request(request, campaign):
    team_id = request.POST.get("tim")
    team = get_object_or_404(campaign.teams, pk=team_id) if team_id else None
    job = print_job_request(campaign=campaign, team=team, by=request.user)
    if not job.total:
        messages.info(request, _("There is no accepted visit to print yet."))
    return redirect("campaigns:print_job", pk=job.pk)


@requires(access.can_open_print_job, load=access.get_print_job_for_user, methods=SAFE)
def print_job(request, job):
    return render(request, "campaigns/print_job.html", {"job": job})


@requires(access.can_open_print_job, load=access.get_print_job_for_user, methods=SAFE)
def print_progress(request, job):
    """The progress box, polled while the job runs; when it is over, reload the page."""
    if job.state not in (PrintJob.State.QUEUED, PrintJob.State.RUNNING):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "campaigns/_print_progress.html", {"job": job})


@requires(access.can_open_print_job, load=access.get_print_job_for_user, methods=SAFE)
def print_download(request, job):
    if job.state != PrintJob.State.DONE or not job.file:
        raise Http404
    with job.file.open("rb") as pdf:
        response = HttpResponse(pdf.read(), content_type="application/pdf")
    audit_record_query(
        actor=request.user,
        action=Action.PRINTED,
        object_type=STUDENT,
        ids=Visit.students.through.objects.filter(
            visit__in=pack_visits(job.campaign, job.team).values("pk")
        ).values("student_id"),
        details={"document": "visit_packs", "print_job": job.pk},
    )
    response["Content-Disposition"] = f'attachment; filename="{job.file.name.rsplit("/", 1)[-1]}"'
    return response
