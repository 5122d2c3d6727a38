"""Saving a ready upload: the valid rows in one transaction, possible moves left to staff.

The rows are checked again against the register as it is at that moment, under lock. New
students start at the default status; existing ones get the changed fields only (never
their status); a student on another school's roster gets a pending SchoolMoveRequest.

The writes are set-based, whatever the number of rows: the new students in one INSERT, the
changed ones in one UPDATE, and the history rows of both in one INSERT ... SELECT each
(students.history). On PostgreSQL the rows reach the database by COPY into a temporary
table; other databases (the SQLite demo) take them as multi-row statements.
"""

import csv
import io

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.regions import kecamatan_prefixes
from students.history import CHANGED, CREATED, db_datetime, record_history
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
    user_id = user.pk if user is not None else None
    created = _create_students(plan.new, school=school, columns=columns, now=now)
    record_history(created, kind=CREATED, when=now, reason=CHANGE_REASON, user_id=user_id)
    updated = _update_students(plan.changed, now=now)
    record_history(updated, kind=CHANGED, when=now, reason=CHANGE_REASON, user_id=user_id)
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
    roster_import.new_count = roster_import.created_count = len(created)
    roster_import.changed_count = roster_import.updated_count = len(updated)
    roster_import.unchanged_count = len(plan.unchanged)
    roster_import.move_count = len(plan.moves)
    roster_import.status = RosterImport.Status.COMMITTED
    roster_import.committed_at = now
    roster_import.committed_by = user
    roster_import.save()
    return roster_import


def _create_students(results, *, school, columns, now):
    """INSERT the new students; returns their ids.

    Two uploads of the same new NIK at once: the unique index lets one win (ours waits for
    the other's transaction, ON CONFLICT DO NOTHING), and the rows it lost get a row-level
    error instead of a failed request.
    """
    if not results:
        return []
    given = [Student._meta.get_field(name) for name in NEW_FIELDS]
    # Every other field as a new Student of the school has it (status, defaults, times).
    template = Student(school=school, created_at=now, updated_at=now)
    fixed = [
        field
        for field in Student._meta.concrete_fields
        if not field.primary_key and field.name not in NEW_FIELDS
    ]
    constants = [
        field.get_db_prep_save(getattr(template, field.attname), connection) for field in fixed
    ]
    records = [
        [result.values.get(field.name) or field.get_default() for field in given]
        for result in results
    ]
    table = Student._meta.db_table
    names = ", ".join(field.column for field in given + fixed)
    conflict = "ON CONFLICT (nik) DO NOTHING RETURNING nik, id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_into_temporary(cursor, "new_student", given, records)
            marks = ", ".join(["%s"] * len(fixed))
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT *, {marks} FROM new_student {conflict}",  # noqa: S608
                constants,
            )
            inserted = dict(cursor.fetchall())
            cursor.execute("DROP TABLE new_student")
        else:
            inserted = {}
            row_marks = "(" + ", ".join(["%s"] * (len(given) + len(fixed))) + ")"
            size = connection.ops.bulk_batch_size(given + fixed, records)
            for start in range(0, len(records), size):
                batch = records[start : start + size]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
                    + ", ".join([row_marks] * len(batch))
                    + f" {conflict}",
                    [value for record in batch for value in (*record, *constants)],
                )
                inserted.update(cursor.fetchall())
    for result in results:
        if result.values["nik"] not in inserted:
            result.add(
                columns.get("nik"),
                "nik_already_registered",
                validation.ERROR,
                _(
                    "This NIK was registered by another upload a moment ago. "
                    "Upload the file again to see where the student is now."
                ),
            )
    return list(inserted.values())


def _update_students(changed, *, now):
    """UPDATE the changed fields of the students found changed (locked); returns their ids.

    Every student gets the new value of the fields the file changes for them and keeps the
    value read under lock for the others, so one statement serves them all.
    """
    if not changed:
        return []
    names = sorted({name for _result, _current, diff in changed for name in diff})
    fields = [Student._meta.get_field(name) for name in ("id", *names)]
    records = [
        [current["id"], *[diff[name][1] if name in diff else current[name] for name in names]]
        for _result, current, diff in changed
    ]
    table, now = Student._meta.db_table, db_datetime(now)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_into_temporary(cursor, "changed_student", fields, records)
            assignments = ", ".join(f"{field.column} = c.{field.column}" for field in fields[1:])
            cursor.execute(
                f"UPDATE {table} AS s SET {assignments}, updated_at = %s "  # noqa: S608
                "FROM changed_student AS c WHERE s.id = c.id",
                [now],
            )
            cursor.execute("DROP TABLE changed_student")
        else:
            assignments = ", ".join(f"{field.column} = %s" for field in fields[1:])
            cursor.executemany(
                f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s",  # noqa: S608
                [[*record[1:], now, record[0]] for record in records],
            )
    return [record[0] for record in records]


def _copy_into_temporary(cursor, name, fields, records):
    """A temporary table of these Student `fields`, filled with `records` by one COPY."""
    columns = ", ".join(field.column for field in fields)
    cursor.execute(
        f"CREATE TEMP TABLE {name} AS SELECT {columns} FROM {Student._meta.db_table} WITH NO DATA"  # noqa: S608
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(records)
    buffer.seek(0)
    # Every value is there (no NULL): an empty cell is an empty text, not a missing one.
    cursor.copy_expert(f"COPY {name} FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({columns}))", buffer)


def _request_moves(moves, *, school, roster_import):
    if not moves:
        return
    waiting = set(
        SchoolMoveRequest.objects.filter(
            status=SchoolMoveRequest.Status.PENDING,
            to_school=school,
            student__in=[current["id"] for _result, current in moves],
        ).values_list("student_id", flat=True)
    )
    SchoolMoveRequest.objects.bulk_create(
        [
            SchoolMoveRequest(
                student_id=current["id"],
                from_school_id=current["school_id"],
                to_school=school,
                roster_import=roster_import,
                class_name=result.values.get("class_name", ""),
            )
            for result, current in moves
            if current["id"] not in waiting
        ],
        ignore_conflicts=True,
    )
