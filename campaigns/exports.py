"""The schedule as an xlsx: one row per visit, identifiers and names always text."""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import schedules

TEXT_FORMAT = "@"


def _cell(sheet, value, *, text=True, bold=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    if text:
        value = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if text:
        # openpyxl would take a string starting with "=" for a formula.
        cell.data_type = "s"
        cell.number_format = TEXT_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def schedule_rows(campaign):
    """(header, rows): the live visits by date; the date is a real date cell."""
    header = [
        _("Date"),
        _("Day"),
        _("Team"),
        _("School"),
        _("NPSN / NSM / NSPP"),
        _("Kecamatan"),
        _("Part"),
        _("Students expected"),
        _("Status"),
        _("Coordinator's answer"),
    ]
    rows = []
    for visit in schedules.schedule(campaign):
        school = visit.school
        rows.append(
            [
                visit.date,
                date_format(visit.date, "l"),
                visit.team.name,
                school.name,
                school.npsn or school.nsm or school.nspp,
                school.kecamatan.name,
                f"{visit.part}/{visit.parts}",
                visit.expected,
                visit.get_status_display(),
                visit.get_coordinator_answer_display() if visit.coordinator_answer else "",
            ]
        )
    return header, rows


def schedule_workbook(campaign):
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    header, rows = schedule_rows(campaign)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Schedule"))
    for index, width in enumerate([12, 10, 14, 36, 16, 18, 7, 10, 12, 20], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_cell(sheet, title, bold=True) for title in header])
    for row in rows:
        date_cell = _cell(sheet, row[0], text=False)
        date_cell.number_format = "DD-MM-YYYY"
        count_cell = _cell(sheet, row[7], text=False)
        sheet.append(
            [date_cell]
            + [_cell(sheet, value) for value in row[1:7]]
            + [count_cell]
            + [_cell(sheet, value) for value in row[8:]]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
