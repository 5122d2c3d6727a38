"""Loading the school registry from a CSV or xlsx file: validate every row, then write.

Columns (found by header text, any case): `kode` (NPSN, NSM or NSPP, told apart by
shape), `nama`, `jenis` (SMA, SMK, MA, SLB, PESANTREN), `kecamatan` (a Kemendagri code
such as 63.11.06). A school is matched on the identifier in `kode`, so running the same
file twice changes nothing. Nothing is written unless `commit=True`; then every valid row
is written in one transaction, and invalid rows are left out and reported.
"""

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ktpku import intake

from . import identifiers
from .models import Region, School

HEADER_SCAN_ROWS = 10
_KECAMATAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


def _header_not_found(_missing):
    return _(
        "No header row with the columns kode, nama, jenis and kecamatan was found in the "
        "first %(count)d rows."
    ) % {"count": HEADER_SCAN_ROWS}


SPEC = intake.TableSpec(
    [
        intake.Column("kode", "kode", required=True, identifier=True),
        intake.Column("nama", "nama", required=True),
        intake.Column("jenis", "jenis", required=True),
        intake.Column("kecamatan", "kecamatan", required=True),
    ],
    scan_rows=HEADER_SCAN_ROWS,
    header_not_found=_header_not_found,
)


@dataclass
class SchoolRow:
    row: int
    identifier: str  # "npsn", "nsm" or "nspp"
    code: str
    name: str
    kind: str
    kecamatan: str


@dataclass
class ImportReport:
    """What a run found and did. created/updated/unchanged describe the valid rows: what
    was written with commit, what would be written without (`committed` says which)."""

    file: str
    rows: int = 0
    valid: int = 0
    invalid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    issues: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def schools_import(path, *, commit=False):
    """Read, validate and (with commit) write the schools of the file at `path`.

    Returns an ImportReport; raises intake.FileRejected when the file cannot be read or has
    no header row with the four columns.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            table = intake.read_table(handle, path.name, SPEC)
    except OSError as exc:
        raise intake.FileRejected(
            intake.FILE_UNSUPPORTED,
            _("The file cannot be opened: %(error)s") % {"error": exc.strerror},
        ) from None
    report = ImportReport(file=path.name)
    valid_rows = _validate(table.rows, report)
    with transaction.atomic():
        plan = _plan(valid_rows, lock=commit)
        if commit:
            _write(plan)
    report.created = sum(1 for action, _row, _school in plan if action == "create")
    report.updated = sum(1 for action, _row, _school in plan if action == "update")
    report.unchanged = sum(1 for action, _row, _school in plan if action == "unchanged")
    report.committed = commit
    return report


def _text(value):
    return " ".join(value.split())


def _validate(records, report):
    """The valid rows as SchoolRows; every problem goes into the report."""
    known = set(
        Region.objects.filter(
            level=Region.Level.KECAMATAN,
            code__in={_text(record["kecamatan"]) for record in records},
        ).values_list("code", flat=True)
    )
    seen = {}
    valid = []
    for record in records:
        result = _check_row(record, known)
        code = identifiers.normalise(record["kode"])
        if result.is_valid and code in seen:
            result.add(
                "kode",
                "duplicate_in_file",
                intake.ERROR,
                _("This kode already appears in row %(row)d.") % {"row": seen[code]},
            )
        report.issues.extend(result.issues)
        if not result.is_valid:
            continue
        seen[code] = result.row
        valid.append(
            SchoolRow(
                row=result.row,
                identifier=identifiers.kind_of(code),
                code=code,
                name=_text(record["nama"]),
                kind=_text(record["jenis"]).upper(),
                kecamatan=_text(record["kecamatan"]),
            )
        )
    report.rows = len(records)
    report.valid = len(valid)
    report.invalid = report.rows - report.valid
    return valid


def _check_row(record, known_kecamatan):
    result = intake.RowResult(row=record["row"])

    def error(column, code, message):
        result.add(column, code, intake.ERROR, message)

    raw_code = _text(record["kode"])
    if "kode" in record.get("numeric", ()):
        error(
            "kode",
            "code_not_text",
            _(
                "The kode was stored as a number, so leading zeros or digits may be lost: "
                "format the column as text and type the code again."
            ),
        )
    elif raw_code == "":
        error("kode", "code_missing", _("The kode is empty: give the NPSN, NSM or NSPP."))
    elif intake.looks_like_lost_precision(raw_code):
        error(
            "kode",
            "code_not_text",
            _(
                "The kode %(code)s is a number in scientific notation and has lost digits: "
                "format the column as text and type the code again."
            )
            % {"code": raw_code},
        )
    elif identifiers.kind_of(identifiers.normalise(raw_code)) is None:
        error(
            "kode",
            "code_format",
            _(
                "The kode %(code)s is not an NPSN (8 characters), an NSM (12 digits starting "
                "with 131) or an NSPP (12 digits)."
            )
            % {"code": raw_code},
        )
    if _text(record["nama"]) == "":
        error("nama", "name_missing", _("The school's name is empty."))
    kind = _text(record["jenis"]).upper()
    if kind not in School.Kind.values:
        error(
            "jenis",
            "kind_invalid",
            _("The jenis “%(kind)s” is not one of SMA, SMK, MA, SLB or PESANTREN.")
            % {"kind": _text(record["jenis"])},
        )
    kecamatan = _text(record["kecamatan"])
    if kecamatan == "":
        error(
            "kecamatan",
            "kecamatan_missing",
            _("The kecamatan is empty: give its Kemendagri code, such as 63.11.06."),
        )
    elif not _KECAMATAN.match(kecamatan) or kecamatan not in known_kecamatan:
        error(
            "kecamatan",
            "kecamatan_unknown",
            _("%(code)s is not a known kecamatan code (Kemendagri, such as 63.11.06).")
            % {"code": kecamatan},
        )
    return result


def _plan(rows, *, lock):
    """[(action, row, school)] with action "create", "update" or "unchanged"."""
    existing = {}
    for identifier in (identifiers.NPSN, identifiers.NSM, identifiers.NSPP):
        codes = [row.code for row in rows if row.identifier == identifier]
        if not codes:
            continue
        schools = School.objects.filter(**{f"{identifier}__in": codes})
        if lock:
            schools = schools.select_for_update()
        existing.update({(identifier, getattr(s, identifier)): s for s in schools})
    plan = []
    for row in rows:
        school = existing.get((row.identifier, row.code))
        if school is None:
            plan.append(("create", row, None))
        elif (school.name, school.kind, school.kecamatan_id) == (row.name, row.kind, row.kecamatan):
            plan.append(("unchanged", row, school))
        else:
            plan.append(("update", row, school))
    return plan


def _write(plan):
    for action, row, school in plan:
        if action == "unchanged":
            continue
        if school is None:
            school = School(**{row.identifier: row.code})
        school.name, school.kind, school.kecamatan_id = row.name, row.kind, row.kecamatan
        if school.kind != School.Kind.PESANTREN:
            school.pesantren_level = School.PesantrenLevel.NONE
        school._change_reason = "import_schools"
        school.save()
