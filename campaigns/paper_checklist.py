"""The paper way: a visit's checklist as an xlsx to fill in (identifiers as text, the
outcome and the failure reason as drop-downs), read back through the shared intake.

The workbook names each student by a code (the student's id in KTPku), so a filled-in
sheet finds its rows again whatever order or names it ends up with. Reading checks every
row and gives Indonesian messages with the row number; the changes are then applied one by
one as the checklist would, each under a key derived from the upload, so the same file
confirmed twice changes nothing the second time.
"""

import hashlib
import uuid

from django.utils import translation
from django.utils.translation import gettext as _

from ktpku import intake, xlsx
from students.models import FailureReason

from .models import Outcome, VisitOutcome

HEADER_SCAN_ROWS = 10
KEY_NAMESPACE = uuid.UUID("5b1f3c1e-3c39-4b7e-9a55-2f0f3f0c9a10")


def _header_not_found(_missing):
    return _(
        "No header row with the columns Kode and Hasil was found in the first %(count)d rows: "
        "use the checklist workbook downloaded from KTPku."
    ) % {"count": HEADER_SCAN_ROWS}


SPEC = intake.TableSpec(
    [
        intake.Column("code", "Kode", required=True, identifier=True),
        intake.Column("name", "Nama"),
        intake.Column("class_name", "Kelas"),
        intake.Column("nisn", "NISN", identifier=True),
        intake.Column("nik", "NIK", identifier=True),
        intake.Column("outcome", "Hasil", required=True),
        intake.Column("reason", "Alasan gagal", ("alasan",)),
    ],
    scan_rows=HEADER_SCAN_ROWS,
    header_not_found=_header_not_found,
)


def _words(choices):
    """{lower-case label in Indonesian or English, or the code: code}."""
    found = {}
    for language in ("id", "en"):
        with translation.override(language):
            for value, label in choices:
                found[str(label).strip().lower()] = value
    for value, _label in choices:
        found[value] = value
    return found


def workbook(visit, rows):
    """The xlsx (bytes) of the visit's checklist `rows` (checklists.report_rows shape plus
    the student id as "id"), in Indonesian."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    with translation.override("id"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Checklist")
        titles = [column.title for column in SPEC.columns]
        sheet.append(titles)
        for row in rows:
            sheet.append(
                [
                    str(row["id"]),
                    row["name"],
                    row["class_name"],
                    row["nisn"],
                    row["nik"],
                    Outcome(row["code"]).label if row["code"] else "",
                    FailureReason(row["reason"]).label if row["reason"] else "",
                ]
            )
        # Not write-only (the drop-downs need a full worksheet): every cell made text here.
        for line in sheet.iter_rows(min_row=1):
            for cell in line:
                xlsx.keep_as_text(cell, identifier=True)
        last = max(len(rows) + 1, 2)
        for column, choices in (("F", Outcome.choices), ("G", FailureReason.choices)):
            labels = ",".join(str(label) for _value, label in choices)
            check = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
            check.add(f"{column}2:{column}{last}")
            sheet.add_data_validation(check)
        for letter, width in zip("ABCDEFG", (8, 32, 10, 13, 19, 26, 28), strict=True):
            sheet.column_dimensions[letter].width = width
        return xlsx.save(book)


def preview(visit, fileobj, filename):
    """(changes, issues, row count): changes are [student id, outcome, reason, version]
    for the filled-in rows that differ from what KTPku holds. FileRejected if unreadable."""
    table = intake.read_table(fileobj, filename, SPEC)
    outcomes, reasons = _words(Outcome.choices), _words(FailureReason.choices)
    expected = set(visit.students.values_list("pk", flat=True))
    current = {
        row.student_id: row
        for row in VisitOutcome.objects.filter(visit=visit).only(
            "student_id", "outcome", "reason", "version"
        )
    }
    changes, issues, seen = [], [], set()
    for record in table.rows:
        checked = intake.RowResult(row=record["row"])
        code = intake.normalise(record.get("code", ""))
        outcome_text = (record.get("outcome") or "").strip()
        reason_text = (record.get("reason") or "").strip()
        outcome = outcomes.get(outcome_text.lower()) if outcome_text else ""
        reason = reasons.get(reason_text.lower()) if reason_text else ""
        student = int(code) if code.isdigit() else None
        if student not in expected:
            checked.add(
                "Kode",
                "code_unknown",
                intake.ERROR,
                _("The code “%(value)s” is not a student of this visit.") % {"value": code},
            )
        elif student in seen:
            checked.add("Kode", "duplicate_in_file", intake.ERROR, _("This student is twice."))
        if outcome is None:
            checked.add(
                "Hasil",
                "outcome_unknown",
                intake.ERROR,
                _("“%(value)s” is not an outcome: choose one from the list.")
                % {"value": outcome_text},
            )
        if reason is None or (outcome == Outcome.FAILED and not reason):
            checked.add(
                "Alasan gagal",
                "reason_missing",
                intake.ERROR,
                _("A failed recording needs its reason from the list."),
            )
        elif reason and outcome != Outcome.FAILED:
            checked.add(
                "Alasan gagal",
                "reason_unexpected",
                intake.ERROR,
                _("Only a failed recording takes a reason: clear this cell."),
            )
        seen.add(student)
        issues.extend(checked.issues)
        if not checked.is_valid or not outcome:
            continue
        now = current.get(student)
        if now is None or (now.outcome, now.reason) != (outcome, reason):
            changes.append([student, outcome, reason, now.version if now else 0])
    return changes, issues, len(table.rows)


def change_key(visit, changes, change):
    """The idempotency key of one change of an upload: the same preview, the same keys."""
    digest = hashlib.sha256(repr((visit.pk, changes)).encode()).hexdigest()
    return uuid.uuid5(KEY_NAMESPACE, f"{digest}:{change[0]}")
