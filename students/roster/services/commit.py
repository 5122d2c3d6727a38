"""Saving a ready upload: the valid rows in one transaction, possible moves left to staff.

The rows are checked again against the register as it is at that moment, under lock. New
students start at the default status; existing ones get the changed fields only (never
their status); a student on another school's roster gets a pending SchoolMoveRequest.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from schools.regions import kecamatan_prefixes
from students.models import RosterImport, SchoolMoveRequest, Student

from .. import validation
from ..fields import UPDATABLE
from .preview import change_entry, plan_rows, sorted_issues

CHANGE_REASON = "roster upload"


class RosterNotReady(Exception):
    """The upload is not (or no longer) waiting for confirmation."""


@transaction.atomic
def roster_import_commit(*, roster_import_id, user):
    """Write the valid rows of a ready upload in one transaction; returns the RosterImport.

    The rows are checked again against the register as it is now. New students start at
    the default status; existing ones get the changed fields only (never their status).
    Students on another school's roster get a pending SchoolMoveRequest instead.
    """
    roster_import = (
        RosterImport.objects.select_for_update(of=("self",))
        .select_related("school")
        .get(pk=roster_import_id)
    )
    if roster_import.status != RosterImport.Status.READY:
        raise RosterNotReady(roster_import.get_status_display())
    school = roster_import.school
    columns = roster_import.column_map
    results = validation.validate_rows(
        roster_import.rows,
        columns,
        known_regions=kecamatan_prefixes(),
        layout=roster_import.layout,
    )
    plan = plan_rows(results, school=school, columns=columns, lock=True)

    created = _create_students(plan.new, school=school, user=user, columns=columns)
    now = timezone.now()
    to_update, fields = [], {"updated_at"}
    for _result, student, diff in plan.changed:
        for name, (_old, new) in diff.items():
            setattr(student, name, new)
            fields.add(name)
        student.updated_at = now
        to_update.append(student)
    if to_update:
        bulk_update_with_history(
            to_update,
            Student,
            sorted(fields),
            batch_size=1000,
            default_user=user,
            default_change_reason=CHANGE_REASON,
        )
    _request_moves(plan.moves, school=school, roster_import=roster_import)

    valid = sum(1 for result in results if result.is_valid)
    # Once saved, the students are in the register: keep only the rows still to be fixed.
    refused = {result.row for result in results if not result.is_valid}
    roster_import.rows = [record for record in roster_import.rows if record["row"] in refused]
    roster_import.issues = sorted_issues(results, columns)
    roster_import.changes = [
        change_entry(result, student, diff) for result, student, diff in plan.changed
    ]
    roster_import.valid_count = valid
    roster_import.invalid_count = len(results) - valid
    roster_import.new_count = roster_import.created_count = created
    roster_import.changed_count = roster_import.updated_count = len(to_update)
    roster_import.unchanged_count = len(plan.unchanged)
    roster_import.move_count = len(plan.moves)
    roster_import.status = RosterImport.Status.COMMITTED
    roster_import.committed_at = now
    roster_import.committed_by = user
    roster_import.save()
    return roster_import


def _create_students(results, *, school, user, columns):
    """bulk_create the new students; rows whose NIK another upload took meanwhile lose.

    Two uploads of the same new NIK at once: the unique constraint lets one win, and the
    other's rows get a row-level error instead of a failed request.
    """
    pending = list(results)
    for _attempt in range(3):
        if not pending:
            return 0
        students = [_new_student(result.values, school) for result in pending]
        try:
            with transaction.atomic():
                bulk_create_with_history(
                    students,
                    Student,
                    batch_size=1000,
                    default_user=user,
                    default_change_reason=CHANGE_REASON,
                )
            return len(students)
        except IntegrityError:
            niks = [result.values["nik"] for result in pending]
            taken = set(Student.objects.filter(nik__in=niks).values_list("nik", flat=True))
            for result in pending:
                if result.values["nik"] in taken:
                    result.add(
                        columns.get("nik"),
                        "nik_already_registered",
                        validation.ERROR,
                        _(
                            "This NIK was registered by another upload a moment ago. "
                            "Upload the file again to see where the student is now."
                        ),
                    )
            pending = [result for result in pending if result.values["nik"] not in taken]
    raise IntegrityError("roster rows kept conflicting with concurrent uploads")


def _new_student(values, school):
    fields = {name: values[name] for name in UPDATABLE if values.get(name)}
    return Student(nik=values["nik"], school=school, **fields)


def _request_moves(moves, *, school, roster_import):
    if not moves:
        return
    waiting = set(
        SchoolMoveRequest.objects.filter(
            status=SchoolMoveRequest.Status.PENDING,
            to_school=school,
            student__in=[student.pk for _result, student in moves],
        ).values_list("student_id", flat=True)
    )
    SchoolMoveRequest.objects.bulk_create(
        [
            SchoolMoveRequest(
                student=student,
                from_school_id=student.school_id,
                to_school=school,
                roster_import=roster_import,
                class_name=result.values.get("class_name", ""),
            )
            for result, student in moves
            if student.pk not in waiting
        ],
        ignore_conflicts=True,
    )
