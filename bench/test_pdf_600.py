"""pdf_600: the handover receipt (tanda terima) of a batch of 600 cards.

Prints {"scenario": "pdf_600", "seconds", "floor_seconds", "ratio", "cpu_ratio", "pages",
"kb"}: seconds is the receipt view's response time (session, access check, queries,
template, QR code, PDF), floor_seconds WeasyPrint alone writing the same final HTML
string, ratio the one over the other; each the fastest of five runs, alternated, after a
warm-up (whatever else runs on the machine only ever adds time). cpu_ratio is the same
ratio in this process's CPU time, which a busy machine disturbs far less (the view's few
queries, run by PostgreSQL, are left out of it). Target: ratio at most 1.3.

The 600 students go through the product's own steps: recorded, print ready, due, then
printed (which puts their cards in the school's batch for its coming visit).
"""

import datetime
import re
import subprocess
import time

import factory
import pytest
from django.conf import settings
from django.urls import reverse

from bench.report import emit
from campaigns.card_models import HandoverBatch
from campaigns.cards import printing, receipt
from students import dates, lifecycle
from students.models import EventKind
from tests.campaigns.factories import VisitFactory
from tests.campaigns.pdftext import pdf_to_text
from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import pass_second_factor

STUDENTS = 600
RUNS = 5


def timed(run):
    """(wall-clock seconds, this process's CPU seconds) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def pages(pdf):
    """The page count, as poppler's pdfinfo reads it."""
    done = subprocess.run(  # noqa: S603 - a fixed program reading our own bytes
        ["/usr/bin/pdfinfo", "-"], input=pdf, capture_output=True, check=True
    )
    return int(re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE).group(1))


@pytest.mark.django_db
def test_pdf_600(client):
    from weasyprint import HTML

    today = dates.today()
    school = SchoolFactory()
    VisitFactory(school=school, date=today + datetime.timedelta(days=3))
    born = today.replace(year=today.year - 18, day=1)
    classes = factory.Iterator([f"XII IPA {k}" for k in range(1, 13)])  # twelve of fifty
    students = StudentFactory.create_batch(
        STUDENTS, school=school, birth_date=born, class_name=classes
    )
    ids = [student.pk for student in students]
    sixteen = born.replace(year=born.year + 16)
    for kind, on in (
        (EventKind.RECORDED, sixteen),
        (EventKind.PRINT_READY, sixteen),
        (EventKind.DUE_FOR_PRINT, today),
    ):
        lifecycle.apply_many(ids, kind, on=on, by=None)
    staff = UserFactory(role="staf")
    assert len(printing.mark_printed(ids, on=today, by=staff)) == STUDENTS
    batch = HandoverBatch.objects.select_related("school", "visit__team").get(school=school)
    client.force_login(staff)
    pass_second_factor(client, staff)
    url = reverse("campaigns:batch_receipt", args=[batch.pk])

    html = receipt.receipt_html(
        batch, page_url=f"http://testserver{reverse('campaigns:batch', args=[batch.pk])}"
    )

    def floor_pdf():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

    response = client.get(url)  # warm-up: WeasyPrint's import, fonts, templates
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    pdf = response.content
    assert pdf_to_text(pdf) == pdf_to_text(floor_pdf())  # the same document
    # Alternated, so that a busy moment of the machine weighs on both alike.
    runs = [(timed(lambda: client.get(url)), timed(floor_pdf)) for _ in range(RUNS)]
    seconds, cpu = (min(run[0][n] for run in runs) for n in (0, 1))
    floor, floor_cpu = (min(run[1][n] for run in runs) for n in (0, 1))
    emit(
        "pdf_600",
        seconds=round(seconds, 2),
        floor_seconds=round(floor, 2),
        ratio=round(seconds / floor, 3),
        cpu_ratio=round(cpu / floor_cpu, 3),
        pages=pages(pdf),
        kb=round(len(pdf) / 1024),
    )
