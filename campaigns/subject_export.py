"""The data-subject export (UU 27/2022 Pasal 32): everything held about one NIK, as a PDF.

For an access request by a student or their parent: the record itself (the NIK in full,
it is the requester's own), the lifecycle events, the visits planned for them, possible
school moves, and who viewed, revealed, exported or printed the record.
"""

from django.utils import timezone, translation

from audit.models import AuditEvent
from audit.services import STUDENT
from students.models import SchoolMoveRequest, Student

from .models import Visit
from .pdf import render_pdf


def subject_student(nik):
    """The student with this NIK (school and kecamatan joined), or None."""
    return Student.objects.for_list().filter(nik=nik).first()


def _context(student):
    return {
        "student": student,
        "events": list(student.events.select_related("recorded_by").order_by("date", "pk")),
        "visits": list(
            Visit.objects.filter(students=student)
            .select_related("campaign", "school", "team")
            .order_by("date", "pk")
        ),
        "moves": list(
            SchoolMoveRequest.objects.filter(student=student)
            .select_related("from_school", "to_school")
            .order_by("created_at", "pk")
        ),
        "accesses": list(
            AuditEvent.objects.filter(object_type=STUDENT, object_id=student.pk)
            .select_related("actor")
            .order_by("at", "pk")
        ),
        "printed": timezone.localtime(),
    }


def subject_export_pdf(student):
    with translation.override("id"):
        return render_pdf("campaigns/print/subject_export.html", _context(student))
