"""Reading files as they come: Dapodik, encodings, delimiters, and files that must be refused."""

import datetime
import io
import os
import zipfile

import pytest

from ktpku import intake
from students.roster import reading

from .conftest import (
    PARENT_NIKS,
    PLAIN_HEADER,
    dapodik_rows,
    preview,
    student,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def test_dapodik_export_reads_the_students_nik_not_the_parents(
    tmp_path, school_a, dapodik_students
):
    path = write_xlsx(tmp_path / "daftar_pd.xlsx", dapodik_rows(dapodik_students))

    result = preview(path, school_a)

    assert result.layout == "dapodik"
    assert result.header_row == 5
    assert result.columns == {
        "name": "Nama",
        "sex": "JK",
        "nisn": "NISN",
        "birth_place": "Tempat Lahir",
        "birth_date": "Tanggal Lahir",
        "nik": "NIK",
        "class_name": "Rombel Saat Ini",
        "kk_number": "No KK",
    }
    assert [row["row"] for row in result.rows] == [7, 8, 9]
    assert [r.values["nik"] for r in result.results] == [s[3] for s in dapodik_students]
    assert result.issues == []
    assert result.counts["new"] == 3
    assert "Data Ayah: NIK" in result.ignored_columns
    assert "Data Ibu: Penghasilan" in result.ignored_columns
    assert "Nomor Rekening Bank" in result.ignored_columns
    assert "Nomor KIP" in result.ignored_columns
    assert len(result.ignored_columns) == 66 - 8


def test_dapodik_rows_keep_only_the_needed_fields(tmp_path, school_a, dapodik_students):
    path = write_xlsx(tmp_path / "daftar_pd.xlsx", dapodik_rows(dapodik_students))

    result = preview(path, school_a)

    assert result.rows[0] == {
        "row": 7,
        "name": "ANDI FERDIANSYAH SIREGAR",
        "sex": "L",
        "nisn": "0000000001",
        "birth_place": "Paringin",
        "birth_date": "2009-08-05",
        "nik": dapodik_students[0][3],
        "class_name": "XI IPA 1",
        "kk_number": "6311060101200011",
    }
    text = repr(result.rows)
    assert all(nik not in text for nik in PARENT_NIKS.values())


def test_header_found_below_title_rows_in_a_plain_file(tmp_path, school_a):
    rows = [["Daftar siswa kelas X"], [], PLAIN_HEADER, student(1), student(2)]
    result = preview(write_xlsx(tmp_path / "roster.xlsx", rows), school_a)

    assert result.header_row == 3
    assert [row["row"] for row in result.rows] == [4, 5]


def test_columns_found_by_header_text_in_any_order_and_variant(tmp_path, school_a):
    header = [
        "Kelas",
        "Tgl. Lahir",
        "Jenis Kelamin",
        "NIK Siswa",
        "Nama Lengkap",
        "No. KK",
        "Nama Wali",
        "No. HP Orang Tua/Wali",
        "Catatan",
    ]
    born = datetime.date(2010, 3, 14)
    base = student(1, birth_date=born)
    row = [
        "XI IPA 1",
        "14/03/2010",
        "Perempuan",
        base[1][:6] + "54" + base[1][8:],
        "Siti Aminah",
        base[6],
        "Aminah",
        "081234567890",
        "pindahan",
    ]
    result = preview(write_csv(tmp_path / "roster.csv", [header, row]), school_a)

    assert result.issues == []
    values = result.results[0].values
    assert values["name"] == "Siti Aminah"
    assert values["sex"] == "P"
    assert values["guardian_name"] == "Aminah"
    assert values["guardian_phone"] == "081234567890"
    assert result.ignored_columns == ["Catatan"]


def test_cp1252_semicolon_csv_keeps_names_exactly(tmp_path, school_a):
    first = student(1)
    first[0] = "Andi Ferdiansyah Siregar"
    second = student(2)
    second[0] = "Renée Anggraini Putri"
    path = write_csv(
        tmp_path / "roster.csv", [PLAIN_HEADER, first, second], delimiter=";", encoding="cp1252"
    )

    result = preview(path, school_a)

    assert [r.values["name"] for r in result.results] == [
        "Andi Ferdiansyah Siregar",
        "Renée Anggraini Putri",
    ]
    assert result.issues == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_or_without_bom(encoding, tmp_path, school_a):
    row = student(1)
    row[0] = "Renée Anggraini Putri"
    path = write_csv(tmp_path / "roster.csv", [PLAIN_HEADER, row], encoding=encoding)

    result = preview(path, school_a)

    assert result.columns["name"] == "Nama"
    assert result.results[0].values["name"] == "Renée Anggraini Putri"


def test_template_layout_is_recognised(tmp_path, school_a):
    from openpyxl import load_workbook

    from students.roster.exports import template_workbook

    path = tmp_path / "template.xlsx"
    path.write_bytes(template_workbook())
    workbook = load_workbook(path)
    sheet = workbook["Daftar Siswa"]
    born = datetime.date(2010, 3, 14)
    base = student(1, birth_date=born)
    sheet.append(
        [
            "Budi Santoso",
            base[1],
            base[6],
            base[4],
            "L",
            "Paringin",
            "14-03-2010",
            "X IPA 1",
            "Santoso",
            "081234567890",
        ]
    )
    workbook.save(path)

    result = preview(path, school_a)

    assert result.layout == "template"
    assert result.issues == []
    assert result.results[0].values["guardian_phone"] == "081234567890"


def read(data, name):
    return reading.read_roster(io.BytesIO(data), name)


def rejected(data, name):
    with pytest.raises(intake.FileRejected) as caught:
        read(data, name)
    return caught.value.code


def test_header_not_found(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["Nomor", "Alamat"], ["1", "Jl. A. Yani"]])
    assert rejected(path.read_bytes(), "x.xlsx") == "header_not_found"


