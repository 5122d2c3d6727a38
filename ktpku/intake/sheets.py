"""An xlsx sheet read as it comes out of its zip: a few rows at a time, only the columns asked.

Why not a library that loads the sheet: a Dapodik export of 50,000 students has 66 columns,
3.3 million cells, of which an import reads eight; python-calamine holds every cell at once
(some 250 MB for that file), and the streaming parsers of Python (openpyxl's read-only
mode, ElementTree or lxml iterparse) take from 15 seconds to a minute, because every
element of the sheet becomes a Python object. Here the sheet's XML is scanned by compiled
regular expressions over inflated blocks of whole rows: while the header is looked for,
every cell of a row; once the caller knows its columns (`SheetRows.keep_only`), only the
cells of those columns become Python values, the scan skipping the others in C.

The file has passed the intake's container checks (`files.check_xlsx_container`): no
entity or DOCTYPE declaration, sizes within the limits. The small parts (the workbook, its
relationships, the styles) are parsed whole by defusedxml. A cell's value has the type a
spreadsheet gave it, as python-calamine returns it: text, float, bool, or a date or
datetime for a number under a date format (the 1900 and 1904 date systems). The shared
strings stay as the XML they are, indexed by the offset of each entry, and an entry is
decoded only when a cell read needs it.
"""

import array
import datetime
import functools
import posixpath
import re
import types
import zipfile

from defusedxml import ElementTree

BLOCK_BYTES = 1024 * 1024
MAX_SHEET_ROWS = 1_048_576  # as in Excel and LibreOffice

# Where a part says which prefix its elements have ("<x:sheetData>" when the main namespace
# is declared as x): the patterns below are made for that prefix, so that each starts with
# a literal the scan can look for.
_SHEET_DATA = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)sheetData(?:\s[^<>]*?)?(/?)>")
_STRINGS_ROOT = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)sst(?=[\s/>])")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Z]{1,3})([0-9]+)$")
_DIMENSION = re.compile(rb"<[\w.:-]*dimension\s[^<>]*?ref\s*=\s*[\"']([^\"']*)[\"']")


@functools.lru_cache(maxsize=16)  # a prefix comes from the file: not one entry per upload
def _patterns(prefix):
    """The patterns of the elements of a part whose elements have this prefix (b"x:")."""
    p = re.escape(prefix)

    # Every scan stops where the element cannot go on, so that a broken or hostile file
    # costs one pass, not one pass per tag: the attributes of a tag at the next "<" (an
    # attribute value cannot hold one), the content of an element at the next start of the
    # same element (these elements do not nest).
    attributes = rb"([^<>]*?)"

    def content(name):
        return rb"((?:[^<]++|<(?!" + p + name + rb"[\s/>]))*?)"

    def element(name):
        # <name attributes/> or <name attributes>content</name>.
        return re.compile(
            rb"<"
            + p
            + name
            + rb"(?=[\s/>])"
            + attributes
            + rb"(?:/>|>"
            + content(name)
            + rb"</"
            + p
            + name
            + rb">)"
        )

    return types.SimpleNamespace(
        row=element(rb"row"),
        cell=element(rb"c"),
        # A cell whose first attribute is not its reference (r="B7"): the one-scan reading
        # of the columns asked for needs it first, where every spreadsheet writes it.
        cell_not_ref_first=re.compile(rb"<" + p + rb"c(?=[\s/>])(?!\s+r\s*=\s*[\"'][A-Z])"),
        cell_prefix=rb"<" + p + rb"c\s+r\s*=\s*[\"'](",
        cell_rest=(
            rb")([0-9]+)[\"']"
            + rb"(?:(?=[^<>]*?\st\s*=\s*[\"'](\w+)))?"
            + rb"(?:(?=[^<>]*?\ss\s*=\s*[\"']([0-9]+)))?"
            + rb"[^<>]*?(?:/>|>"
            + content(rb"c")
            + rb"</"
            + p
            + rb"c>)"
        ),
        value=element(rb"v"),
        inline=element(rb"is"),
        sheet_data_end=re.compile(rb"</" + p + rb"sheetData>"),
        # Shared strings: where each entry starts, an entry of one plain text, the text
        # runs of an entry, and its phonetic runs (furigana), which are not its text.
        entry=re.compile(rb"<" + p + rb"si(?=[\s/>])"),
        simple_entry=re.compile(
            rb"<"
            + p
            + rb"si>\s*<"
            + p
            + rb"t(?:\s[^<>]*)?>([^<]*)</"
            + (p + rb"t>\s*</" + p + rb"si>")
        ),
        text_run=element(rb"t"),
        phonetic=element(rb"rPh"),
    )


