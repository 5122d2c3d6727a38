"""Roster files built in code: plain xlsx and csv, and a Dapodik export as downloaded."""

import csv
import datetime

import openpyxl
import pytest

from students import nik as nik_rules

PLAIN_HEADER = ["Nama", "NIK", "JK", "Tanggal Lahir", "NISN", "Kelas", "No KK", "Tempat Lahir"]

DAPODIK_BEFORE_PARENTS = [
    "No",
    "Nama",
    "NIPD",
    "JK",
    "NISN",
    "Tempat Lahir",
    "Tanggal Lahir",
    "NIK",
    "Agama",
    "Alamat",
    "RT",
    "RW",
    "Dusun",
    "Kelurahan",
    "Kecamatan",
    "Kode Pos",
    "Jenis Tinggal",
    "Alat Transportasi",
    "Telepon",
    "HP",
    "E-Mail",
    "SKHUN",
    "Penerima KPS",
    "No. KPS",
]
DAPODIK_PARENT_GROUPS = ["Data Ayah", "Data Ibu", "Data Wali"]
DAPODIK_PARENT_COLUMNS = [
    "Nama",
    "Tahun Lahir",
    "Jenjang Pendidikan",
    "Pekerjaan",
    "Penghasilan",
    "NIK",
]
DAPODIK_AFTER_PARENTS = [
    "Rombel Saat Ini",
    "No Peserta Ujian Nasional",
    "No Seri Ijazah",
    "Penerima KIP",
    "Nomor KIP",
    "Nama di KIP",
    "Nomor KKS",
    "No Registrasi Akta Lahir",
    "Bank",
    "Nomor Rekening Bank",
    "Rekening Atas Nama",
    "Layak PIP",
    "Alasan Layak PIP",
    "Kebutuhan Khusus",
    "Sekolah Asal",
    "Anak ke-berapa",
    "Lintang",
    "Bujur",
    "No KK",
    "Berat Badan",
    "Tinggi Badan",
    "Lingkar Kepala",
    "Jml. Saudara Kandung",
    "Jarak Rumah ke Sekolah (KM)",
]
PARENT_NIKS = {"ayah": "6311060101750001", "ibu": "6311064202780002", "wali": "6311060303700003"}
BANK_ACCOUNT = "0123456789012"


def make_nik(birth_date, sex, serial, region="631106"):
    return nik_rules.build(region, birth_date, sex, serial)


def student(n, *, sex="L", birth_date=datetime.date(2010, 3, 14), name=None, kelas="X IPA 1"):
    """A valid plain-roster row (as text) for the n-th student."""
    nik = make_nik(birth_date, sex, n)
    kk = f"6311061{n:09d}"
    return [
        name or f"Siswa Nomor {n} Paringin",
        nik,
        sex,
        birth_date.strftime("%d-%m-%Y"),
        f"00{n:08d}",
        kelas,
        kk,
        "Paringin",
    ]


def write_xlsx(path, rows, *, title="Sheet1"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path, rows, *, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def dapodik_rows(students):
    """The 66-column "Daftar Peserta Didik" export: 4 title rows, a two-row header, data.

    `students` are (name, sex, birth_date, nik, kk, rombel) tuples.
    """
    header = list(DAPODIK_BEFORE_PARENTS)
    subheader = [None] * len(DAPODIK_BEFORE_PARENTS)
    for group in DAPODIK_PARENT_GROUPS:
        header += [group] + [None] * 5
        subheader += DAPODIK_PARENT_COLUMNS
    header += DAPODIK_AFTER_PARENTS
    subheader += [None] * len(DAPODIK_AFTER_PARENTS)
    assert len(header) == 66
    rows = [
        ["Daftar Peserta Didik"],
        ["SMA NEGERI 1 PARINGIN"],
        ["Kecamatan Paringin, Kabupaten Balangan, Provinsi Kalimantan Selatan"],
        ["Tanggal Unduh: 2026-11-02 08:15:44", None, None, None, None, "Pengunduh: operator"],
        header,
        subheader,
    ]
    for number, (name, sex, birth_date, nik, kk, rombel) in enumerate(students, start=1):
        before = [
            number,
            name,
            f"{2024000 + number}",
            sex,
            f"00{number:08d}",
            "Paringin",
            birth_date.isoformat(),
            nik,
            "Islam",
            "Jl. Ahmad Yani",
            "001",
            "002",
            "",
            "Paringin Kota",
            "Kec. Paringin",
            "71662",
            "Bersama orang tua",
            "Sepeda motor",
            "",
            "081234567890",
            "",
            "",
            "Tidak",
            "",
        ]
        parents = []
        for key, group in zip(("ayah", "ibu", "wali"), DAPODIK_PARENT_GROUPS, strict=True):
            parents += [
                f"{group[5:]} dari {name}",
                "1975",
                "SMA / sederajat",
                "Petani",
                "Rp. 1,000,000 - Rp. 1,999,999",
                PARENT_NIKS[key],
            ]
        after = [
            rombel,
            "",
            "",
            "Ya",
            "KIP1234567",
            name,
            "",
            "6311-LU-01012010-0001",
            "BRI",
            BANK_ACCOUNT,
            name,
            "Ya",
            "Siswa Miskin/Rentan Miskin",
            "Tidak",
            "SMP Negeri 1 Paringin",
            "1",
            "-2.3301",
            "115.4712",
            kk,
            "45",
            "160",
            "0",
            "2",
            "3",
        ]
        row = before + parents + after
        assert len(row) == 66
        rows.append(row)
    return rows


@pytest.fixture(autouse=True)
def _english(english):
    """The roster tests compare messages and pages in their English source text."""


@pytest.fixture
def dapodik_students():
    born = datetime.date(2009, 8, 5)
    return [
        (
            "ANDI FERDIANSYAH SIREGAR",
            "L",
            born,
            make_nik(born, "L", 11),
            "6311060101200011",
            "XI IPA 1",
        ),
        (
            "SITI NURHALIZA",
            "P",
            datetime.date(2010, 1, 2),
            make_nik(datetime.date(2010, 1, 2), "P", 12),
            "6311060101200012",
            "X IPS 2",
        ),
        (
            "MUHAMMAD RIZKY",
            "L",
            datetime.date(2009, 12, 31),
            make_nik(datetime.date(2009, 12, 31), "L", 13),
            "6311060101200013",
            "XI IPA 2",
        ),
    ]


def preview(path, school):
    """Read and check a file through the service the upload page and the command share."""
    from students.roster import services

    with open(path, "rb") as handle:
        return services.roster_preview(fileobj=handle, filename=path.name, school=school)


def codes(result):
    """{(row, code)} of a preview's issues."""
    return {(issue["row"], issue["code"]) for issue in result.issues}
