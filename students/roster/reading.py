"""Reading a roster file: calamine or csv rows, the header row, the columns, the limits.

The result is a list of normalised rows, each a dict of the needed fields only (as text)
with the spreadsheet row number the uploader sees. Nothing else of the file is kept: the
parents' NIKs, incomes and bank accounts of a Dapodik export are never read into a row.

Columns are found by their header text, never by position. The header row is found by
content among the first rows; a Dapodik export has four title rows, the header in row 5
and a second header row under the father/mother/guardian groups.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

# The file-level checks and codes live in ktpku.files (shared with the school registry);
# callers may reach them from here.
from ktpku.files import (  # noqa: F401
    FILE_TOO_LARGE,
    FILE_UNSUPPORTED,
    HEADER_NOT_FOUND,
    FileRejected,
    check_file,
    too_large,
    unsupported,
)

HEADER_SCAN_ROWS = 20
PROGRESS_EVERY_ROWS = 500

FIELDS = (
    "name",
    "nik",
    "kk_number",
    "nisn",
    "sex",
    "birth_place",
    "birth_date",
    "class_name",
    "guardian_name",
    "guardian_phone",
)
REQUIRED_FIELDS = ("name", "nik", "sex", "birth_date")
IDENTIFIER_FIELDS = ("nik", "kk_number", "nisn")

# Header texts after `normalise_header`. Exact matches only: "nik ayah" is not "nik".
HEADER_ALIASES = {
    "name": {
        "nama",
        "nama lengkap",
        "nama siswa",
        "nama peserta didik",
        "nama murid",
        "nama santri",
        "nama lengkap siswa",
        "nama lengkap peserta didik",
        "name",
        "full name",
        "student name",
    },
    "nik": {
        "nik",
        "nik siswa",
        "nik peserta didik",
        "nik santri",
        "nik murid",
        "nomor induk kependudukan",
        "no nik",
        "nomor nik",
        "nik ktp",
    },
    "kk_number": {
        "no kk",
        "nomor kk",
        "no kartu keluarga",
        "nomor kartu keluarga",
        "kk",
        "no kk siswa",
        "nomor kk siswa",
        "nik kk",
        "kartu keluarga",
    },
    "nisn": {"nisn", "no nisn", "nomor nisn", "nomor induk siswa nasional"},
    "sex": {"jk", "jenis kelamin", "l p", "lp", "kelamin", "sex", "gender"},
    "birth_place": {
        "tempat lahir",
        "tmp lahir",
        "tmpt lahir",
        "tempat lhr",
        "birth place",
        "place of birth",
    },
    "birth_date": {
        "tanggal lahir",
        "tgl lahir",
        "tgl lhr",
        "tanggal lhr",
        "tgl lahir siswa",
        "birth date",
        "date of birth",
    },
    "class_name": {
        "kelas",
        "rombel",
        "rombel saat ini",
        "rombongan belajar",
        "kelas rombel",
        "class",
    },
    "guardian_name": {
        "nama wali",
        "nama orang tua",
        "nama orang tua wali",
        "nama ortu",
        "nama ortu wali",
        "orang tua wali",
        "guardian name",
    },
    "guardian_phone": {
        "hp wali",
        "no hp wali",
        "nomor hp wali",
        "telepon wali",
        "no telepon wali",
        "no telp wali",
        "telp wali",
        "no wa wali",
        "hp orang tua",
        "no hp orang tua",
        "no hp orang tua wali",
        "nomor hp orang tua wali",
        "hp ortu",
        "no hp ortu",
        "no hp ortu wali",
        "guardian phone",
    },
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}

# The app's own template: these header texts are a file format, the same in every language
# of the interface, so a template downloaded in English reads back in Indonesian.
TEMPLATE_HEADERS = {
    "name": "Nama Lengkap",
    "nik": "NIK",
    "kk_number": "No KK",
    "nisn": "NISN",
    "sex": "Jenis Kelamin (L/P)",
    "birth_place": "Tempat Lahir",
    "birth_date": "Tanggal Lahir",
    "class_name": "Kelas",
    "guardian_name": "Nama Wali",
    "guardian_phone": "HP Wali",
}
TEMPLATE_DATA_SHEET = "Daftar Siswa"

LAYOUT_DAPODIK = "dapodik"
LAYOUT_TEMPLATE = "template"
LAYOUT_GENERIC = "generic"


@dataclass
class Sheet:
    """What was read from a file: its layout, columns and normalised rows."""

    layout: str
    header_row: int
    columns: dict  # field -> header text as written in the file
    ignored_columns: list
    rows: list = field(default_factory=list)


def normalise_header(text):
    """ "Jenis Kelamin (L/P)" -> "jenis kelamin"; "No. KK" -> "no kk"."""
    text = unicodedata.normalize("NFKC", cell_text(text)).lower()
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


def cell_text(value):
    """A cell's value as the text the uploader sees."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_roster(fileobj, filename, *, on_progress=None):
    """Read a roster file into a Sheet, or raise FileRejected.

    `on_progress(fraction)` is called now and then with a number between 0 and 1.
    """
    kind = check_file(fileobj, filename)
    if kind == "xlsx":
        return _read_xlsx(fileobj, on_progress)
    return _read_csv(fileobj, on_progress)


