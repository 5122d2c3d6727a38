"""Reading a roster file: the shared intake with the roster's columns, and the layout.

The result is a list of normalised rows, each a dict of the needed fields only (as text)
with the spreadsheet row number the uploader sees. Nothing else of the file is kept: the
parents' NIKs, incomes and bank accounts of a Dapodik export, the NISM and the coded
columns of an EMIS export are never read into a row.

The layout is recognised by the headers: a Dapodik "Daftar Peserta Didik" export has four
title rows, the header in row 5 and a second header row under the parents' groups; an
EMIS export (madrasah and pesantren) names the madrasah (NSM) and its own student number
(NISM), and writes the sex as a code; the app's template has its own sheet and titles.
"""

from dataclasses import dataclass, field

from ktpku import intake
from students.models import RosterImport

from .fields import FIELDS, SPEC, TEMPLATE_DATA_SHEET

Layout = RosterImport.Layout

# Headers only an EMIS student export has beside the name: the madrasah's student number
# (NISM) and one of the school's EMIS columns.
_EMIS_STUDENT_NUMBER = "nism"
_EMIS_SCHOOL_COLUMNS = {"nsm", "nspp", "status siswa"}
_DAPODIK_COLUMNS = {"nipd", "rombel saat ini"}


@dataclass
class Sheet:
    """What was read from a file: its layout, columns and normalised rows."""

    layout: str
    header_row: int
    columns: dict  # field -> header text as written in the file
    ignored_columns: list
    rows: list = field(default_factory=list)


def read_roster(fileobj, filename, *, on_progress=None):
    """Read a roster file into a Sheet, or raise intake.FileRejected.

    `on_progress(fraction)` is called now and then with a number between 0 and 1.
    """
    table = intake.read_table(fileobj, filename, SPEC, on_progress=on_progress)
    return Sheet(
        layout=layout_of(table),
        header_row=table.header_row,
        columns=table.columns,
        ignored_columns=table.ignored_columns,
        rows=table.rows,
    )


def layout_of(table):
    titles = table.titles
    if table.subheader is not None or _DAPODIK_COLUMNS <= titles:
        return Layout.DAPODIK
    if _EMIS_STUDENT_NUMBER in titles and titles & _EMIS_SCHOOL_COLUMNS:
        return Layout.EMIS
    template = {intake.normalise_header(column.title) for column in FIELDS}
    if table.sheet_name == TEMPLATE_DATA_SHEET and template <= titles:
        return Layout.TEMPLATE
    return Layout.GENERIC
