"""Workbooks the roster upload hands out: the refused rows to fix, and the blank template.

Both are written by the intake (ktpku.intake.workbook) from the roster's field spec.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ktpku import xlsx
from ktpku.intake import workbook as sheets

from .fields import BY_NAME, FIELDS, TEMPLATE_DATA_SHEET

# What the instructions sheet says of each column.
COLUMN_HELP = {
    "name": gettext_lazy("Required. The full name as on the family card (KK)."),
    "nik": gettext_lazy(
        "Required. The student's own 16-digit NIK (not the parents' and not the KK number)."
    ),
    "kk_number": gettext_lazy("The 16-digit number of the family card (KK)."),
    "nisn": gettext_lazy(
        "The 10-digit NISN, leading zeros included; leave empty when the student has none."
    ),
    "sex": gettext_lazy("Required. L for a boy, P for a girl."),
    "birth_place": gettext_lazy("The place of birth."),
    "birth_date": gettext_lazy(
        "Required. DD-MM-YYYY (05-08-2009), DD/MM/YYYY, YYYY-MM-DD or “5 Agustus 2009”."
    ),
    "class_name": gettext_lazy("The class or rombel, e.g. XI IPA 1."),
    "guardian_name": gettext_lazy("Optional. A parent's or guardian's name."),
    "guardian_phone": gettext_lazy("Optional. Their phone number."),
}


def refused_rows_workbook(roster_import):
    """The refused rows as an xlsx (bytes), ready to be fixed and uploaded again.

    The file's own column order and titles come back, so the fixed workbook reads back the
    same; the cells to fix are highlighted and what to fix is in a column of its own.
    """
    return sheets.refused_rows_workbook(
        sheet_title=_("To fix"),
        columns=[(BY_NAME[name], title) for name, title in roster_import.column_map.items()],
        records=roster_import.rows,
        issues=roster_import.issues,
        row_title=_("Row in your file"),
        fix_title=_("What to fix"),
    )


def template_workbook():
    """The app's own roster template: a data sheet and a sheet of instructions."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(TEMPLATE_DATA_SHEET)
    xlsx.set_widths(
        data,
        [column.width for column in FIELDS],
        text_columns={index for index, column in enumerate(FIELDS) if column.as_text},
    )
    data.append([xlsx.text_cell(data, column.title, bold=True) for column in FIELDS])

    help_sheet = workbook.create_sheet(_("Instructions"))
    xlsx.set_widths(help_sheet, [24, 90])
    lines = [
        (_("How to fill in this list"), ""),
        (
            "",
            _(
                "One student per row, starting in row 2 of the sheet “%(sheet)s”. Do not "
                "change the titles in row 1."
            )
            % {"sheet": TEMPLATE_DATA_SHEET},
        ),
        (
            "",
            _(
                "The NIK, No KK and NISN columns are formatted as Text. Keep them so: a "
                "16-digit number typed into a number cell loses its last digit and the row "
                "is refused."
            ),
        ),
        (
            "",
            _(
                "When you paste from another file, use Paste Special → Values so the Text "
                "format stays."
            ),
        ),
        (_("Column"), _("What to write")),
        *[(column.title, COLUMN_HELP[column.name]) for column in FIELDS],
    ]
    for left, right in lines:
        help_sheet.append(
            [
                xlsx.text_cell(help_sheet, left, bold=bool(left)),
                xlsx.text_cell(help_sheet, right),
            ]
        )
    return xlsx.save(workbook)
