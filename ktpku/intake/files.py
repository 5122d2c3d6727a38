"""The checks a spreadsheet passes before anything parses it, and the file-level problems.

An xlsx is a zip of XML parts. Only the zip directory is trusted for sizes, so a zip bomb
is refused before a byte is inflated; a workbook with macros or with XML entity
declarations (the "billion laughs") is refused on its content, whatever its name says.
"""

import io
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ZIP_ENTRIES = 100
MAX_COMPRESSION_RATIO = 100
# Small parts compress well without being a bomb: the ratio is checked above this size.
RATIO_CHECK_FROM_BYTES = 1024 * 1024

FILE_UNSUPPORTED = "file_unsupported"
FILE_TOO_LARGE = "file_too_large"
HEADER_NOT_FOUND = "header_not_found"

_MACRO_CONTENT_TYPE = b"macroenabled"
_ENTITY_MARKERS = (b"<!doctype", b"<!entity")


class FileRejected(Exception):
    """The file cannot be read at all; `code` is one of the file-level issue codes."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def too_large(message):
    return FileRejected(FILE_TOO_LARGE, message)


def unsupported(message=None):
    return FileRejected(
        FILE_UNSUPPORTED,
        message
        or _(
            "This file cannot be read. Save the list in Excel as “Excel Workbook (.xlsx)” or "
            "“CSV UTF-8” and upload that file."
        ),
    )


def file_kind(fileobj, filename):
    """ "xlsx" or "csv" from the file's first bytes, which must agree with its name."""
    suffix = PurePath(filename or "").suffix.lower()
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise unsupported(
            _(
                "This is an old Excel file (.xls) or a protected workbook. Open "
                "it in Excel, choose Save As “Excel Workbook (.xlsx)” and upload "
                "the new file."
            )
        )
    if head.startswith(b"%PDF"):
        raise unsupported(
            _("This is a PDF. Upload the list as an Excel workbook (.xlsx) or a CSV file instead.")
        )
    is_zip = head.startswith(b"PK\x03\x04")
    if suffix == ".xlsm":
        raise unsupported(
            _(
                "Workbooks with macros (.xlsm) are not accepted. Save the list "
                "as “Excel Workbook (.xlsx)” and upload that file."
            )
        )
    if suffix == ".xlsx":
        if not is_zip:
            raise unsupported()
        return "xlsx"
    if suffix in (".csv", ".txt"):
        if is_zip:
            raise unsupported()
        return "csv"
    if suffix == "":
        return "xlsx" if is_zip else "csv"
    raise unsupported()


def check_size(fileobj):
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise too_large(
            _(
                "The file is %(size)s MB; the limit is %(limit)s MB. Remove "
                "columns or sheets that are not needed, or split the list."
            )
            % {"size": _mb(size), "limit": _mb(limit)}
        )
    if size == 0:
        raise unsupported(_("The file is empty."))
    return size


def _mb(size):
    return f"{size / (1024 * 1024):.1f}"


def check_xlsx_container(fileobj):
    """Refuse zip bombs, macro workbooks and XML with entity declarations before parsing.

    Only the zip directory is trusted for sizes; reading the XML parts afterwards also
    proves the directory was not forged (a part longer than declared fails its CRC).
    """
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unsupported() from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise too_large(
                _(
                    "The workbook has too many parts (%(count)d). Copy the list "
                    "into a new, plain workbook and upload that."
                )
                % {"count": len(entries)}
            )
        total = sum(entry.file_size for entry in entries)
        if total > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES:
            raise too_large(
                _(
                    "Unpacked, the workbook would be %(size)s MB; the limit is "
                    "%(limit)s MB. Remove what is not needed or split the list."
                )
                % {"size": _mb(total), "limit": _mb(settings.UPLOAD_MAX_UNCOMPRESSED_BYTES)}
            )
        for entry in entries:
            if (
                entry.file_size > RATIO_CHECK_FROM_BYTES
                and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
            ):
                raise too_large(
                    _(
                        "The workbook unpacks to far more than its size suggests. "
                        "Copy the list into a new workbook and upload that."
                    )
                )
        names = {entry.filename for entry in entries}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise unsupported(
                _(
                    "This workbook contains macros. Save the list as “Excel "
                    "Workbook (.xlsx)” without macros and upload that file."
                )
            )
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise unsupported()
        try:
            for entry in entries:
                if entry.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _scan_xml_part(archive, entry)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
            raise unsupported() from None


def _scan_xml_part(archive, entry):
    tail = b""
    is_content_types = entry.filename == "[Content_Types].xml"
    with archive.open(entry) as part:
        while chunk := part.read(1024 * 1024):
            window = tail + chunk
            # Both markers start with "<!", which a sheet's XML seldom holds: lowercase and
            # search only the chunks that have it.
            if b"<!" in window and any(marker in window.lower() for marker in _ENTITY_MARKERS):
                raise unsupported(
                    _(
                        "The workbook contains XML declarations that are not "
                        "allowed. Copy the list into a new workbook and upload "
                        "that."
                    )
                )
            if is_content_types and _MACRO_CONTENT_TYPE in window.lower():
                raise unsupported(
                    _(
                        "This workbook contains macros. Save the list as “Excel "
                        "Workbook (.xlsx)” without macros and upload that file."
                    )
                )
            tail = window[-16:]


def check_file(fileobj, filename):
    """All checks that need no parsing: size, kind, and for xlsx the container. Returns kind."""
    check_size(fileobj)
    kind = file_kind(fileobj, filename)
    if kind == "xlsx":
        check_xlsx_container(fileobj)
    fileobj.seek(0)
    return kind
