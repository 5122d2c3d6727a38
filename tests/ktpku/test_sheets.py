"""The streaming xlsx reader (ktpku.intake.sheets) reads what python-calamine reads.

Each workbook below is read by both, and every cell must come out as the same text
(`cell_text`, all the intake uses of a value) with the same kind of value: text, number,
bool, date. The workbooks are those spreadsheets write (openpyxl's, a LibreOffice-style
one with inline strings) and the XML variants the standard allows: a prefix on the
elements, attributes in another order, cells without a reference, rich text, phonetic
runs, CDATA, escapes, the 1904 date system. Then the reading of chosen columns only
(`keep_only`) must give those cells and no others.
"""

import datetime
import io
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from python_calamine import CalamineWorkbook

from ktpku import intake
from ktpku.intake import sheets
from ktpku.intake.table import cell_text

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def kind(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return "date"
    return "text"


def cells_by_calamine(data):
    """{sheet name: {(row, column): (text, kind)}} of the non-empty cells, as calamine reads."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    found = {}
    for index, name in enumerate(workbook.sheet_names):
        sheet = workbook.get_sheet_by_index(index)
        # calamine's rows start at row 1, its columns at the first one holding a cell.
        left = sheet.start[1] if sheet.start else 0
        found[name] = {
            (row, left + column): (cell_text(value), kind(value))
            for row, values in enumerate(sheet.iter_rows())
            for column, value in enumerate(values)
            if kind(value) is not None
        }
    return found


def cells_by_stream(data):
    workbook = sheets.Workbook(io.BytesIO(data))
    return {
        name: {
            (row, column): (cell_text(value), kind(value))
            for row, values in enumerate(workbook.rows(part))
            for column, value in enumerate(values)
            if kind(value) is not None
        }
        for name, part in workbook.sheets
    }


def openpyxl_bytes(fill):
    workbook = openpyxl.Workbook()
    fill(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def package(sheet_xml, *, strings_xml=None, workbook_pr="", styles_xml=None):
    """A one-sheet workbook from its sheet XML (and shared strings, styles) as written."""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPE}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if strings_xml is not None:
        parts["xl/sharedStrings.xml"] = strings_xml
    if styles_xml is not None:
        parts["xl/styles.xml"] = styles_xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DATE_STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="2">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="&quot;Rp&quot;\\ #,##0"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="165"/></cellXfs></styleSheet>'
)


# Text with the characters XML escapes, an identifier as text, a date, a bool, a number.
WRITTEN_ROW = [
    "Siti <Nur> & \"Aisyah\" 'A'",
    "6311036308120001",
    datetime.date(2009, 8, 5),
    True,
    12.5,
    "baris\nbaru  ",
]


def filled_by_openpyxl(workbook):
    sheet = workbook.active
    sheet.title = "Daftar"
    sheet.append(["Nama", "NIK", "Tanggal Lahir", "Aktif", "Nilai", "Catatan"])
    sheet.append(WRITTEN_ROW)
    sheet.append(["Budi", 6311036308120002, datetime.datetime(2010, 3, 14, 7, 30), False, -3, None])
    sheet.append([])
    sheet.append([None, None, None, None, 1e20, "Ünïcödé ✓ 日本"])
    sheet["G2"] = "=B2&C2"
    sheet["C3"].number_format = "d mmmm yyyy"
    rich = CellRichText(["Rah", TextBlock(InlineFont(b=True), "mat"), " Hidayat"])
    sheet["A7"] = rich
    second = workbook.create_sheet("Kedua")
    second["C3"] = "only a cell at C3"
    second["AB10"] = 42


WORKBOOKS = {
    "openpyxl": openpyxl_bytes(filled_by_openpyxl),
    "inline strings, attributes in another order, a prefix": package(
        f'<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:C3"/><x:sheetData>'
        '<x:row r="1"><x:c t="inlineStr" r="A1"><x:is><x:t>Nama</x:t></x:is></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:t xml:space="preserve"> NIK </x:t></x:is></x:c></x:row>'
        '<x:row r="3"><x:c s="1" r="A3"><x:v>40000</x:v></x:c>'
        '<x:c r="C3" t="inlineStr"><x:is><x:r><x:t>a</x:t></x:r><x:r><x:t>b</x:t></x:r></x:is>'
        "</x:c></x:row></x:sheetData></x:worksheet>",
        styles_xml=DATE_STYLES,
    ),
    "cells and rows without a reference": package(
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row><c t="s"><v>0</v></c><c/><c t="s"><v>1</v></c></row>'
        "<row><c><v>7</v></c><c><v>8.25</v></c></row>"
        "</sheetData></worksheet>",
        strings_xml=(f'<sst xmlns="{MAIN}"><si><t>kiri</t></si><si><t>kanan</t></si></sst>'),
    ),
    "rich text, phonetic runs, CDATA, escapes": package(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="2">'
        '<c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c>'
        '<c r="D2" t="s"><v>2</v></c><c r="E2" t="s"><v>3</v></c><c r="F2" t="s"><v>4</v></c>'
        '<c r="G2" t="str"><f>UPPER(B2)</f><v>A &amp;amp; B</v></c>'
        '<c r="H2" t="e"><v>#N/A</v></c><c r="I2" t="b"><v>1</v></c>'
        '<c r="J2" s="2"><v>39665</v></c><c r="K2" s="3"><v>1500000</v></c>'
        '<c r="L2" s="1"><v>39665.5</v></c><c r="M2"><v></v></c><c r="N2" s="2"/></row>'
        "</sheetData></worksheet>",
        strings_xml=(
            f'<sst xmlns="{MAIN}" count="5" uniqueCount="5">'
            '<si><r><rPr><b/></rPr><t>Mu</t></r><r><t xml:space="preserve">hammad </t></r>'
            '<rPh sb="0" eb="1"><t>ム</t></rPh></si>'
            "<si><t><![CDATA[a < b & c]]></t></si>"
            "<si><t>baris_x000D_&#10;dua &#x263A; &lt;ok&gt;</t></si>"
            "<si><t/></si>"
            "<si>\n  <t>spasi</t>\n</si></sst>"
        ),
        styles_xml=DATE_STYLES,
    ),
    "times of day, elapsed times, other formats, liberal writers": package(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" s="4"><v>0.3125</v></c><c r="B1" s="5"><v>1.25</v></c>'
        '<c r="C1" s="6"><v>45000.5</v></c><c r="D1" s="7"><v>2.5</v></c>'
        '<c r="E1" s="8"><v>45000.75</v></c><c r="F1" t="b"><v>TRUE</v></c>'
        '<c r="H1" t="str"><v>dua\r\nbaris</v></c><c r="G1"><v>7</v></c></row>'
        "</sheetData></worksheet>",
        styles_xml=(
            f'<styleSheet xmlns="{MAIN}"><numFmts count="3">'
            '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
            '<numFmt numFmtId="166" formatCode="[Red][h]:mm"/>'
            '<numFmt numFmtId="167" formatCode="[$-421]dd mmmm yyyy hh:mm"/></numFmts>'
            '<cellXfs count="9"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
            '<xf numFmtId="0"/><xf numFmtId="20"/><xf numFmtId="46"/><xf numFmtId="76"/>'
            '<xf numFmtId="166"/><xf numFmtId="167"/></cellXfs></styleSheet>'
        ),
    ),
    "an empty sheet written by a .NET writer": package(
        f'<worksheet xmlns="{MAIN}"><sheetData />\n</worksheet>',
    ),
    "the 1904 date system": package(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" s="1"><v>38203</v></c><c r="B1" s="2"><v>38203.25</v></c></row>'
        "</sheetData></worksheet>",
        workbook_pr='<workbookPr date1904="1"/>',
        styles_xml=DATE_STYLES,
    ),
}


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_cell_reads_as_calamine_reads_it(name):
    data = WORKBOOKS[name]
    assert cells_by_stream(data) == cells_by_calamine(data)


def test_the_values_of_the_openpyxl_workbook():
    """Not only alike: right (calamine could be wrong the same way)."""
    workbook = sheets.Workbook(io.BytesIO(WORKBOOKS["openpyxl"]))
    assert [name for name, _part in workbook.sheets] == ["Daftar", "Kedua"]
    rows = list(workbook.rows(workbook.sheets[0][1]))
    assert rows[1] == WRITTEN_ROW
    assert rows[2] == [
        "Budi",
        6311036308120002.0,
        datetime.datetime(2010, 3, 14, 7, 30),
        False,
        -3.0,
    ]
    assert rows[3] == []
    assert rows[4] == [None, None, None, None, 1e20, "Ünïcödé ✓ 日本"]
    assert rows[6] == ["Rahmat Hidayat"]
    second = list(workbook.rows(workbook.sheets[1][1]))
    assert len(second) == 10
    assert second[2] == [None, None, "only a cell at C3"]
    assert second[9][27] == 42.0


def test_escapes_cdata_and_dates_read_right():
    data = WORKBOOKS["rich text, phonetic runs, CDATA, escapes"]
    workbook = sheets.Workbook(io.BytesIO(data))
    row = list(workbook.rows(workbook.sheets[0][1]))[1]
    assert row[1:] == [
        "Muhammad ",
        "a < b & c",
        "baris\r\ndua ☺ <ok>",
        "",
        "spasi",
        "A &amp; B",
        "",
        True,
        datetime.date(2008, 8, 5),
        1500000.0,
        datetime.datetime(2008, 8, 5, 12, 0),
    ]
    dates_1904 = sheets.Workbook(io.BytesIO(WORKBOOKS["the 1904 date system"]))
    assert list(dates_1904.rows(dates_1904.sheets[0][1])) == [
        [datetime.date(2008, 8, 5), datetime.datetime(2008, 8, 5, 6, 0)]
    ]


def test_times_and_elapsed_times_read_right():
    data = WORKBOOKS["times of day, elapsed times, other formats, liberal writers"]
    workbook = sheets.Workbook(io.BytesIO(data))
    assert list(workbook.rows(workbook.sheets[0][1])) == [
        [
            datetime.time(7, 30),
            datetime.timedelta(days=1, hours=6),
            45000.5,
            datetime.timedelta(days=2, hours=12),
            datetime.datetime(2023, 3, 15, 18, 0),
            True,
            7.0,
            "dua\nbaris",
        ]
    ]


def wide_sheet(rows, *, columns=30, reference_first=True):
    """A sheet of `rows` rows and `columns` columns of shared strings "r<row>c<column>"."""
    cells, strings = [], []
    for row in range(1, rows + 1):
        cells.append(f'<row r="{row}">')
        for column in range(columns):
            letters = sheets.column_letters(column).decode()
            strings.append(f"<si><t>r{row}c{column}</t></si>")
            if reference_first:
                cells.append(f'<c r="{letters}{row}" t="s"><v>{len(strings) - 1}</v></c>')
            else:
                cells.append(f'<c t="s" r="{letters}{row}"><v>{len(strings) - 1}</v></c>')
        cells.append("</row>")
    return package(
        f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(cells)}</sheetData></worksheet>',
        strings_xml=f'<sst xmlns="{MAIN}">{"".join(strings)}</sst>',
    )


@pytest.mark.parametrize("reference_first", [True, False])
def test_keep_only_reads_those_columns_across_blocks(reference_first, monkeypatch):
    monkeypatch.setattr(sheets, "BLOCK_BYTES", 4096)  # many blocks, rows cut between them
    data = wide_sheet(400, reference_first=reference_first)
    workbook = sheets.Workbook(io.BytesIO(data))
    rows = workbook.rows(workbook.sheets[0][1])
    first = next(rows)
    rows.keep_only([2, 27, 0])
    rest = list(rows)

    assert first == [f"r1c{column}" for column in range(30)]
    assert len(rest) == 399
    for number, row in enumerate(rest, start=2):
        assert row[0] == f"r{number}c0"
        assert row[2] == f"r{number}c2"
        assert row[27] == f"r{number}c27"
        assert [value for value in row if value is not None] == [
            f"r{number}c0",
            f"r{number}c2",
            f"r{number}c27",
        ]


@pytest.mark.parametrize(
    "sheet_xml",
    [
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>5</v></c>'
        "</row></sheetData></worksheet>",  # a string that is not there
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="2"/><row r="1"/></sheetData></worksheet>',
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>x</v></c>',  # cut
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>12abc</v></c>'
        "</row></sheetData></worksheet>",
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1048577"><c r="A1048577"><v>1</v>'
        "</c></row></sheetData></worksheet>",  # past the last row a sheet can have
    ],
)
def test_a_broken_sheet_is_refused_as_unsupported(sheet_xml):
    data = package(sheet_xml, strings_xml=f'<sst xmlns="{MAIN}"><si><t>x</t></si></sst>')
    with pytest.raises(intake.FileRejected) as caught, intake.decoding.unreadable_as_unsupported():
        for _name, rows, _height in intake.decoding.xlsx_sheets(io.BytesIO(data)):
            list(rows)
    assert caught.value.code == "file_unsupported"


def test_the_height_comes_from_the_dimension():
    data = WORKBOOKS["inline strings, attributes in another order, a prefix"]
    ((_name, rows, height),) = intake.decoding.xlsx_sheets(io.BytesIO(data))
    assert height == 3
    assert len(list(rows)) == 3


HOSTILE_CELLS = 40_000  # a 3 KB upload; scanned once per tag, these took minutes


@pytest.mark.parametrize(
    "row_two",
    [
        '<c r="B2"><v>1</v>' * HOSTILE_CELLS,  # cells never closed
        '<c r="B2" t=' * HOSTILE_CELLS,  # tags never ended
        '<c r="B2"><is><t>x' * HOSTILE_CELLS,  # inline strings never closed
    ],
    ids=["cells never closed", "tags never ended", "inline strings never closed"],
)
def test_a_hostile_sheet_is_scanned_once_and_reads_no_cell(row_two):
    data = package(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1">'
        f'<v>2</v></c></row><row r="2">{row_two}</row><row r="3"><c r="B3"><v>3</v></c>'
        "</row></sheetData></worksheet>"
    )
    for keep in (None, [1]):
        workbook = sheets.Workbook(io.BytesIO(data))
        rows = workbook.rows(workbook.sheets[0][1])
        first = next(rows)
        if keep:
            rows.keep_only(keep)
        assert [first, *rows] == [[1.0, 2.0], [], [None, 3.0]]


def test_an_unending_cdata_is_refused_after_one_scan():
    data = package(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        "</sheetData></worksheet>",
        strings_xml=f'<sst xmlns="{MAIN}"><si><t>{"<![CDATA[" * HOSTILE_CELLS}</t></si></sst>',
    )
    with pytest.raises(intake.FileRejected) as caught, intake.decoding.unreadable_as_unsupported():
        for _name, rows, _height in intake.decoding.xlsx_sheets(io.BytesIO(data)):
            list(rows)
    assert caught.value.code == "file_unsupported"


def test_a_row_that_never_ends_is_read_in_one_pass(monkeypatch):
    monkeypatch.setattr(sheets, "BLOCK_BYTES", 4096)  # some 300 reads of the same row
    cells = '<c r="B2"><v>2</v></c>' * HOSTILE_CELLS
    data = package(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        f'<row r="2">{cells}</sheetData></worksheet>'
    )
    workbook = sheets.Workbook(io.BytesIO(data))
    assert list(workbook.rows(workbook.sheets[0][1])) == [[1.0]]