def test_header_missing_a_needed_column_names_it(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["Nama", "NIK", "Kelas"], ["Budi", "1", "X"]])
    with pytest.raises(intake.FileRejected) as caught:
        read(path.read_bytes(), "x.csv")
    assert caught.value.code == "header_not_found"
    assert "Jenis Kelamin (L/P), Tanggal Lahir" in caught.value.message


def zip_bytes(parts, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def real_xlsx_parts(tmp_path):
    path = write_xlsx(tmp_path / "base.xlsx", [PLAIN_HEADER, student(1)])
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_zip_bomb_is_refused_from_the_directory_sizes(tmp_path):
    parts = real_xlsx_parts(tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            zeros = b"0" * (1024 * 1024)
            for _ in range(300):
                sheet.write(zeros)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024

    assert rejected(data, "bomb.xlsx") == "file_too_large"


def test_high_compression_ratio_is_refused(tmp_path, settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
    parts = real_xlsx_parts(tmp_path)
    parts["xl/media/filler.xml"] = b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>"
    assert rejected(zip_bytes(parts), "ratio.xlsx") == "file_too_large"


def test_too_many_zip_entries_are_refused(tmp_path):
    parts = real_xlsx_parts(tmp_path)
    parts.update({f"xl/extra/part{n}.bin": b"x" for n in range(100)})
    assert rejected(zip_bytes(parts), "many.xlsx") == "file_too_large"


def test_entity_bomb_in_sheet_xml_is_refused(tmp_path):
    parts = real_xlsx_parts(tmp_path)
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    parts["xl/worksheets/sheet1.xml"] = lol.encode() + parts["xl/worksheets/sheet1.xml"]
    assert rejected(zip_bytes(parts), "lol.xlsx") == "file_unsupported"


def test_entity_declaration_across_the_scan_chunks_is_refused(tmp_path):
    """The XML is scanned a megabyte at a time; a marker cut in two is still found."""
    parts = real_xlsx_parts(tmp_path)
    sheet = parts["xl/worksheets/sheet1.xml"]
    filler = os.urandom(300_000).hex().encode()  # hardly compressible: no ratio refusal
    padding = filler[: 1024 * 1024 - len(sheet) - 3]
    parts["xl/worksheets/sheet1.xml"] = sheet + padding + b"<!doctype x>"
    assert rejected(zip_bytes(parts), "cut.xlsx") == "file_unsupported"


def test_a_file_open_on_disk_reads_as_the_same_file_in_memory(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1), student(2)])

    with open(path, "rb") as handle:
        from_disk = reading.read_roster(handle, "r.xlsx")
    in_memory = reading.read_roster(io.BytesIO(path.read_bytes()), "r.xlsx")

    assert from_disk.rows == in_memory.rows
    assert [row["nik"] for row in from_disk.rows] == [student(1)[1], student(2)[1]]


def test_a_file_replaced_at_its_path_is_not_read_from_the_path(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1)])
    with open(path, "rb") as handle:
        path.rename(tmp_path / "moved.xlsx")
        write_xlsx(path, [PLAIN_HEADER, student(2)])
        rows = reading.read_roster(handle, "r.xlsx").rows
    assert [row["nik"] for row in rows] == [student(1)[1]]


