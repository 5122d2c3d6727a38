"""LOG-04 / PDP-04: printing a visit pack or the packs of a campaign is recorded per student."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from campaigns.models import PrintJob
from campaigns.tasks import make_visit_packs

from .conftest import make_visits

pytestmark = pytest.mark.django_db


def _printed():
    return sorted(
        AuditEvent.objects.filter(action="printed").values_list("actor_id", "object_id", "details")
    )


def test_visit_pack_records_each_student_printed(client, staf, campaign, team, caplog):
    visit = make_visits(campaign, team, 2)[0]
    client.force_login(staf)

    with caplog.at_level("INFO", logger="ktpku.audit"):
        client.get(reverse("campaigns:visit_pack", args=[visit.pk]))

    details = {"document": "visit_pack", "visit": visit.pk}
    assert _printed() == sorted((staf.pk, s.pk, details) for s in visit.students.all())
    assert [r.getMessage() for r in caplog.records if r.name == "ktpku.audit"] == [
        f"printed user={staf.pk} student_count=2 document=visit_pack visit={visit.pk}"
    ]


def test_print_job_download_records_every_student_of_its_visits(
    client, staf, campaign, team, media
):
    visits = make_visits(campaign, team, 2)
    client.force_login(staf)
    client.post(reverse("campaigns:print_request", args=[campaign.pk]))
    job = PrintJob.objects.get()
    make_visit_packs.apply(args=[job.pk])

    client.get(reverse("campaigns:print_download", args=[job.pk]))

    details = {"document": "visit_packs", "print_job": job.pk}
    students = [s.pk for visit in visits for s in visit.students.all()]
    assert _printed() == sorted((staf.pk, pk, details) for pk in students)
