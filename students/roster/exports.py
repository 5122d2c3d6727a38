"""Workbooks the roster upload hands out: the refused rows to fix, and the blank template.

Both are written with openpyxl in write-only mode. Identifier cells are text with the
"@" number format (a 16-digit number would lose its last digit), and every value is
written as a string, so a cell starting with = + - @ is never a formula.
"""

import io

from django.utils.translation import gettext as _

from . import reading

TEXT_FORMAT = "@"
COLUMN_WIDTHS = {
    "name": 32,
    "nik": 20,
    "kk_number": 20,
    "nisn": 14,
    "sex": 10,
    "birth_place": 18,
    "birth_date": 14,
    "class_name": 12,
    "guardian_name": 28,
    "guardian_phone": 16,
}


def _text_cell(sheet, value, *, identifier=False, bold=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl turns a string starting with "=" into a formula; force a plain string.
    cell.data_type = "s"
    if identifier:
        cell.number_format = TEXT_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused_rows_rows(roster_import):
    """(header, rows) of the refused rows: the normalised cells plus what to fix."""
    # The file's own column order and titles, so the fixed workbook reads back the same.
    columns = roster_import.column_map
    fields = list(columns)
    header = [columns[name] for name in fields]
    header += [_("Row in your file"), _("What to fix")]
    problems = {}
    for issue in roster_import.issues:
        problems.setdefault(issue["row"], []).append(issue)
    rows = []
    for record in roster_import.rows:
        issues = problems.get(record["row"], [])
        errors = [issue for issue in issues if issue["severity"] == "error"]
        if not errors:
            continue
        fix = "\n".join(
            f"{issue['column']}: {issue['message']}"
            for issue in errors + [i for i in issues if i not in errors]
        )
        rows.append(([record.get(name, "") for name in fields], record["row"], fix, fields))
    return header, rows


def refused_rows_workbook(roster_import):
    """The refused rows as an xlsx (bytes), ready to be fixed and uploaded again."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    header, rows = refused_rows_rows(roster_import)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("To fix"))
    fields = list(roster_import.column_map)
    for index, name in enumerate(fields, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS[name]
    sheet.column_dimensions[get_column_letter(len(fields) + 2)].width = 80
    sheet.append([_text_cell(sheet, title, bold=True) for title in header])
    for values, row_number, fix, names in rows:
        cells = [
            _text_cell(sheet, value, identifier=name in reading.IDENTIFIER_FIELDS)
            for value, name in zip(values, names, strict=True)
        ]
        cells.append(row_number)
        cells.append(_text_cell(sheet, fix))
        sheet.append(cells)
    return _save(workbook)


def template_workbook():
    """The app's own roster template: a data sheet and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(reading.TEMPLATE_DATA_SHEET)
    fields = list(reading.TEMPLATE_HEADERS)
    for index, name in enumerate(fields, start=1):
        dimension = data.column_dimensions[get_column_letter(index)]
        dimension.width = COLUMN_WIDTHS[name]
        if name in reading.IDENTIFIER_FIELDS or name in ("birth_date", "guardian_phone"):
            # Whole columns typed as text: Excel keeps what the coordinator types.
            dimension.number_format = TEXT_FORMAT
    data.append([_text_cell(data, reading.TEMPLATE_HEADERS[name], bold=True) for name in fields])

    help_sheet = workbook.create_sheet(_("Instructions"))
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 90
    lines = [
        (_("How to fill in this list"), ""),
        (
            "",
            _(
                "One student per row, starting in row 2 of the sheet “%(sheet)s”. Do not "
                "change the titles in row 1."
            )
            % {"sheet": reading.TEMPLATE_DATA_SHEET},
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
        (
            reading.TEMPLATE_HEADERS["name"],
            _("Required. The full name as on the family card (KK)."),
        ),
        (
            reading.TEMPLATE_HEADERS["nik"],
            _("Required. The student's own 16-digit NIK (not the parents' and not the KK number)."),
        ),
        (reading.TEMPLATE_HEADERS["kk_number"], _("The 16-digit number of the family card (KK).")),
        (
            reading.TEMPLATE_HEADERS["nisn"],
            _("The 10-digit NISN, leading zeros included; leave empty when the student has none."),
        ),
        (reading.TEMPLATE_HEADERS["sex"], _("Required. L for a boy, P for a girl.")),
        (reading.TEMPLATE_HEADERS["birth_place"], _("The place of birth.")),
        (
            reading.TEMPLATE_HEADERS["birth_date"],
            _("Required. DD-MM-YYYY (05-08-2009), DD/MM/YYYY, YYYY-MM-DD or “5 Agustus 2009”."),
        ),
        (reading.TEMPLATE_HEADERS["class_name"], _("The class or rombel, e.g. XI IPA 1.")),
        (reading.TEMPLATE_HEADERS["guardian_name"], _("Optional. A parent's or guardian's name.")),
        (reading.TEMPLATE_HEADERS["guardian_phone"], _("Optional. Their phone number.")),
    ]
    for left, right in lines:
        help_sheet.append(
            [_text_cell(help_sheet, left, bold=bool(left)), _text_cell(help_sheet, right)]
        )
    return _save(workbook)
