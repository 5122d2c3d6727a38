"""Cells out of a file that passed the container checks: xlsx by `sheets`, CSV as text.

An xlsx cell has its type (text, float, bool, date, datetime), so a caller can tell
an identifier typed as text from one a spreadsheet stored as a number. CSV cells are text:
UTF-8 with or without a byte-order mark, UTF-16 with one, or Windows' cp1252 ("CSV (Comma
delimited)" from Excel); the delimiter is `,`, `;` (Excel with Indonesian regional settings)
or a tab, whichever lets the most columns be recognised.
"""

import codecs
import csv
import io
import zipfile
import zlib
from contextlib import contextmanager

from django.utils.translation import gettext as _

from .files import FileRejected, unsupported
from .sheets import UnreadableWorkbook, Workbook

DELIMITERS = (";", ",", "\t")


def xlsx_sheets(fileobj):
    """(sheet name, rows, number of rows) of each sheet of a workbook, in order; the rows
    are read as they are asked for (sheets.SheetRows)."""
    workbook = Workbook(fileobj)
    for name, part in workbook.sheets:
        rows = workbook.rows(part)
        yield name, rows, max(rows.height, 1)


@contextmanager
def unreadable_as_unsupported():
    """Whatever a broken or hostile file makes the readers raise becomes file_unsupported."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    try:
        yield
    except FileRejected:
        raise
    except (
        UnreadableWorkbook,
        zipfile.BadZipFile,
        zlib.error,
        ParseError,
        DefusedXmlException,
        csv.Error,
        ValueError,
        EOFError,
        OSError,
    ) as exc:
        raise unsupported() from exc


def decode(raw):
    """The text of a CSV file, or FileRejected: never read into mojibake."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise unsupported() from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise unsupported(
            _(
                "The characters of this CSV file cannot be read. In Excel, "
                "choose Save As “CSV UTF-8” and upload that file."
            )
        ) from None


def csv_sheet(fileobj, *, score, scan_rows):
    """(None, rows, number of lines) of a CSV file.

    `score(row)` says how many needed columns a row's titles name; the delimiter that scores
    best among the first `scan_rows` lines wins.
    """
    fileobj.seek(0)
    text = decode(fileobj.read())
    if "\x00" in text:
        raise unsupported()
    head_lines = text.splitlines()[:scan_rows]
    best = None
    for delimiter in DELIMITERS:
        found = max((score(row) for row in csv.reader(head_lines, delimiter=delimiter)), default=0)
        if best is None or found > best[1]:
            best = (delimiter, found)
    total = max(text.count("\n") + 1, 1)
    return None, csv.reader(io.StringIO(text, newline=""), delimiter=best[0]), total
