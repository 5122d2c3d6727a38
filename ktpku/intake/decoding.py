"""Cells out of a file that passed the container checks: xlsx through calamine, CSV as text.

calamine gives each cell its type (text, float, bool, date, datetime), so a caller can tell
an identifier typed as text from one a spreadsheet stored as a number. CSV cells are text:
UTF-8 with or without a byte-order mark, UTF-16 with one, or Windows' cp1252 ("CSV (Comma
delimited)" from Excel); the delimiter is `,`, `;` (Excel with Indonesian regional settings)
or a tab, whichever lets the most columns be recognised.
"""

import codecs
import csv
import io
import os
import stat
from contextlib import contextmanager

from django.utils.translation import gettext as _

from .files import FileRejected, unsupported

DELIMITERS = (";", ",", "\t")


def xlsx_sheets(fileobj):
    """(sheet name, rows, number of rows) of each sheet of a workbook, in order.

    A file open on disk is read by calamine from its path, in pieces; any other (an upload
    in memory, a stored file) is handed over whole.
    """
    from python_calamine import CalamineWorkbook

    path = disk_path(fileobj)
    if path is not None:
        workbook = CalamineWorkbook.from_path(path)
    else:
        workbook = CalamineWorkbook.from_filelike(fileobj)
    for index, name in enumerate(workbook.sheet_names):
        sheet = workbook.get_sheet_by_index(index)
        yield name, sheet.iter_rows(), max(sheet.height, 1)


def disk_path(fileobj):
    """The path of a file object open for reading on a regular file on disk (the very file
    it has open, not another one put at that path since), or None."""
    raw = fileobj
    for _wrapper in range(3):  # Django's File, a stored file, a temporary upload wrap it
        raw = getattr(raw, "file", raw)
    name = getattr(raw, "name", None)
    if not isinstance(raw, io.BufferedReader | io.BufferedRandom) or not isinstance(name, str):
        return None
    try:
        opened, named = os.fstat(raw.fileno()), os.stat(name)
    except OSError:
        return None
    return name if stat.S_ISREG(opened.st_mode) and os.path.samestat(opened, named) else None


@contextmanager
def unreadable_as_unsupported():
    """Whatever calamine or the csv module raise on a broken or hostile file becomes
    file_unsupported."""
    from python_calamine import CalamineError

    try:
        yield
    except FileRejected:
        raise
    except (CalamineError, csv.Error, ValueError, OSError) as exc:
        # calamine refuses entity declarations and broken parts with its own errors.
        raise unsupported() from exc
    except Exception as exc:  # calamine raises several undocumented error types
        if type(exc).__module__.startswith("python_calamine"):
            raise unsupported() from exc
        raise


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
