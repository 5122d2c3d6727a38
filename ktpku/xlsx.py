"""Writing workbooks: the one place that decides how a value becomes a cell.

Every workbook KTPku hands out (exports, the schedule, templates, rows to fix, the paper
checklist) writes its cells through here, so two rules hold everywhere:
- Text stays text. openpyxl takes any string starting with "=" for a formula, and Excel or
  LibreOffice would run one starting with = + - @ typed by a school into a name (CSV/formula
  injection). A text cell is written as a plain string (data type "s"), never a formula.
- Identifiers (NIK, No. KK, NISN, NPSN) carry the "@" (Text) number format: a 16-digit
  number in a number cell loses its last digit.

Write-only workbooks (`Workbook(write_only=True)`) stream their rows, so an export of
100,000 students holds one row in memory at a time; `write_table` fills one such sheet.
"""

import io
from dataclasses import dataclass

TEXT_FORMAT = "@"
DATE_FORMAT = "DD-MM-YYYY"

TEXT = "text"
IDENTIFIER = "identifier"
DATE = "date"
NUMBER = "number"


def text_value(value):
    """`value` as the string a cell may hold: None is empty, control characters dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def keep_as_text(cell, *, identifier=False):
    """Make `cell` (of any worksheet) hold its value as a plain string, never a formula."""
    cell.value = text_value(cell.value)
    cell.data_type = "s"
    if identifier:
        cell.number_format = TEXT_FORMAT
    return cell


def text_cell(sheet, value, *, identifier=False, bold=False, fill=None):
    """A write-only cell holding `value` as text; `fill` is an RGB hex background."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    cell = keep_as_text(WriteOnlyCell(sheet, value=text_value(value)), identifier=identifier)
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    return cell


def value_cell(sheet, value, *, number_format=None):
    """A write-only cell holding a number or a date as such (None stays empty)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def set_widths(sheet, widths, *, text_columns=()):
    """Column widths in order; the columns named by index in `text_columns` typed as Text."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths):
        dimension = sheet.column_dimensions[get_column_letter(index + 1)]
        dimension.width = width
        if index in text_columns:
            # Whole columns typed as text: Excel keeps what the user types there.
            dimension.number_format = TEXT_FORMAT


def save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Column:
    """A column of a written table: its title, width and kind (TEXT, IDENTIFIER, DATE or
    NUMBER). Text and identifiers are always written as text."""

    title: str
    width: int = 16
    kind: str = TEXT


def cell(sheet, column, value):
    if column.kind == DATE:
        return value_cell(sheet, value, number_format=DATE_FORMAT)
    if column.kind == NUMBER:
        return value_cell(sheet, value)
    return text_cell(sheet, value, identifier=column.kind == IDENTIFIER)


def write_table(sheet, columns, rows, *, on_row=None):
    """Fill a write-only `sheet`: a bold header, then one line per row of `rows`.

    `rows` is any iterable of value sequences, read once (a queryset's iterator); `on_row`,
    when given, is called after each row (progress). Returns the number of rows written.
    """
    set_widths(
        sheet,
        [column.width for column in columns],
        text_columns={i for i, column in enumerate(columns) if column.kind == IDENTIFIER},
    )
    sheet.append([text_cell(sheet, column.title, bold=True) for column in columns])
    count = 0
    for row in rows:
        sheet.append(
            [cell(sheet, column, value) for column, value in zip(columns, row, strict=True)]
        )
        count += 1
        if on_row is not None:
            on_row()
    return count
