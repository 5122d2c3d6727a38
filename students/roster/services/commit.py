"""Saving a ready upload: the valid rows in one transaction, possible moves left to staff.

The rows are checked again against the register as it is at that moment, under lock. New
students start at the default status; existing ones get the changed fields only (never
their status); a student on another school's roster gets a pending SchoolMoveRequest.
"""

import csv
import io

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from schools.regions import kecamatan_prefixes
from students.history import CREATED, record_history
from students.models import RosterImport, SchoolMoveRequest, Student

from .. import validation
from ..fields import UPDATABLE
from .preview import change_entry, plan_rows, sorted_issues

CHANGE_REASON = "roster upload"
# The fields of a new student that come from the roster; the others take their defaults.
NEW_FIELDS = ("nik", *UPDATABLE)


class RosterNotReady(Exception):
    """The upload is not (or no longer) waiting for confirmation."""


@transaction.atomic
def roster_import_commit(*, roster_import_id, user, rows=None):
    """Write the valid rows of a ready upload in one transaction; returns the RosterImport.

    The rows are checked again against the register as it is now. New students start at
    the default status; existing ones get the changed fields only (never their status).
    Students on another school's roster get a pending SchoolMoveRequest instead. `rows` are
    the upload's rows when the caller holds them already (roster_import_save); otherwise
    they are those the upload kept.
    """
    uploads = RosterImport.objects.select_for_update(of=("self",)).select_related("school")
    if rows is not None:
        uploads = uploads.defer("rows")
    roster_import = uploads.get(pk=roster_import_id)
    if roster_import.status != RosterImport.Status.READY:
        raise RosterNotReady(roster_import.get_status_display())
    if rows is None:
        rows = roster_import.rows
    school = roster_import.school
    columns = roster_import.column_map
    results = validation.validate_rows(
        rows,
        columns,
        known_regions=kecamatan_prefixes(),
        layout=roster_import.layout,
    )
    plan = plan_rows(results, school=school, columns=columns, lock=True)

    now = timezone.now()
    created = _create_students(plan.new, school=school, user=user, columns=columns, now=now)
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
    roster_import.rows = [record for record in rows if record["row"] in refused]
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


def _create_students(results, *, school, user, columns, now):
    """INSERT the new students and their history rows, set-based; returns how many.

    Two uploads of the same new NIK at once: the unique index lets one win (ours waits for
    the other's transaction), and the rows it lost get a row-level error instead of a
    failed request.
    """
    if not results:
        return 0
    created = _insert_students([result.values for result in results], school=school, now=now)
    for result in results:
        if result.values["nik"] not in created:
            result.add(
                columns.get("nik"),
                "nik_already_registered",
                validation.ERROR,
                _(
                    "This NIK was registered by another upload a moment ago. "
                    "Upload the file again to see where the student is now."
                ),
            )
    record_history(
        list(created.values()),
        kind=CREATED,
        when=now,
        reason=CHANGE_REASON,
        user_id=user.pk if user is not None else None,
    )
    return len(created)


def _insert_students(rows, *, school, now):
    """INSERT a student for each row of values, leaving out the NIKs registered meanwhile
    (ON CONFLICT DO NOTHING); returns {nik: id} of the students inserted.

    The fields a roster sets come from the rows, every other field from a new Student of
    `school`. PostgreSQL takes the rows with one COPY into a temporary table and one
    INSERT ... SELECT; other databases (the SQLite demo) with multi-row INSERTs.
    """
    given = [Student._meta.get_field(name) for name in NEW_FIELDS]
    template = Student(school=school, created_at=now, updated_at=now)
    fixed = [
        field
        for field in Student._meta.concrete_fields
        if not field.primary_key and field.name not in NEW_FIELDS
    ]
    fixed_values = [
        field.get_db_prep_save(getattr(template, field.attname), connection) for field in fixed
    ]
    records = [
        [values.get(field.name) or field.get_default() for field in given] for values in rows
    ]
    table = Student._meta.db_table
    names = ", ".join(field.column for field in given + fixed)
    conflict = "ON CONFLICT (nik) DO NOTHING RETURNING nik, id"
    inserted = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            given_names = ", ".join(field.column for field in given)
            cursor.execute(
                f"CREATE TEMP TABLE new_student AS SELECT {given_names} FROM {table} WITH NO DATA"  # noqa: S608
            )
            buffer = io.StringIO()
            csv.writer(buffer).writerows(records)
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY new_student FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({given_names}))", buffer
            )
            marks = ", ".join(["%s"] * len(fixed))
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT *, {marks} FROM new_student {conflict}",  # noqa: S608
                fixed_values,
            )
            inserted = cursor.fetchall()
            cursor.execute("DROP TABLE new_student")
        else:
            row_marks = "(" + ", ".join(["%s"] * (len(given) + len(fixed))) + ")"
            size = connection.ops.bulk_batch_size(given + fixed, records)
            for start in range(0, len(records), size):
                batch = records[start : start + size]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
                    + ", ".join([row_marks] * len(batch))
                    + f" {conflict}",
                    [value for record in batch for value in (*record, *fixed_values)],
                )
                inserted += cursor.fetchall()
    return dict(inserted)


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
