"""Roster import: the one home of its writes, shared by the web pages and `import_roster`.

roster_preview reads and validates a file and compares it with the students already
registered, writing nothing. roster_import_read does the same for an upload and keeps the
result on its RosterImport; roster_import_commit writes the valid rows in one transaction.
A student found on another school's roster is never moved here: a SchoolMoveRequest waits
for staff (school_move_decide).
"""

import datetime
import logging
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from schools.regions import kecamatan_prefixes
from students import nik as nik_rules
from students.models import RosterImport, SchoolMoveRequest, Student

from . import reading, validation

logger = logging.getLogger(__name__)
audit = logging.getLogger("ktpku.audit")

# Files up to this size (a few hundred rows) are read while the uploader waits; larger
# ones in a Celery task with a progress bar.
INLINE_MAX_BYTES = 32 * 1024
# A reading claimed this long ago has died with its worker: it may be claimed again.
STALE_READING = datetime.timedelta(minutes=20)
# An upload the broker refused is sent again once it has waited this long...
SWEEP_AFTER = datetime.timedelta(minutes=2)
# ...and one the broker took but no worker began within this time is taken as lost.
LOST_AFTER = datetime.timedelta(minutes=30)
LOOKUP_CHUNK = 5000
CHANGE_REASON = "roster upload"

# Fields a roster may set on an existing student, in the order changes are shown.
UPDATABLE_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "birth_place",
    "kk_number",
    "nisn",
    "class_name",
    "guardian_name",
    "guardian_phone",
)


class RosterNotReady(Exception):
    """The upload is not (or no longer) waiting for confirmation."""


@dataclass
class Plan:
    """What saving the valid rows would do, student by student."""

    new: list = field(default_factory=list)  # RowResults
    changed: list = field(default_factory=list)  # (RowResult, Student, {field: (old, new)})
    unchanged: list = field(default_factory=list)
    moves: list = field(default_factory=list)  # (RowResult, Student)


@dataclass
class Preview:
    layout: str
    header_row: int
    columns: dict
    ignored_columns: list
    rows: list
    results: list
    plan: Plan

    @property
    def issues(self):
        return _sorted_issues(self.results, self.columns)

    @property
    def counts(self):
        valid = sum(1 for result in self.results if result.is_valid)
        return {
            "rows": len(self.results),
            "valid": valid,
            "invalid": len(self.results) - valid,
            "new": len(self.plan.new),
            "changed": len(self.plan.changed),
            "unchanged": len(self.plan.unchanged),
            "moves": len(self.plan.moves),
        }

    @property
    def changes(self):
        return [_change_entry(result, student, diff) for result, student, diff in self.plan.changed]


def roster_preview(*, fileobj, filename, school, on_progress=None):
    """Read and check a roster for `school` and compare it with the register. Writes nothing.

    Raises reading.FileRejected when the file cannot be read at all.
    """

    def reading_progress(fraction):
        if on_progress:
            on_progress(0.8 * fraction)

    sheet = reading.read_roster(fileobj, filename, on_progress=reading_progress)
    results = validation.validate_rows(
        sheet.rows, sheet.columns, known_regions=kecamatan_prefixes()
    )
    if on_progress:
        on_progress(0.9)
    plan = _plan(results, school=school, columns=sheet.columns)
    return Preview(
        layout=sheet.layout,
        header_row=sheet.header_row,
        columns=sheet.columns,
        ignored_columns=sheet.ignored_columns,
        rows=sheet.rows,
        results=results,
        plan=plan,
    )


def _plan(results, *, school, columns, lock=False):
    """Sort the valid rows into new, changed, unchanged and possible moves (set-based)."""
    valid = [result for result in results if result.is_valid]
    niks = [result.values["nik"] for result in valid]
    existing = {}
    queryset = Student.objects.all()
    if lock:
        queryset = queryset.select_for_update()
    for start in range(0, len(niks), LOOKUP_CHUNK):
        for student in queryset.filter(nik__in=niks[start : start + LOOKUP_CHUNK]):
            existing[student.nik] = student
    plan = Plan()
    for result in valid:
        student = existing.get(result.values["nik"])
        if student is None:
            plan.new.append(result)
        elif student.school_id != school.pk:
            result.add(
                columns.get("nik"),
                "student_at_other_school",
                validation.WARNING,
                _(
                    "This student is on another school's roster. The office will check the move; "
                    "until staff confirm it the student stays where they are and this row is not "
                    "saved."
                ),
            )
            plan.moves.append((result, student))
        else:
            diff = _diff(student, result.values, columns)
            if diff:
                plan.changed.append((result, student, diff))
            else:
                plan.unchanged.append(result)
    return plan


def _diff(student, values, columns):
    """{field: (old, new)} for the fields this file sets; an empty cell never blanks data."""
    diff = {}
    for name in UPDATABLE_FIELDS:
        if name not in columns:
            continue
        new = values.get(name)
        if new in (None, ""):
            continue
        old = getattr(student, name)
        if old != new:
            diff[name] = (old, new)
    return diff


