"""Reading the audit trail about students (UU 27/2022 Pasal 31, 32 and 46).

Two questions, each answered by indexed queries: which children did user U view, reveal,
export or print between t1 and t2 (audit_event actor+time index), and everything done to
child C (the audit rows by object, the simple-history versions, the lifecycle events).
"""

from dataclasses import dataclass

from audit.models import AuditEvent
from audit.services import STUDENT

from .models import Student, StudentEvent


@dataclass
class TrailEntry:
    at: object
    who: object
    what: str
    detail: str


def children_touched_by(user, start, end):
    """The audit rows of `user` on students in [start, end), newest first, each with its
    student (None when the student was since deleted)."""
    events = list(
        AuditEvent.objects.filter(
            actor=user, object_type=STUDENT, at__gte=start, at__lt=end
        ).order_by("-at", "-pk")[:2000]
    )
    students = Student.objects.select_related("school").in_bulk(
        {event.object_id for event in events}
    )
    for event in events:
        event.student = students.get(event.object_id)
    return events


def everything_done_to(student):
    """Every audit row, saved version and lifecycle event of `student`, oldest first."""
    entries = [
        TrailEntry(event.at, event.actor, event.get_action_display(), _details(event.details))
        for event in AuditEvent.objects.filter(object_type=STUDENT, object_id=student.pk)
        .select_related("actor")
        .order_by("at", "pk")
    ]
    versions = list(student.history.select_related("history_user").order_by("history_date"))
    previous = None
    for version in versions:
        changed = _changed_fields(previous, version)
        entries.append(
            TrailEntry(
                version.history_date,
                version.history_user,
                version.get_history_type_display(),
                ", ".join(changed),
            )
        )
        previous = version
    entries.extend(
        TrailEntry(event.recorded_at, event.recorded_by, event.get_kind_display(), event.note)
        for event in StudentEvent.objects.filter(student=student).select_related("recorded_by")
    )
    return sorted(entries, key=lambda entry: entry.at)


def _changed_fields(previous, version):
    """The verbose names of the fields a version changed (never their values: a NIK
    correction would show two full NIKs)."""
    if previous is None:
        return []
    delta = version.diff_against(previous)
    return [str(Student._meta.get_field(change.field).verbose_name) for change in delta.changes]


def _details(details):
    return ", ".join(f"{key}: {value}" for key, value in sorted(details.items()))
