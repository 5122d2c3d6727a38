"""The one spreadsheet intake every import uses: rosters, the school registry, and more to come.

An import describes its columns (`Column`, `TableSpec`) and checks its rows; the intake does
the rest the same way for all: the container checks before parsing (`files`), decoding
(`decoding`), finding the header row by content (`table`), the identifier normaliser
(`identifiers`), the issue shape (`issues`) and the workbook of rows to fix (`workbook`).
The package imports none of the apps.
"""

from .files import (
    FILE_TOO_LARGE,
    FILE_UNSUPPORTED,
    HEADER_NOT_FOUND,
    FileRejected,
    check_file,
    too_large,
    unsupported,
)
from .identifiers import looks_like_lost_precision, normalise
from .issues import ERROR, WARNING, RowResult, issue
from .table import Column, Table, TableSpec, cell_text, normalise_header, read_table

__all__ = [
    "ERROR",
    "FILE_TOO_LARGE",
    "FILE_UNSUPPORTED",
    "HEADER_NOT_FOUND",
    "WARNING",
    "Column",
    "FileRejected",
    "RowResult",
    "Table",
    "TableSpec",
    "cell_text",
    "check_file",
    "issue",
    "looks_like_lost_precision",
    "normalise",
    "normalise_header",
    "read_table",
    "too_large",
    "unsupported",
]
