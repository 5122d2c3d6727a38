"""The data-subject export page: a NIK, posted, gives everything held about that student."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import STUDENT, audit_record
from ktpku.access import requires
from students.filters import NikSearchForm

from . import access
from .subject_export import subject_export_pdf, subject_student


@requires(access.can_export_subject_data, methods=("GET", "HEAD", "POST"))
def subject_export(request):
    form = NikSearchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        student = subject_student(form.cleaned_data["nik"])
        if student is None:
            form.add_error("nik", _("No student has this NIK."))
        else:
            content = subject_export_pdf(student)
            audit_record(
                actor=request.user,
                action=Action.SUBJECT_EXPORT,
                object_type=STUDENT,
                object_ids=[student.pk],
            )
            response = HttpResponse(content, content_type="application/pdf")
            stamp = timezone.localtime().strftime("%Y%m%d")
            response["Content-Disposition"] = (
                f'attachment; filename="data-pribadi-{student.pk}-{stamp}.pdf"'
            )
            return response
    return render(request, "campaigns/subject_export.html", {"form": form})
