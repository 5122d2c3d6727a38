"""Workbooks the intake hands out: the refused rows to fix, and blank templates.

Written with openpyxl in write-only mode through ktpku.xlsx: every value is written as a
string, so a cell starting with = + - @ is never a formula, and identifier cells carry the
"@" (Text) number format, since a 16-digit number would lose its last digit.
"""

from ktpku.xlsx import save, set_widths, text_cell

from .identifiers import looks_like_lost_precision
from .issues import ERROR

FIX_COLUMN_WIDTH = 80
# Light red behind a cell that refuses the row, light yellow behind a warning.
FILLS = {ERROR: "F8D7DA", "warning": "FFF3CD"}


def rows_to_fix(columns, records, issues):
    """[(record, row number, {column title: severity}, what to fix)] of the refused records.

    `columns` is [(Column, title as written in the file)]; an issue names its column by
    that title. What to fix lists the errors first, then the warnings.
    """
    by_row = {}
    for issue in issues:
        by_row.setdefault(issue["row"], []).append(issue)
    refused = []
    for record in records:
        found = by_row.get(record["row"], [])
        errors = [issue for issue in found if issue["severity"] == ERROR]
        if not errors:
            continue
        ordered = errors + [issue for issue in found if issue["severity"] != ERROR]
        marks = {}
        for issue in reversed(ordered):
            marks[issue["column"]] = issue["severity"]
        fix = "\n".join(f"{issue['column']}: {issue['message']}" for issue in ordered)
        refused.append((record, record["row"], marks, fix))
    return refused


def refused_rows_workbook(*, sheet_title, columns, records, issues, row_title, fix_title):
    """The refused records as an xlsx (bytes), ready to be fixed and uploaded again.

    The file's own columns and titles come back in its order, so the fixed workbook reads
    back the same; the cells to fix are filled, and an identifier that went through the
    spreadsheet as a number comes back empty: its digits are lost and must be typed again.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    set_widths(
        sheet,
        [column.width for column, _title in columns] + [10, FIX_COLUMN_WIDTH],
        text_columns={index for index, (column, _title) in enumerate(columns) if column.as_text},
    )
    header = [title for _column, title in columns] + [row_title, fix_title]
    sheet.append([text_cell(sheet, title, bold=True) for title in header])
    for record, number, marks, fix in rows_to_fix(columns, records, issues):
        cells = []
        for column, title in columns:
            value = record.get(column.name, "")
            if column.identifier and (
                column.name in record.get("numeric", ()) or looks_like_lost_precision(value)
            ):
                value = ""
            cells.append(
                text_cell(sheet, value, identifier=column.as_text, fill=FILLS.get(marks.get(title)))
            )
        cells.append(number)
        cells.append(text_cell(sheet, fix))
        sheet.append(cells)
    return save(workbook)