_REFERENCE = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# OOXML writes a character XML cannot hold as _xHHHH_ ("_x000D_" for a carriage return).
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# The built-in number formats that show a date or a time (ECMA-376 18.8.30, with the
# East Asian ones python-calamine also knows), and the one of an elapsed time ([h]:mm:ss).
DATE, DURATION = "date", "duration"
_BUILT_IN_FORMATS = {
    **dict.fromkeys([*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)], DATE),
    46: DURATION,
}
_EPOCH_1900 = datetime.datetime(1899, 12, 30)
_EPOCH_1904 = datetime.datetime(1904, 1, 1)


class UnreadableWorkbook(ValueError):
    """The workbook lacks a part it needs or holds what no spreadsheet writes."""


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _attribute(element, name):
    """The attribute `name` in whatever namespace (r:id is in the relationships one)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _utf8(data):
    """The XML of a part as UTF-8 bytes (spreadsheets write UTF-8; UTF-16 is allowed)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").encode("utf-8")
    return data


def _text(raw):
    """The text of XML character data (bytes): references resolved, CDATA kept as is."""
    text = raw.decode("utf-8")
    if "\r" in text:  # line ends as an XML parser gives them; &#13; stays a \r
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in text:
        return _unescape(text)
    pieces = []
    while (start := text.find("<![CDATA[")) >= 0:  # kept as is, the rest unescaped
        end = text.find("]]>", start)
        if end < 0:
            raise UnreadableWorkbook("CDATA")
        pieces += [_unescape(text[:start]), text[start + 9 : end]]
        text = text[end + 3 :]
    return "".join([*pieces, _unescape(text)])


def _unescape(text):
    if "&" in text:
        text = _REFERENCE.sub(_reference, text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), text)
    return text


def _reference(found):
    name = found.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED[name]


def column_index(letters):
    """ "A" -> 0, "Z" -> 25, "AA" -> 26."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def column_letters(index):
    """0 -> b"A", 26 -> b"AA"."""
    letters = b""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def format_kind(code):
    """DATE when a custom number format shows a date or a time of day (a d, m, y, h or s
    outside quoted text, escaped characters and [bracketed] colours and conditions),
    DURATION when its first section starts with an elapsed time ([h], [mm], [ss]), or None.
    """
    code = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code.split(";", 1)[0]).lower()
    for found in re.finditer(r"\[([^\]]*)\]|[dmyhs]", code):
        if found.group(1) is None:
            return None if "general" in code else DATE
        if re.fullmatch(r"h+|m+|s+", found.group(1)):
            return DURATION
    return None


class SharedStrings:
    """The shared strings part, kept as XML: an entry is decoded when a cell asks for it."""

    def __init__(self, data):
        self.data = _utf8(data)
        root = _STRINGS_ROOT.search(self.data)
        self.patterns = _patterns(root.group(1) if root else b"")
        starts = map(re.Match.start, self.patterns.entry.finditer(self.data))
        self.starts = array.array("q", starts)
        self.starts.append(len(self.data))

    def __getitem__(self, index):
        if not 0 <= index < len(self.starts) - 1:  # a cell pointing at no string
            raise UnreadableWorkbook(f"shared string {index}")
        start, end = self.starts[index], self.starts[index + 1]
        simple = self.patterns.simple_entry.match(self.data, start, end)
        if simple is not None:
            return _text(simple.group(1))
        entry = self.patterns.phonetic.sub(b"", self.data[start:end])
        return _runs(entry, self.patterns)


def _runs(xml, patterns):
    """The text of the <t> runs of a rich text (a shared string, an inline string)."""
    return "".join(_text(found.group(2) or b"") for found in patterns.text_run.finditer(xml))


class Workbook:
    """The sheets of an xlsx file (an open binary file or a path), in the workbook's order."""

    def __init__(self, fileobj):
        self.archive = zipfile.ZipFile(fileobj)
        workbook = self._xml("xl/workbook.xml")
        targets = {}
        for relation in self._xml("xl/_rels/workbook.xml.rels", required=False):
            kind = (relation.get("Type") or "").rsplit("/", 1)[-1]
            targets[relation.get("Id")] = (kind, _part_name("xl", relation.get("Target") or ""))
        self.sheets = []
        for element in workbook.iter():
            if _local(element.tag) == "sheet":
                kind, part = targets.get(_attribute(element, "id"), (None, None))
                if kind == "worksheet":
                    self.sheets.append((element.get("name") or "", part))
        self.date1904 = any(
            _local(element.tag) == "workbookPr"
            and (element.get("date1904") or "").lower() in ("1", "true")
            for element in workbook.iter()
        )
        parts = {kind: part for kind, part in targets.values()}
        self._strings_part = parts.get("sharedStrings")
        self.date_styles = self._date_styles(parts.get("styles"))
        self._strings = None

    def _xml(self, name, *, required=True):
        """The part's root element; for a part not `required` and not there, no element."""
        if name not in self.archive.namelist():
            if required:
                raise UnreadableWorkbook(name)
            return []
        return ElementTree.fromstring(self.archive.read(name), forbid_dtd=True)

    def _date_styles(self, part):
        """{index of a cell format (the s of a cell): DATE or DURATION} of the formats that
        show a date, a time of day or an elapsed time."""
        if part is None or part not in self.archive.namelist():
            return {}
        styles = self._xml(part)
        custom = {}
        for element in styles.iter():
            if _local(element.tag) == "numFmt":
                custom[int(element.get("numFmtId", "-1"))] = element.get("formatCode") or ""
        found = {}
        for container in styles.iter():
            if _local(container.tag) != "cellXfs":
                continue
            for index, xf in enumerate(child for child in container if _local(child.tag) == "xf"):
                number_format = int(xf.get("numFmtId", "0"))
                if number_format in custom:
                    kind = format_kind(custom[number_format])
                else:
                    kind = _BUILT_IN_FORMATS.get(number_format)
                if kind is not None:
                    found[index] = kind
        return found

    @property
    def strings(self):
        if self._strings is None:
            part = self._strings_part
            if part is not None and part in self.archive.namelist():
                self._strings = SharedStrings(self.archive.read(part))
            else:
                self._strings = SharedStrings(b"")
        return self._strings

    def rows(self, part):
        if part not in self.archive.namelist():
            raise UnreadableWorkbook(part)
        return SheetRows(self, part)


