"""The schedule as an xlsx: one row per visit, identifiers and names always text."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ktpku import xlsx

from . import schedules

WIDTHS = [12, 10, 14, 36, 16, 18, 7, 10, 12, 20]
KINDS = {0: xlsx.DATE, 4: xlsx.IDENTIFIER, 7: xlsx.NUMBER}


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

    header, rows = schedule_rows(campaign)
    columns = [
        xlsx.Column(title, width, KINDS.get(index, xlsx.TEXT))
        for index, (title, width) in enumerate(zip(header, WIDTHS, strict=True))
    ]
    workbook = Workbook(write_only=True)
    xlsx.write_table(workbook.create_sheet(_("Schedule")), columns, rows)
    return xlsx.save(workbook)
