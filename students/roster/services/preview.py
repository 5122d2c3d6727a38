"""Reading and checking a roster against the register, writing nothing.

roster_preview reads a file and validates every row; plan_rows sorts the valid rows into
new students, changed ones, unchanged ones and possible school moves, set-based. The
commit runs plan_rows again, under lock, against the register as it is then.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.regions import kecamatan_prefixes
from students import dates
from students import nik as nik_rules
from students.history import ids_sql_of
from students.models import SchoolMoveRequest, Student

from .. import reading, validation
from ..fields import UPDATABLE

LOOKUP_CHUNK = 5000
# What plan_rows reads of the students already registered.
COMPARED = ("id", "nik", "school_id", *UPDATABLE)


@dataclass
class Plan:
    """What saving the valid rows would do, student by student."""

    new: list = field(default_factory=list)  # RowResults
    # The students as the register holds them: {field: value} of COMPARED, not instances.
    changed: list = field(default_factory=list)  # (RowResult, student, {field: (old, new)})
    unchanged: list = field(default_factory=list)
    moves: list = field(default_factory=list)  # (RowResult, student)


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
        return sorted_issues(self.results, self.columns)

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
        return [change_entry(result, student, diff) for result, student, diff in self.plan.changed]


def roster_preview(*, fileobj, filename, school, on_progress=None):
    """Read and check a roster for `school` and compare it with the register. Writes nothing.

    Raises intake.FileRejected when the file cannot be read at all.
    """

    def reading_progress(fraction):
        if on_progress:
            on_progress(0.8 * fraction)

    sheet = reading.read_roster(fileobj, filename, on_progress=reading_progress)
    results = validation.validate_rows(
        sheet.rows, sheet.columns, known_regions=kecamatan_prefixes(), layout=sheet.layout
    )
    if on_progress:
        on_progress(0.9)
    return Preview(
        layout=sheet.layout,
        header_row=sheet.header_row,
        columns=sheet.columns,
        ignored_columns=sheet.ignored_columns,
        rows=sheet.rows,
        results=results,
        plan=plan_rows(results, school=school, columns=sheet.columns),
    )


def plan_rows(results, *, school, columns, lock=False):
    """Sort the valid rows into new, changed, unchanged and possible moves (set-based).

    What the register holds of the file's students is read as plain values, no model
    instance each, in one query (see _registered). With `lock` (the commit), the
    students that will be written, the changed ones and the possible moves, are then
    locked and read again, so the plan holds what they are now; the unchanged ones are
    neither written nor locked.
    """
    # Valid rows have distinct NIKs: a NIK twice in the file refuses both rows.
    valid = {result.values["nik"]: result for result in results if result.is_valid}
    fields = [name for name in UPDATABLE if name in columns]
    existing, diffs = _registered(list(valid)), {}

    def compare(niks):
        for nik in niks:
            current = existing.get(nik)
            if current is not None and current["school_id"] == school.pk:
                diffs[nik] = _diff(current, valid[nik].values, fields)

    compare(existing)
    if lock:
        to_write = [
            nik
            for nik, current in existing.items()
            if current["school_id"] != school.pk or diffs[nik]
        ]
        locked = _registered(to_write, lock=True)
        for nik in to_write:
            existing[nik] = locked.get(nik)
        compare(to_write)
    plan = Plan()
    moves_left = _moves_left_today(school)
    for nik, result in valid.items():
        current = existing.get(nik)
        if current is None:
            plan.new.append(result)
        elif current["school_id"] != school.pk:
            if moves_left <= 0:
                result.add(
                    columns.get("nik"),
                    "move_limit",
                    validation.ERROR,
                    _(
                        "The office checks at most %(count)d such rows a day for one school: "
                        "upload this row again tomorrow."
                    )
                    % {"count": settings.ROSTER_MOVES_PER_SCHOOL_PER_DAY},
                )
                continue
            moves_left -= 1
            # Says nothing of where the student is registered: a coordinator must not learn
            # another school's students from an upload.
            result.add(
                columns.get("nik"),
                "student_at_other_school",
                validation.WARNING,
                _("The office will check this row before it is saved; until then it is not saved."),
            )
            plan.moves.append((result, current))
        else:
            diff = diffs[nik]
            if diff:
                plan.changed.append((result, current, diff))
            else:
                plan.unchanged.append(result)
    return plan


def _registered(niks, *, lock=False):
    """{nik: {field: value}} of the students of the register with these NIKs.

    One query on PostgreSQL (the NIKs as one array parameter), LOOKUP_CHUNK NIKs a query
    on databases that bound the number of parameters.
    """
    found = {}
    columns = ", ".join(Student._meta.get_field(name).column for name in COMPARED)
    size = max(len(niks), 1) if connection.vendor == "postgresql" else LOOKUP_CHUNK
    with connection.cursor() as cursor:
        for start in range(0, len(niks), size):
            test, params = ids_sql_of(niks[start : start + size])
            cursor.execute(
                f"SELECT {columns} FROM {Student._meta.db_table} WHERE nik {test}"  # noqa: S608
                + (" FOR UPDATE" if lock and connection.features.has_select_for_update else ""),
                params,
            )
            for row in cursor.fetchall():
                current = dict(zip(COMPARED, row, strict=True))
                found[current["nik"]] = current
    return found


def _moves_left_today(school):
    """How many more school moves uploads for `school` may ask for today (WITA)."""
    midnight = timezone.make_aware(
        datetime.datetime.combine(dates.today(), datetime.time()),
        timezone.get_default_timezone(),
    )
    asked = SchoolMoveRequest.objects.filter(to_school=school, created_at__gte=midnight).count()
    return settings.ROSTER_MOVES_PER_SCHOOL_PER_DAY - asked


def _diff(current, values, fields):
    """{field: (old, new)} for the `fields` this file sets; an empty cell never blanks data.

    `current` is what the register holds: {field: value}."""
    diff = {}
    for name in fields:
        new = values.get(name)
        if new in (None, ""):
            continue
        old = current[name]
        if old != new:
            diff[name] = (old, new)
    return diff


def change_entry(result, current, diff):
    """What the preview and the saved upload show of a changed student (`current` is what
    the register holds of them)."""

    def text(value):
        return value.isoformat() if isinstance(value, datetime.date) else (value or "")

    return {
        "row": result.row,
        "name": current["name"],
        "nik": nik_rules.mask(current["nik"]),
        "fields": [
            {"field": name, "old": text(old), "new": text(new)} for name, (old, new) in diff.items()
        ],
    }


def sorted_issues(results, columns):
    order = {label: index for index, label in enumerate(columns.values())}
    issues = [issue for result in results for issue in result.issues]
    return sorted(issues, key=lambda issue: (issue["row"], order.get(issue["column"], 99)))