def test_external_entity_in_shared_strings_is_refused(tmp_path):
    parts = real_xlsx_parts(tmp_path)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
        b'"file:///etc/passwd">]><sst>&xxe;</sst>'
    )
    assert rejected(zip_bytes(parts), "xxe.xlsx") == "file_unsupported"


def test_workbook_with_macros_is_refused(tmp_path):
    parts = real_xlsx_parts(tmp_path)
    parts["xl/vbaProject.bin"] = b"\x00" * 64
    assert rejected(zip_bytes(parts), "macro.xlsx") == "file_unsupported"


def test_macro_enabled_content_type_is_refused(tmp_path):
    parts = real_xlsx_parts(tmp_path)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    assert rejected(zip_bytes(parts), "macro.xlsx") == "file_unsupported"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "scan.xlsx"),
        (bytes(range(256)) * 8, "random.xlsx"),
        (b"Nama,NIK,JK,Tanggal Lahir\nBudi Santoso,6311061403100001,L,14-03-2010\n", "list.xlsx"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00truncated", "broken.xlsx"),
        (b"PK\x03\x04" + b"\x00" * 40, "roster.xlsm"),
        (b"", "empty.csv"),
    ],
)
def test_unreadable_files_are_refused_as_unsupported(data, name):
    assert rejected(data, name) == "file_unsupported"


def test_file_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    assert rejected(b"Nama,NIK\n" + b"x" * 1000, "big.csv") == "file_too_large"


def test_more_rows_than_the_limit_are_refused(tmp_path, settings):
    settings.UPLOAD_MAX_ROWS = 3
    rows = [PLAIN_HEADER] + [student(n) for n in range(1, 5)]
    path = write_xlsx(tmp_path / "x.xlsx", rows)
    with pytest.raises(intake.FileRejected) as caught:
        read(path.read_bytes(), "x.xlsx")
    assert caught.value.code == "file_too_large"
    assert "more than 3 rows" in caught.value.message


def test_trailing_blank_rows_do_not_count(tmp_path, settings):
    settings.UPLOAD_MAX_ROWS = 3
    rows = [PLAIN_HEADER] + [student(n) for n in range(1, 4)] + [[""] * 8] * 50
    sheet = read(write_xlsx(tmp_path / "x.xlsx", rows).read_bytes(), "x.xlsx")
    assert [row["row"] for row in sheet.rows] == [2, 3, 4]


def forge_declared_size(data, name, size):
    """Rewrite the uncompressed size a zip declares for `name` (local and central headers)."""
    import struct

    data = bytearray(data)
    for signature, name_length_at, name_at, size_at in (
        (b"PK\x01\x02", 28, 46, 24),
        (b"PK\x03\x04", 26, 30, 22),
    ):
        at = data.find(signature)
        while at != -1:
            length = struct.unpack("<H", data[at + name_length_at : at + name_length_at + 2])[0]
            if data[at + name_at : at + name_at + length] == name.encode():
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_forged_zip_directory_is_refused(tmp_path):
    parts = real_xlsx_parts(tmp_path)
    parts["xl/worksheets/sheet1.xml"] += b"<!-- " + b"x" * 200_000 + b" -->"
    data = forge_declared_size(zip_bytes(parts), "xl/worksheets/sheet1.xml", 100)

    assert rejected(data, "forged.xlsx") == "file_unsupported"


def test_openpyxl_refuses_xml_entities():
    """The workbooks we write back go through openpyxl; with defusedxml it expands nothing."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