def _change_entry(result, student, diff):
    def text(value):
        return value.isoformat() if isinstance(value, datetime.date) else (value or "")

    return {
        "row": result.row,
        "name": student.name,
        "nik": nik_rules.mask(student.nik),
        "fields": [
            {"field": name, "old": text(old), "new": text(new)} for name, (old, new) in diff.items()
        ],
    }


def _sorted_issues(results, columns):
    order = {label: index for index, label in enumerate(columns.values())}
    issues = [issue for result in results for issue in result.issues]
    return sorted(issues, key=lambda issue: (issue["row"], order.get(issue["column"], 99)))


# Uploads ---------------------------------------------------------------------------------


def display_name(filename):
    """The uploader's file name without any path, cut to what the model holds."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "roster"
    return name[:255]


@transaction.atomic
def roster_import_create(*, school, user, uploaded_file):
    """Keep an upload under a generated name and have it read (inline or in a task).

    The caller has already passed the file through reading.check_file.
    """
    roster_import = RosterImport(
        school=school, uploaded_by=user, original_name=display_name(uploaded_file.name)
    )
    roster_import.file.save(uploaded_file.name, uploaded_file, save=False)
    roster_import.save()
    if uploaded_file.size <= INLINE_MAX_BYTES:
        roster_import_read(roster_import_id=roster_import.pk)
        roster_import.refresh_from_db()
    else:
        pk = roster_import.pk
        transaction.on_commit(lambda: roster_import_enqueue(roster_import_id=pk))
    return roster_import


def roster_import_enqueue(*, roster_import_id):
    """Hand an upload to a worker; returns whether the broker took it.

    With the broker down the upload stays queued (nothing is lost, the uploader sees it
    waiting) and roster_imports_sweep sends it again a few minutes later.
    """
    from kombu.exceptions import OperationalError

    from .tasks import QUEUE, read_roster_import

    try:
        read_roster_import.apply_async(args=[roster_import_id], queue=QUEUE)
    except OperationalError:
        logger.warning("roster_import_queued_without_broker id=%s", roster_import_id)
        return False
    RosterImport.objects.filter(pk=roster_import_id).update(sent_at=timezone.now())
    return True


def roster_imports_sweep(*, now=None):
    """Send again the uploads no worker will read otherwise: those the broker refused, those
    it took but lost, and those whose reading died with its worker. Returns [(id, sent)].

    An upload merely waiting its turn in a busy queue is left alone. Reading claims the
    upload with a conditional update, so an upload sent twice is still read once.
    """
    now = now or timezone.now()
    queued = Q(status=RosterImport.Status.QUEUED)
    due = (
        RosterImport.objects.filter(
            queued & Q(sent_at__isnull=True, created_at__lt=now - SWEEP_AFTER)
            | queued & Q(sent_at__lt=now - LOST_AFTER)
            | Q(status=RosterImport.Status.READING, reading_started_at__lt=now - STALE_READING)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [(pk, roster_import_enqueue(roster_import_id=pk)) for pk in due]


def roster_import_read(*, roster_import_id):
    """Read and check an upload, keep the result and delete the file. Safe to run twice."""
    now = timezone.now()
    claimed = (
        RosterImport.objects.filter(pk=roster_import_id)
        .filter(
            Q(status=RosterImport.Status.QUEUED)
            | Q(status=RosterImport.Status.READING, reading_started_at__lt=now - STALE_READING)
        )
        .update(status=RosterImport.Status.READING, reading_started_at=now, progress=0)
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related("school").get(pk=roster_import_id)

    def progress(fraction):
        RosterImport.objects.filter(pk=roster_import_id).update(progress=int(100 * fraction))

    try:
        if not roster_import.file:
            raise reading.FileRejected(
                reading.FILE_UNSUPPORTED,
                _("The uploaded file is no longer there: upload it again."),
            )
        with roster_import.file.open("rb") as fileobj:
            preview = roster_preview(
                fileobj=fileobj,
                filename=roster_import.original_name,
                school=roster_import.school,
                on_progress=progress,
            )
    except reading.FileRejected as exc:
        _fail(roster_import, exc.code, exc.message)
    except SoftTimeLimitExceeded:
        _fail(
            roster_import,
            reading.FILE_TOO_LARGE,
            _("Reading this file took too long. Split the list into smaller files."),
        )
    except Exception:
        # Whatever went wrong, the uploader must not watch a progress bar for ever.
        logger.exception("roster import %s could not be read", roster_import_id)
        _fail(
            roster_import,
            reading.FILE_UNSUPPORTED,
            _(
                "This file could not be read. Save it again as “Excel Workbook (.xlsx)” and "
                "upload it; if that fails too, send it to the population office."
            ),
        )
    else:
        _keep_preview(roster_import, preview)
        roster_import.status = RosterImport.Status.READY
    finally:
        # The original file may hold parents' NIKs and bank accounts: it goes once read.
        if roster_import.file:
            roster_import.file.delete(save=False)
    roster_import.progress = 100
    roster_import.read_at = timezone.now()
    roster_import.save()


def _fail(roster_import, code, message):
    roster_import.status = RosterImport.Status.FAILED
    roster_import.file_error_code = code
    roster_import.file_error_message = str(message)[:500]


def _keep_preview(roster_import, preview):
    counts = preview.counts
    roster_import.layout = preview.layout
    roster_import.columns = list(preview.columns.items())
    roster_import.ignored_columns = preview.ignored_columns
    roster_import.rows = preview.rows
    roster_import.issues = preview.issues
    roster_import.changes = preview.changes
    roster_import.row_count = counts["rows"]
    roster_import.valid_count = counts["valid"]
    roster_import.invalid_count = counts["invalid"]
    roster_import.new_count = counts["new"]
    roster_import.changed_count = counts["changed"]
    roster_import.unchanged_count = counts["unchanged"]
    roster_import.move_count = counts["moves"]


@transaction.atomic
def roster_import_from_preview(*, preview, school, filename, user=None):
    """A ready RosterImport made from a preview (the command line's way in)."""
    roster_import = RosterImport(
        school=school,
        uploaded_by=user,
        original_name=display_name(filename),
        status=RosterImport.Status.READY,
        progress=100,
        read_at=timezone.now(),
    )
    _keep_preview(roster_import, preview)
    roster_import.save()
    return roster_import


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
        roster_import.rows, columns, known_regions=kecamatan_prefixes()
    )
    plan = _plan(results, school=school, columns=columns, lock=True)

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
    roster_import.issues = _sorted_issues(results, columns)
    roster_import.changes = [
        _change_entry(result, student, diff) for result, student, diff in plan.changed
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
    fields = {name: values[name] for name in UPDATABLE_FIELDS if values.get(name)}
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


# School moves -------------------------------------------------------------------------------


class MoveAlreadyDecided(Exception):
    pass


class MoveOutdated(Exception):
    """The student is no longer at the school the move starts from."""


@transaction.atomic
def school_move_decide(*, move_id, user, confirm):
    """Confirm (the student moves to the new school) or reject (nothing moves) a move."""
    move = (
        SchoolMoveRequest.objects.select_for_update(of=("self",))
        .select_related("student")
        .get(pk=move_id)
    )
    if move.status != SchoolMoveRequest.Status.PENDING:
        raise MoveAlreadyDecided(move.get_status_display())
    if confirm:
        student = Student.objects.select_for_update().get(pk=move.student_id)
        if student.school_id != move.from_school_id:
            # Moved by another decision since: this request describes a past situation.
            raise MoveOutdated(move.pk)
        student.school_id = move.to_school_id
        update_fields = ["school", "updated_at"]
        if move.class_name:
            student.class_name = move.class_name
            update_fields.append("class_name")
        student._change_reason = "school move"
        student.save(update_fields=update_fields)
        # The student is where the office decided: other pending moves of them are moot.
        (
            SchoolMoveRequest.objects.filter(
                student_id=move.student_id, status=SchoolMoveRequest.Status.PENDING
            )
            .exclude(pk=move.pk)
            .update(
                status=SchoolMoveRequest.Status.REJECTED, decided_by=user, decided_at=timezone.now()
            )
        )
    move.status = (
        SchoolMoveRequest.Status.CONFIRMED if confirm else SchoolMoveRequest.Status.REJECTED
    )
    move.decided_by = user
    move.decided_at = timezone.now()
    move.save(update_fields=["status", "decided_by", "decided_at"])
    return move


# Retention --------------------------------------------------------------------------------


@transaction.atomic
def roster_imports_purge(*, now=None):
    """Erase the kept rows, problems and changes of uploads past the retention period.

    The counts stay (they are not personal data); an upload never saved can no longer be
    saved and says so. Set-based; returns how many uploads were purged. Safe to run again.
    """
    now = now or timezone.now()
    due = RosterImport.objects.filter(
        purged_at__isnull=True,
        created_at__lt=now - datetime.timedelta(days=settings.ROSTER_RETENTION_DAYS),
    )
    for upload in due.exclude(file="").only("pk", "file"):
        upload.file.delete(save=False)
    due.filter(
        status__in=[
            RosterImport.Status.QUEUED,
            RosterImport.Status.READING,
            RosterImport.Status.READY,
        ]
    ).update(
        status=RosterImport.Status.FAILED,
        file_error_code="purged",
        file_error_message=_(
            "Kept %(days)d days without being saved, then erased. Upload the file again."
        )
        % {"days": settings.ROSTER_RETENTION_DAYS},
    )
    purged = due.update(rows=[], issues=[], changes=[], file="", purged_at=now)
    audit.info(
        "roster_imports_purged count=%s older_than_days=%s", purged, settings.ROSTER_RETENTION_DAYS
    )
    return purged
