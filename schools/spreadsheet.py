"""Reading a small registry file (CSV or xlsx) into rows of cells, within limits.

The format is decided by the content, not by the file name: an xlsx is a zip with a
workbook part; anything else must decode as text. Old .xls files, macro workbooks, PDFs
and broken zips are refused with `file_unsupported`; files over the configured size, row
or uncompressed-size limits with `file_too_large`. xlsx cells keep their type (calamine
gives numbers as floats), so callers can refuse identifiers that were stored as numbers.
"""

import csv
import io
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

FILE_UNSUPPORTED = "file_unsupported"
FILE_TOO_LARGE = "file_too_large"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_MAX_ZIP_ENTRIES = 100


@dataclass(frozen=True)
class FileProblem(Exception):
    code: str
    message: str


def read_rows(path):
    """[(row number as the spreadsheet shows it, [cell, ...]), ...] of the first sheet.

    CSV cells are always text; xlsx cells are text, float, bool, date or datetime.
    Raises FileProblem when the file cannot be read at all.
    """
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise FileProblem(FILE_UNSUPPORTED,
                          _("The file cannot be opened: %(error)s") % {"error": exc.strerror}
                          ) from None
    if size > settings.UPLOAD_MAX_BYTES:
        raise FileProblem(FILE_TOO_LARGE,
                          _("The file is larger than %(limit)d MB.")
                          % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
    if head.startswith(_ZIP_MAGIC):
        rows = _read_xlsx(path)
    elif head.startswith(_OLE_MAGIC):
        raise FileProblem(FILE_UNSUPPORTED,
                          _("This is an old Excel (.xls) file: save it as .xlsx or CSV."))
    else:
        rows = _read_csv(path)
    if len(rows) > settings.UPLOAD_MAX_ROWS + 1:
        raise FileProblem(FILE_TOO_LARGE, _("The file has more than %(limit)d rows.")
                          % {"limit": settings.UPLOAD_MAX_ROWS})
    return [(index + 1, row) for index, row in enumerate(rows)]


def _not_a_workbook():
    return FileProblem(FILE_UNSUPPORTED,
                       _("The file is not a readable Excel workbook (.xlsx) or CSV file."))


def _read_xlsx(path):
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _not_a_workbook() from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise _not_a_workbook()
    if "xl/vbaProject.bin" in names:
        raise FileProblem(FILE_UNSUPPORTED,
                          _("The workbook contains macros: save it as a plain .xlsx file."))
    # A zip bomb declares its real sizes in the directory: refuse before parsing.
    if (len(entries) > _MAX_ZIP_ENTRIES
            or sum(entry.file_size for entry in entries)
            > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES):
        raise FileProblem(FILE_TOO_LARGE, _("The workbook is too large once unpacked."))
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError):
        raise _not_a_workbook() from None


def _read_csv(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if b"\x00" in data:
        raise _not_a_workbook()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # "CSV (Comma delimited)" from Excel on Windows.
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    # Excel with Indonesian regional settings writes semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise _not_a_workbook() from None