# xlsx ------------------------------------------------------------------------------------


def _read_xlsx(fileobj, on_progress):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(fileobj)
        for index in range(len(workbook.sheet_names)):
            sheet = workbook.get_sheet_by_index(index)
            total = max(sheet.height, 1)
            found = _read_rows(
                sheet.iter_rows(), total, on_progress, sheet_name=workbook.sheet_names[index]
            )
            if found is not None:
                return found
    except FileRejected:
        raise
    except (CalamineError, ValueError, OSError) as exc:
        # calamine refuses entity declarations and broken parts with its own errors.
        raise unsupported() from exc
    except Exception as exc:  # calamine raises several undocumented error types
        if type(exc).__module__.startswith("python_calamine"):
            raise unsupported() from exc
        raise
    raise _header_not_found(None)


# csv -------------------------------------------------------------------------------------


def _decode(raw):
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
        # "CSV (Comma delimited)" from Excel on Windows.
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise unsupported(
            _(
                "The characters of this CSV file cannot be read. In Excel, "
                "choose Save As “CSV UTF-8” and upload that file."
            )
        ) from None


def _read_csv(fileobj, on_progress):
    fileobj.seek(0)
    text = _decode(fileobj.read())
    if "\x00" in text:
        raise unsupported()
    head_lines = text.splitlines()[:HEADER_SCAN_ROWS]
    best = None
    for delimiter in (";", ",", "\t"):
        head = list(csv.reader(head_lines, delimiter=delimiter))
        score = max((_recognised(row) for row in head), default=0)
        if best is None or score > best[1]:
            best = (delimiter, score)
    delimiter = best[0]
    total = max(text.count("\n") + 1, 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found = _read_rows(reader, total, on_progress, sheet_name=None)
    if found is None:
        raise _header_not_found(None)
    return found


# Header detection and rows --------------------------------------------------------------


def _recognised(row):
    return len({_ALIAS_TO_FIELD[h] for h in map(normalise_header, row) if h in _ALIAS_TO_FIELD})


def _map_columns(row):
    """{field: column index} for the first column of each recognised header."""
    mapping = {}
    for index, value in enumerate(row):
        name = _ALIAS_TO_FIELD.get(normalise_header(value))
        if name and name not in mapping:
            mapping[name] = index
    return mapping


def _header_not_found(best_mapping):
    if best_mapping:
        missing = [TEMPLATE_HEADERS[name] for name in REQUIRED_FIELDS if name not in best_mapping]
        return FileRejected(
            HEADER_NOT_FOUND,
            _(
                "The header row lacks these columns: %(columns)s. Add them (one column each, "
                "the title in the header row) or use the template."
            )
            % {"columns": ", ".join(missing)},
        )
    return FileRejected(
        HEADER_NOT_FOUND,
        _(
            "No header row with the columns Nama, NIK, Jenis Kelamin and Tanggal Lahir was found "
            "in the first %(count)d rows. Put the column titles in one row above the students, "
            "or use the template."
        )
        % {"count": HEADER_SCAN_ROWS},
    )


def _is_subheader(row, mapping):
    """The second header row of a Dapodik export: titles under the parents' groups only."""
    filled = [index for index, value in enumerate(row) if cell_text(value)]
    if len(filled) < 2:
        return False
    mapped = set(mapping.values())
    return not any(index in mapped for index in filled)


def _ignored_columns(header, subheader, mapping):
    mapped = set(mapping.values())
    ignored, group = [], ""
    width = max(len(header), len(subheader or ()))
    for index in range(width):
        title = cell_text(header[index]) if index < len(header) else ""
        sub = cell_text(subheader[index]) if subheader and index < len(subheader) else ""
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


def _layout(header, mapping, subheader, sheet_name):
    titles = {normalise_header(value) for value in header}
    if subheader is not None or ("nipd" in titles and "rombel saat ini" in titles):
        return LAYOUT_DAPODIK
    template = {normalise_header(text) for text in TEMPLATE_HEADERS.values()}
    if sheet_name == TEMPLATE_DATA_SHEET and template <= titles:
        return LAYOUT_TEMPLATE
    return LAYOUT_GENERIC


def _read_rows(rows, total, on_progress, *, sheet_name):
    """Find the header among the first rows, then turn each data row into a dict.

    Returns None when this sheet has no header row (the caller may try the next sheet).
    """
    iterator = iter(rows)
    scanned = []
    header_index, mapping, best = None, None, None
    for index, row in enumerate(iterator):
        scanned.append(row)
        candidate = _map_columns(row)
        if all(name in candidate for name in REQUIRED_FIELDS):
            header_index, mapping = index, candidate
            break
        if len(candidate) >= 2 and (best is None or len(candidate) > len(best)):
            best = candidate
        if index + 1 >= HEADER_SCAN_ROWS:
            break
    if mapping is None:
        if best:
            raise _header_not_found(best)
        return None

    header = list(scanned[header_index])
    columns = {name: cell_text(header[index]) for name, index in mapping.items()}
    row_number = header_index + 1
    subheader = None
    first = next(iterator, None)
    pending = []
    if first is not None:
        row_number += 1
        if _is_subheader(first, mapping):
            subheader = list(first)
        else:
            pending.append((row_number, first))
    sheet = Sheet(
        layout=_layout(header, mapping, subheader, sheet_name),
        header_row=header_index + 1,
        columns=columns,
        ignored_columns=_ignored_columns(header, subheader, mapping),
    )

    max_rows = settings.UPLOAD_MAX_ROWS

    def numbered():
        yield from pending
        number = row_number
        for row in iterator:
            number += 1
            yield number, row

    for number, row in numbered():
        record = _record(row, mapping)
        if record is None:
            continue
        if len(sheet.rows) >= max_rows:
            raise too_large(
                _("The list has more than %(max)d rows (the limit). Split it into several files.")
                % {"max": max_rows}
            )
        record["row"] = number
        sheet.rows.append(record)
        if on_progress and number % PROGRESS_EVERY_ROWS == 0:
            on_progress(min(number / total, 1.0))
    return sheet


def _record(row, mapping):
    """The needed fields of one row as text, or None for a blank row."""
    record, numeric = {}, []
    for name, index in mapping.items():
        value = row[index] if index < len(row) else None
        if (
            name in IDENTIFIER_FIELDS
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            numeric.append(name)
        record[name] = cell_text(value)
    if not any(record.values()):
        return None
    if numeric:
        record["numeric"] = numeric
    return record
