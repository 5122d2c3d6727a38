"""A table out of a spreadsheet, described by its columns: the header row found by content.

An import describes its columns (a TableSpec of Columns: the header texts that name each,
which are required, which hold identifiers); `read_table` finds the header row among the
first rows of the first sheet that has one, skips a second header row under column groups
(as in a Dapodik export), and turns every data row into a record of the described columns
only, as text. Nothing else of the file is kept.
"""

import datetime
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from .decoding import csv_sheet, unreadable_as_unsupported, xlsx_sheets
from .files import HEADER_NOT_FOUND, FileRejected, check_file, too_large

PROGRESS_EVERY_ROWS = 500


def normalise_header(text):
    """ "Jenis Kelamin (L/P)" -> "jenis kelamin"; "No. KK" -> "no kk"."""
    text = unicodedata.normalize("NFKC", cell_text(text)).lower()
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


def cell_text(value):
    """A cell's value as the text the uploader sees; a date cell as DD/MM/YYYY."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


@dataclass(frozen=True)
class Column:
    """One column an import reads: its name in the records, the title templates and error
    workbooks write, the other header texts that name it, and how to treat its cells."""

    name: str
    title: str
    aliases: tuple = ()
    required: bool = False
    # A number cell here has lost digits or leading zeros: the record says so ("numeric").
    identifier: bool = False
    # Written as Text in templates and error workbooks (identifiers always are), so Excel
    # keeps what is typed: a date as typed, a phone number with its leading zero.
    text: bool = False
    width: int = 16

    @property
    def as_text(self):
        return self.text or self.identifier


class TableSpec:
    """The columns of one kind of file, and how far down its header row may be.

    `header_not_found(missing)` words the file-level problem: `missing` lists the titles of
    the required columns a near-miss header row lacks, or is None when none was found.
    """

    def __init__(self, columns, *, scan_rows, header_not_found):
        self.columns = tuple(columns)
        self.scan_rows = scan_rows
        self.header_not_found = header_not_found
        self._by_header = {}
        for column in self.columns:
            for text in (column.title, *column.aliases):
                self._by_header.setdefault(normalise_header(text), column.name)
        self.required = [column.name for column in self.columns if column.required]
        self.identifiers = {column.name for column in self.columns if column.identifier}

    def column(self, name):
        return next(column for column in self.columns if column.name == name)

    def positions(self, row):
        """{column name: index} for the first cell of the row naming each column."""
        found = {}
        for index, value in enumerate(row):
            name = self._by_header.get(normalise_header(value))
            if name and name not in found:
                found[name] = index
        return found

    def score(self, row):
        return len(self.positions(row))

    def rejection(self, near_miss):
        missing = None
        if near_miss:
            missing = [self.column(name).title for name in self.required if name not in near_miss]
        return FileRejected(HEADER_NOT_FOUND, self.header_not_found(missing))


@dataclass
class Table:
    """What was read: where the header is, which column is where, and the records."""

    sheet_name: str | None
    header_row: int  # as the spreadsheet numbers it
    header: list
    subheader: list | None
    positions: dict
    rows: list = field(default_factory=list)  # {name: text, "row": n, ["numeric": [name]]}

    @property
    def columns(self):
        """{column name: header text as written in the file}, in the file's order."""
        ordered = sorted(self.positions.items(), key=lambda item: item[1])
        return {name: cell_text(self.header[index]) for name, index in ordered}

    @property
    def titles(self):
        """Every header text of the file, normalised."""
        return {normalise_header(value) for value in self.header}

    @property
    def ignored_columns(self):
        """The titles of the columns not read ("Data Ayah: NIK" under a column group)."""
        mapped = set(self.positions.values())
        ignored, group = [], ""
        subheader = self.subheader or ()
        for index in range(max(len(self.header), len(subheader))):
            title = cell_text(self.header[index]) if index < len(self.header) else ""
            sub = cell_text(subheader[index]) if index < len(subheader) else ""
            if title and sub:
                group = title
            elif title:
                group = ""
            if index in mapped:
                continue
            label = f"{group or title}: {sub}" if sub else title
            if label and label not in ignored:
                ignored.append(label)
        return ignored


def read_table(fileobj, filename, spec, *, on_progress=None):
    """The first sheet with a header row, as a Table; FileRejected when there is none.

    `on_progress(fraction)` is called now and then with a number between 0 and 1.
    """
    kind = check_file(fileobj, filename)
    with unreadable_as_unsupported():
        if kind == "xlsx":
            sheets = xlsx_sheets(fileobj)
        else:
            sheets = [csv_sheet(fileobj, score=spec.score, scan_rows=spec.scan_rows)]
        for sheet_name, rows, total in sheets:
            table = _read_sheet(sheet_name, iter(rows), total, spec, on_progress)
            if table is not None:
                return table
    raise spec.rejection(None)


def _read_sheet(sheet_name, rows, total, spec, on_progress):
    """The sheet as a Table, or None when it has no header row at all."""
    header_index, positions, near_miss = None, None, None
    header = None
    for index, row in enumerate(rows):
        candidate = spec.positions(row)
        if all(name in candidate for name in spec.required):
            header_index, positions, header = index, candidate, list(row)
            break
        if len(candidate) >= 2 and (near_miss is None or len(candidate) > len(near_miss)):
            near_miss = candidate
        if index + 1 >= spec.scan_rows:
            break
    if positions is None:
        if near_miss:
            raise spec.rejection(near_miss)
        return None

    table = Table(sheet_name, header_index + 1, header, None, positions)
    number = header_index + 2  # the first row under the header
    first = next(rows, None)
    pending = []
    if first is not None:
        if _is_subheader(first, positions):
            table.subheader = list(first)
            number += 1
        else:
            pending.append(first)
    if hasattr(rows, "keep_only"):  # an xlsx sheet: the cells of other columns stay unread
        rows.keep_only(positions.values())
    max_rows = settings.UPLOAD_MAX_ROWS
    for offset, row in enumerate(itertools.chain(pending, rows)):
        row_number = number + offset
        record = _record(row, positions, spec.identifiers)
        if record is None:
            continue
        if len(table.rows) >= max_rows:
            raise too_large(
                _("The list has more than %(max)d rows (the limit). Split it into several files.")
                % {"max": max_rows}
            )
        record["row"] = row_number
        table.rows.append(record)
        if on_progress and row_number % PROGRESS_EVERY_ROWS == 0:
            on_progress(min(row_number / total, 1.0))
    return table


def _is_subheader(row, positions):
    """A second header row: titles under column groups, none under a column read."""
    filled = [index for index, value in enumerate(row) if cell_text(value)]
    if len(filled) < 2:
        return False
    mapped = set(positions.values())
    return not any(index in mapped for index in filled)


def _record(row, positions, identifiers):
    """The described columns of one row as text, or None for a blank row."""
    record, numeric = {}, []
    for name, index in positions.items():
        value = row[index] if index < len(row) else None
        if name in identifiers and isinstance(value, int | float) and not isinstance(value, bool):
            numeric.append(name)
        record[name] = cell_text(value)
    if not any(record.values()):
        return None
    if numeric:
        record["numeric"] = numeric
    return record
