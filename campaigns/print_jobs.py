"""Every visit pack of a campaign (or of one team) as one PDF, made by a task.

A campaign has hundreds of students: the packs take longer than a page may wait, so
the page asks for a job and follows its progress. Each visit's pack keeps its own page
numbers ("Halaman 1 dari 3" is the letter and checklist of that school).
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from ktpku.tasks import enqueue

from .models import PrintJob, Visit


def pack_visits(campaign, team=None):
    visits = campaign.visits.filter(status=Visit.Status.ACCEPTED)
    if team is not None:
        visits = visits.filter(team=team)
    return visits.for_list().order_by("date", "team__name", "pk")


PACKS_UNAVAILABLE = gettext_lazy(
    "The background service is not available at the moment, so the visit packs are not "
    "being made. Try again in a few minutes."
)


@transaction.atomic
def print_job_request(*, campaign, team=None, by):
    """A new job for the accepted visits' packs, queued once the request commits.

    When the broker cannot take it the job is marked failed at once (never left waiting
    for a worker that will not hear of it) and the user is told (ktpku.tasks).
    """
    from .tasks import make_visit_packs

    job = PrintJob.objects.create(
        campaign=campaign, team=team, requested_by=by, total=pack_visits(campaign, team).count()
    )

    def send():
        if not enqueue(make_visit_packs, job.pk, unavailable=PACKS_UNAVAILABLE):
            PrintJob.objects.filter(pk=job.pk, state=PrintJob.State.QUEUED).update(
                state=PrintJob.State.FAILED,
                error="the broker could not be reached",
                finished_at=timezone.now(),
            )

    transaction.on_commit(send)
    return job


def print_job_run(job_id):
    """The task's work: claim the queued job, render pack after pack, store the PDF.

    A second delivery finds the job no longer queued and does nothing.
    """
    from .pdf import document
    from .printables import visit_pack_html

    claimed = PrintJob.objects.filter(pk=job_id, state=PrintJob.State.QUEUED).update(
        state=PrintJob.State.RUNNING
    )
    if not claimed:
        return None
    job = PrintJob.objects.select_related("campaign", "team").get(pk=job_id)
    try:
        visits = list(pack_visits(job.campaign, job.team))
        PrintJob.objects.filter(pk=job.pk).update(total=len(visits), done=0)
        documents = []
        with translation.override("id"):
            for number, visit in enumerate(visits, start=1):
                documents.append(document(visit_pack_html(visit)).render())
                PrintJob.objects.filter(pk=job.pk).update(done=number)
        pages = [page for document in documents for page in document.pages]
        content = documents[0].copy(pages).write_pdf() if documents else b""
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"paket-kunjungan-{job.campaign_id}-{stamp}.pdf"
        job.file.save(name, ContentFile(content), save=False)
        PrintJob.objects.filter(pk=job.pk).update(
            state=PrintJob.State.DONE, file=job.file.name, finished_at=timezone.now()
        )
    except Exception as error:
        PrintJob.objects.filter(pk=job.pk).update(
            state=PrintJob.State.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        raise
    return job.pk
