"""The student list as a workbook: the students the list's filters give, for the user who
sees them (ktpku.exports does the writing, the job and the download).

A NIK is masked (six digits, then asterisks) unless the user ticked "Tampilkan NIK
lengkap" and may reveal that student's NIK: staff with the full-NIK right, or the
coordinator of the student's own school. Every export writes one audit row per student.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.services import STUDENT, audit_record
from ktpku import xlsx
from ktpku.exports import Export, Sheet
from schools.access import schools_for_user

from . import access
from .filters import StudentFilter
from .models import Sex, Status
from .nik import mask

# The list's own filters (students.filters.StudentFilter), as its address carries them.
FILTER_KEYS = ("q", "school", "kecamatan", "status", "turns_17", "overdue")
AUDIT_CHUNK = 5000


def filter_params(data):
    """The list's filters in `data` (a QueryDict or dict), without empty values."""
    return {key: value for key in FILTER_KEYS if (value := str(data.get(key, "")).strip())}


def student_filter(user, params):
    """The list's filter over the user's students; the caller asks `is_valid()`."""
    return StudentFilter(
        params, queryset=access.students_for_user(user), schools=schools_for_user(user)
    )


def nik_for(user, full_nik):
    """A function (nik, school id) -> the NIK as this export shows it: whole only when the
    box was ticked by a user who may have it (the view checked `may_show_full_nik`)."""
    if full_nik and access.can_export_full_nik(user):
        return lambda nik, school_id: nik
    return lambda nik, school_id: mask(nik)


def record_students_export(user, student_ids, *, details):
    """One audit row per exported student (UU 27/2022: who took whose data out)."""
    for start in range(0, len(student_ids), AUDIT_CHUNK):
        audit_record(
            actor=user,
            action=Action.EXPORTED,
            object_type=STUDENT,
            object_ids=student_ids[start : start + AUDIT_CHUNK],
            details=details,
        )


class StudentExport(Export):
    kind = "students"
    title = gettext_lazy("Students")
    file_stem = "siswa"

    def may_export(self, user):
        return access.can_export_students(user)

    def may_show_full_nik(self, user):
        return access.can_export_full_nik(user)

    def count(self, user, params):
        return student_filter(user, params).qs.count()

    def sheets(self, user, params, *, full_nik, seen):
        columns = [
            xlsx.Column(_("Name"), 32),
            xlsx.Column(_("NIK"), 19, xlsx.IDENTIFIER),
            xlsx.Column(_("NISN"), 13, xlsx.IDENTIFIER),
            xlsx.Column(_("Sex"), 11),
            xlsx.Column(_("Birth place"), 16),
            xlsx.Column(_("Birth date"), 12, xlsx.DATE),
            xlsx.Column(_("School"), 32),
            xlsx.Column(_("NPSN / NSM / NSPP"), 16, xlsx.IDENTIFIER),
            xlsx.Column(_("Kecamatan"), 18),
            xlsx.Column(_("Class"), 12),
            xlsx.Column(_("Status"), 18),
            xlsx.Column(_("Status since"), 12, xlsx.DATE),
        ]
        students = (
            student_filter(user, params)
            .qs.order_by("name", "pk")
            .values_list(
                "pk",
                "school_id",
                "name",
                "nik",
                "nisn",
                "sex",
                "birth_place",
                "birth_date",
                "school__name",
                "school__npsn",
                "school__nsm",
                "school__nspp",
                "school__kecamatan__name",
                "class_name",
                "status",
                "status_since",
            )
        )
        shown = nik_for(user, full_nik)
        sexes, statuses = dict(Sex.choices), dict(Status.choices)

        def rows():
            for (
                pk,
                school_id,
                name,
                nik,
                nisn,
                sex,
                birth_place,
                birth_date,
                school,
                npsn,
                nsm,
                nspp,
                kecamatan,
                class_name,
                status,
                status_since,
            ) in students.iterator(chunk_size=2000):
                seen.append(pk)
                yield [
                    name,
                    shown(nik, school_id),
                    nisn,
                    sexes.get(sex, sex),
                    birth_place,
                    birth_date,
                    school,
                    npsn or nsm or nspp,
                    kecamatan,
                    class_name,
                    statuses.get(status, status),
                    status_since,
                ]

        return [Sheet(_("Students"), columns, rows())]

    def record(self, user, student_ids, *, details):
        record_students_export(user, student_ids, details=details)


STUDENT_EXPORT = StudentExport()