def _part_name(base, target):
    """A relationship target as the zip names it: relative to `base`, or from the root."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(base, target))


class SheetRows:
    """The rows of one sheet, from row 1, each a list of its cell values by column (A is 0);
    a row with no cell is an empty list.

    `keep_only(indexes)` asks, from the next row on, for those columns only: the cells of
    the other columns are then not read, and a row has None in their places.
    """

    def __init__(self, workbook, part):
        self.workbook = workbook
        self.part = part
        self.height = 0
        self.patterns = None  # once the sheet's prefix is known
        self._wanted = self._wanted_cells = None
        self._rows = self._read()
        with workbook.archive.open(part) as stream:
            head = stream.read(4096)
        found = _DIMENSION.search(head)  # <dimension ref="A1:BN50006"/>, when written
        if found:
            last = _REF.search(found.group(1).split(b":")[-1].upper())
            self.height = int(last.group(2)) if last else 0

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._rows)

    def keep_only(self, indexes):
        self._wanted = sorted(set(indexes)) or [0]
        self._wanted_cells = None

    def _wanted_pattern(self):
        """A cell of a column asked for: its column letters and row number, then (when
        written) its type and style, then its content; and where each column goes."""
        letters = sorted(map(column_letters, self._wanted), key=len, reverse=True)
        pattern = re.compile(
            self.patterns.cell_prefix + b"|".join(letters) + self.patterns.cell_rest
        )
        return pattern, {column_letters(index): index for index in self._wanted}

    def _blocks(self):
        """The sheetData's XML in blocks of whole rows. Each read part is searched once
        (with a little overlap, for a tag cut between two reads)."""
        with self.workbook.archive.open(self.part) as stream:
            data = stream.read(BLOCK_BYTES)
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                data += stream.read()  # UTF-16: whole, as no spreadsheet writes it so
            data, searched = _utf8(data), 0
            while (start := _SHEET_DATA.search(data, max(0, searched - 256))) is None:
                more = stream.read(BLOCK_BYTES)
                if not more:  # no sheetData at all: no rows
                    return
                data, searched = data + more, len(data)
            prefix = start.group(1)
            self.patterns = _patterns(prefix)
            if start.group(2):  # <sheetData/>: no rows
                return
            row_end = b"</" + prefix + b"row>"
            data, searched = data[start.end() :], 0
            while True:
                since = max(0, searched - 64 - len(prefix))
                end = self.patterns.sheet_data_end.search(data, since)
                if end is not None:
                    yield data[: end.start()]
                    return
                more = stream.read(BLOCK_BYTES)
                if not more:
                    raise UnreadableWorkbook(self.part)
                cut = data.rfind(row_end, since)
                if cut >= 0:
                    cut += len(row_end)
                    yield data[:cut]
                    data = data[cut:]
                searched = len(data)
                data += more

    def _read(self):
        expected = 1
        for block in self._blocks():
            position, narrow = 0, None
            while position < len(block):
                if self._wanted is not None and narrow is None:
                    # Otherwise whole rows, a cell without a reference placed by its order.
                    narrow = not self.patterns.cell_not_ref_first.search(block, position)
                if narrow:
                    rows, position = self._wanted_rows(block, position), len(block)
                else:
                    found = self.patterns.row.search(block, position)
                    if found is None:
                        break
                    position = found.end()
                    number = _number(_attributes(found.group(1)).get(b"r")) or expected
                    row = self._full_row(found.group(2) or b"")
                    if self._wanted is not None:
                        row = [
                            row[index] if index in self._wanted else None
                            for index in range(min(len(row), self._wanted[-1] + 1))
                        ]
                    rows = [(number, row)]
                for number, row in rows:
                    # Rows out of order, or past the last row a sheet can have: no
                    # spreadsheet writes that (and the gap would be a million empty rows).
                    if not expected <= number <= MAX_SHEET_ROWS:
                        raise UnreadableWorkbook(self.part)
                    while expected < number:  # a row with no cell is not written
                        expected += 1
                        yield []
                    expected = number + 1
                    yield row

    def _full_row(self, body):
        row = []
        for found in self.patterns.cell.finditer(body):
            attributes = _attributes(found.group(1))
            reference = _REF.match(attributes.get(b"r", b""))
            index = column_index(reference.group(1)) if reference else len(row)
            row.extend([None] * (index + 1 - len(row)))
            row[index] = self._value(attributes.get(b"t"), attributes.get(b"s"), found.group(2))
        while row and row[-1] is None:
            row.pop()
        return row

    def _wanted_rows(self, block, position):
        """(row number, row) of the rows of this block from `position` that have a cell in
        the columns asked for, found by one scan of the block."""
        if self._wanted_cells is None:
            self._wanted_cells = self._wanted_pattern()
        pattern, index_of = self._wanted_cells
        width, strings, value = self._wanted[-1] + 1, self.workbook.strings, self._value
        number = row = digits_now = None
        for letters, digits, kind, style, content in pattern.findall(block, position):
            if digits != digits_now:
                if row is not None:
                    yield number, row
                number, row, digits_now = int(digits), [None] * width, digits
            if kind == b"s" and content.startswith(b"<v>") and content.endswith(b"</v>"):
                row[index_of[letters]] = strings[int(content[3:-4])]
            else:
                row[index_of[letters]] = value(kind or None, style or None, content)
        if row is not None:
            yield number, row

    def _value(self, kind, style, content):
        """A cell's value from its type (t), its style (s) and its XML content."""
        if not content:
            return None
        if content.startswith(b"<v>") and content.endswith(b"</v>") and b"<" not in content[3:-4]:
            raw = content[3:-4]
        elif kind == b"inlineStr":
            found = self.patterns.inline.search(content)
            return None if found is None else _runs(found.group(2) or b"", self.patterns)
        else:
            found = self.patterns.value.search(content)
            if found is None:
                return None
            raw = found.group(2) or b""
        if kind == b"s":
            return self.workbook.strings[int(raw)]
        if kind in (b"str", b"inlineStr"):
            return _text(raw)
        if kind == b"e":  # #N/A, #DIV/0!: no value, as python-calamine reads it
            return ""
        if kind == b"b":
            return raw.strip() not in (b"0", b"false")
        if kind == b"d":
            return _iso_date(_text(raw).strip())
        if not raw.strip():
            return None
        number = float(raw)
        shows = self.workbook.date_styles.get(int(style)) if style is not None else None
        if shows == DATE:
            return self._date(number)
        if shows == DURATION:
            return datetime.timedelta(milliseconds=round(number * 86_400_000))
        return number

    def _date(self, serial):
        """A date, a datetime when it has a time of day, a time when it has no day."""
        if serial < 1:  # a time of day, however far below 0 (it wraps round the day)
            moment = datetime.timedelta(milliseconds=round(serial * 86_400_000) % 86_400_000)
            return (datetime.datetime.min + moment).time()
        if self.workbook.date1904:
            epoch = _EPOCH_1904
        elif serial < 60:  # Excel's 1900 counts a 29 February 1900 that was not
            epoch = _EPOCH_1900 + datetime.timedelta(days=1)
        else:
            epoch = _EPOCH_1900
        moment = epoch + datetime.timedelta(milliseconds=round(serial * 86_400_000))
        if moment.time() == datetime.time():
            return moment.date()
        return moment


def _attributes(text):
    return {
        found.group(1): found.group(2) or found.group(3) or b""
        for found in _ATTRIBUTE.finditer(text)
    }


def _number(raw):
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _iso_date(text):
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.time.fromisoformat(text)
        except ValueError:
            return text
    if moment.tzinfo is not None:  # as python-calamine: a time zone leaves the text
        return text
    return moment.date() if moment.time() == datetime.time() and "T" not in text else moment
