"""SIAK results as a list of NIKs with their status, read through the shared intake, and
the list of recorded students staff tick to give many of them one result.

Each row is checked against the student it names: the NIK must be a student's, the status
one of SIAK's four (in English or Indonesian), and the student must be recorded, the only
status a SIAK result may follow. The preview lists every row's problem by row number; only
valid rows are applied, in one set-based lifecycle step per result.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ktpku import intake
from students import nik as nik_rules
from students.models import SiakResult, Status, Student

from .models import Outcome

HEADER_SCAN_ROWS = 10
PRINT_READY = "print_ready"
# What the office's SIAK export and the staff's own lists call each result.
_RESULTS = {
    "print ready": PRINT_READY,
    "prc": PRINT_READY,
    "siap cetak": PRINT_READY,
    "duplicate": SiakResult.DUPLICATE,
    "duplicate record": SiakResult.DUPLICATE,
    "duplikat": SiakResult.DUPLICATE,
    "ganda": SiakResult.DUPLICATE,
    "data ganda": SiakResult.DUPLICATE,
    "enrolment failure": SiakResult.ENROLMENT_FAILURE,
    "enrollment failure": SiakResult.ENROLMENT_FAILURE,
    "failure": SiakResult.ENROLMENT_FAILURE,
    "gagal enrol": SiakResult.ENROLMENT_FAILURE,
    "gagal enroll": SiakResult.ENROLMENT_FAILURE,
    "adjudication": SiakResult.ADJUDICATION,
    "adjudikasi": SiakResult.ADJUDICATION,
}
RESULT_LABELS = {PRINT_READY: gettext_lazy("Print ready"), **dict(SiakResult.choices)}


def _header_not_found(_missing):
    return _(
        "No header row with the columns NIK and Status was found in the first %(count)d rows."
    ) % {"count": HEADER_SCAN_ROWS}


SPEC = intake.TableSpec(
    [
        intake.Column("nik", "NIK", required=True, identifier=True),
        intake.Column("status", "Status", ("hasil", "status siak", "result"), required=True),
    ],
    scan_rows=HEADER_SCAN_ROWS,
    header_not_found=_header_not_found,
)


def parse_result(text):
    key = " ".join(re.sub(r"[^a-z]+", " ", (text or "").lower()).split())
    return _RESULTS.get(key)


@dataclass
class Preview:
    rows: int = 0
    valid: list = field(default_factory=list)  # [[nik, result]]
    issues: list = field(default_factory=list)

    @property
    def counts(self):
        found = {}
        for _nik, result in self.valid:
            found[result] = found.get(result, 0) + 1
        return [(RESULT_LABELS[result], count) for result, count in sorted(found.items())]


def preview(fileobj, filename):
    """Read and check the file; raises intake.FileRejected for a file it cannot read."""
    table = intake.read_table(fileobj, filename, SPEC)
    result = Preview(rows=len(table.rows))
    niks = [intake.normalise(row.get("nik", "")) for row in table.rows]
    students = {
        s.nik: s for s in Student.objects.filter(nik__in=niks).only("nik", "name", "status")
    }
    seen = set()
    for row, nik in zip(table.rows, niks, strict=True):
        checked = intake.RowResult(row=row["row"])
        value = parse_result(row.get("status", ""))
        student = students.get(nik)
        if "nik" in row.get("numeric", ()) or not re.fullmatch(r"[0-9]{16}", nik):
            checked.add(
                "NIK",
                "nik_format",
                intake.ERROR,
                _("The NIK must be 16 digits, typed as text; “%(value)s” is not.")
                % {"value": nik_rules.mask_numbers(row.get("nik", ""))},
            )
        elif student is None:
            checked.add(
                "NIK",
                "nik_unknown",
                intake.ERROR,
                _("No student has the NIK %(nik)s.") % {"nik": nik_rules.mask(nik)},
            )
        elif nik in seen:
            checked.add(
                "NIK", "duplicate_in_file", intake.ERROR, _("This NIK is in the file twice.")
            )
        if value is None:
            checked.add(
                "Status",
                "status_unknown",
                intake.ERROR,
                _(
                    "“%(value)s” is not a SIAK result: write print ready, duplicate, "
                    "enrolment failure or adjudication."
                )
                % {"value": row.get("status", "")},
            )
        if checked.is_valid and student.status != Status.RECORDED:
            checked.add(
                "Status",
                "not_recorded",
                intake.ERROR,
                _("%(name)s is “%(status)s”: a SIAK result follows a recording only.")
                % {"name": student.name, "status": Status(student.status).label},
            )
        seen.add(nik)
        if checked.is_valid:
            result.valid.append([nik, value])
        result.issues.extend(checked.issues)
    return result


def recorded_students(*, school=None, visit=None):
    """The students waiting for a SIAK result (recorded), with their school: of one school,
    or those recorded at one visit. Staff tick them and give them a result together."""
    students = Student.objects.filter(status=Status.RECORDED).select_related("school")
    if school is not None:
        students = students.filter(school=school)
    if visit is not None:
        students = students.filter(
            visit_outcomes__visit=visit, visit_outcomes__outcome=Outcome.RECORDED
        )
    return students.order_by("school__name", "class_name", "name", "pk")
