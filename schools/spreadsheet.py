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
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ktpku import files

FILE_UNSUPPORTED = "file_unsupported"
FILE_TOO_LARGE = "file_too_large"


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
        with open(path, "rb") as handle:
            # The same checks as a roster upload: size, kind by content, zip and XML bombs,
            # macros; all before anything is parsed.
            kind = files.check_file(handle, os.path.basename(path))
    except OSError as exc:
        raise FileProblem(
            FILE_UNSUPPORTED, _("The file cannot be opened: %(error)s") % {"error": exc.strerror}
        ) from None
    except files.FileRejected as exc:
        raise FileProblem(exc.code, exc.message) from None
    rows = _read_xlsx(path) if kind == "xlsx" else _read_csv(path)
    if len(rows) > settings.UPLOAD_MAX_ROWS + 1:
        raise FileProblem(
            FILE_TOO_LARGE,
            _("The file has more than %(limit)d rows.") % {"limit": settings.UPLOAD_MAX_ROWS},
        )
    return [(index + 1, row) for index, row in enumerate(rows)]


def _not_a_workbook():
    return FileProblem(
        FILE_UNSUPPORTED, _("The file is not a readable Excel workbook (.xlsx) or CSV file.")
    )


def _read_xlsx(path):
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
        # "CSV (Comma delimited)" from Excel on Windows; anything else is refused, never
        # read into mojibake.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem(
                FILE_UNSUPPORTED,
                _(
                    "The characters of this CSV file cannot be read. In Excel, choose Save As "
                    "“CSV UTF-8” and upload that file."
                ),
            ) from None
    first_line = text.split("\n", 1)[0]
    # Excel with Indonesian regional settings writes semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise _not_a_workbook() from None
