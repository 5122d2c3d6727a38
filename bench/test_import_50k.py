"""import_50k: a Dapodik export of 50,000 students, imported twice, next to its floor.

The file is made by a seeded generator into a temporary directory, never committed: the
Dapodik "Daftar Peserta Didik" layout (four title rows, a two-row header, 66 columns, the
parents' NIKs and bank accounts included), every identifier written as text. It is
imported with the product's own command, `import_roster --commit`, into an empty school
(`seconds`), then imported again unchanged (`reimport_seconds`): the very file saved a
moment ago, which the product recognises by its SHA-256 and saves as unchanged without
reading it (students.roster.services.repeats). Last comes a fresh export of the same
students (only the download time in its title row differs), which is read, checked and
compared in full and writes nothing (`reexport_seconds`, `reexport_ratio` to the first).

Each import runs in a child process of its own: a fresh `python` that sets Django up and
calls `import_child` below, which times `call_command` itself (Python and Django starting
up are not timed) and reads the process's own high-water mark, VmHWM in /proc/self/status,
when the command returns. So `peak_rss_mb` is the peak of a process that did the import
and nothing else: the generator's and pytest's memory are not in it, and the second import
does not inherit the first one's peak. (`ru_maxrss` would not do: Linux carries it over
from the parent across fork and exec, so the child would report the bench's own peak.)
`start_rss_mb` is what the child held when the import began; `load_1m` the machine's load
average when the bench began (other work slows every figure).

The floor is the least any import of this file must do, measured the same way in a child
of its own (`floor_child`): python-calamine reading the sheet and one COPY of its data rows
into a table of the same 66 columns (`floor_seconds`, `floor_peak_rss_mb`); `ratio` is
seconds / floor_seconds, `reimport_ratio` reimport_seconds / seconds.
"""

import csv
import datetime
import io
import itertools
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import pytest
from django.db import connection

from bench.report import emit
from schools import regions
from schools.models import Region, School
from students import dates
from students import nik as nik_rules
from students.models import RosterImport, Student

STUDENTS = 50_000
SEED = 50_000
ROOT = Path(__file__).resolve().parent.parent


def title_rows(downloaded):
    """The export's four title rows; Dapodik writes the download time into the fourth."""
    return [
        ["Daftar Peserta Didik"],
        ["SMA NEGERI 1 BENCH"],
        ["Kecamatan Paringin, Kabupaten Balangan, Provinsi Kalimantan Selatan"],
        [f"Tanggal Unduh: {downloaded}", None, None, None, None, "Pengunduh: operator"],
    ]


BEFORE_PARENTS = (
    "No|Nama|NIPD|JK|NISN|Tempat Lahir|Tanggal Lahir|NIK|Agama|Alamat|RT|RW|Dusun|"
    "Kelurahan|Kecamatan|Kode Pos|Jenis Tinggal|Alat Transportasi|Telepon|HP|E-Mail|SKHUN|"
    "Penerima KPS|No. KPS"
).split("|")
PARENT_GROUPS = ["Data Ayah", "Data Ibu", "Data Wali"]
PARENT_COLUMNS = ["Nama", "Tahun Lahir", "Jenjang Pendidikan", "Pekerjaan", "Penghasilan", "NIK"]
AFTER_PARENTS = (
    "Rombel Saat Ini|No Peserta Ujian Nasional|No Seri Ijazah|Penerima KIP|Nomor KIP|"
    "Nama di KIP|Nomor KKS|No Registrasi Akta Lahir|Bank|Nomor Rekening Bank|"
    "Rekening Atas Nama|Layak PIP|Alasan Layak PIP|Kebutuhan Khusus|Sekolah Asal|"
    "Anak ke-berapa|Lintang|Bujur|No KK|Berat Badan|Tinggi Badan|Lingkar Kepala|"
    "Jml. Saudara Kandung|Jarak Rumah ke Sekolah (KM)"
).split("|")
FIRST = "Ahmad Siti Rahmat Nur Fajar Aisyah Rizky Fitri Muhammad Dewi Andi Putri".split()
LAST = "Rahman Hidayat Hasanah Saputra Wahyuni Maulana Lestari Siregar Nasution".split()
PLACES = ["Paringin", "Batumandi", "Awayan", "Juai", "Halong", "Lampihong"]

# The parts of a one-sheet workbook besides the sheet and its strings.
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook {MAIN} xmlns:r="{_REL}"><sheets>'
        '<sheet name="Daftar Peserta Didik" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}


def header_rows():
    header, subheader = list(BEFORE_PARENTS), [None] * len(BEFORE_PARENTS)
    for group in PARENT_GROUPS:
        header += [group] + [None] * 5
        subheader += PARENT_COLUMNS
    header += AFTER_PARENTS
    subheader += [None] * len(AFTER_PARENTS)
    return [header, subheader]


def student_rows(count, prefixes, today):
    """Seeded Dapodik data rows: valid students of 14 to 18, identifiers as text."""
    rng = random.Random(SEED)
    serials = {}
    for number in range(1, count + 1):
        sex = rng.choice("LP")
        born = today - datetime.timedelta(days=rng.randint(14 * 365, 18 * 365))
        region = rng.choice(prefixes)
        key = (region, born, sex)
        serials[key] = serials.get(key, 0) + 1
        nik = nik_rules.build(region, born, sex, serials[key])
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}"
        place = rng.choice(PLACES)
        parents = []
        for group in ("Ayah", "Ibu", "Wali"):
            parents += [
                f"{group} {name}",
                str(rng.randint(1965, 1990)),
                "SMA / sederajat",
                "Petani",
                "Rp. 1,000,000 - Rp. 1,999,999",
                f"{region}{rng.randint(10**9, 10**10 - 1)}",
            ]
        yield [
            number,
            name,
            f"{2024000 + number}",
            sex,
            f"{rng.randint(0, 10**10 - 1):010d}",
            place,
            born.isoformat(),
            nik,
            "Islam",
            f"Jl. Ahmad Yani Km {rng.randint(1, 40)}",
            f"{rng.randint(1, 20):03d}",
            f"{rng.randint(1, 9):03d}",
            "",
            f"{place} Kota",
            f"Kec. {place}",
            "71662",
            "Bersama orang tua",
            "Sepeda motor",
            "",
            f"08{rng.randint(10**9, 10**10 - 1)}",
            "",
            "",
            "Tidak",
            "",
            *parents,
            f"{rng.choice(['X', 'XI', 'XII'])} {rng.choice(['IPA', 'IPS'])} {rng.randint(1, 9)}",
            "",
            "",
            "Ya",
            f"KIP{number:07d}",
            name,
            "",
            f"6311-LU-{born:%d%m%Y}-{number:05d}",
            "BRI",
            f"{rng.randint(10**12, 10**13 - 1)}",
            name,
            "Ya",
            "Siswa Miskin/Rentan Miskin",
            "Tidak",
            f"SMP Negeri {rng.randint(1, 9)} {place}",
            str(rng.randint(1, 5)),
            "-2.3301",
            "115.4712",
            f"{region}{number:010d}",
            str(rng.randint(35, 70)),
            str(rng.randint(145, 185)),
            "0",
            str(rng.randint(0, 5)),
            "3",
        ]


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(path, rows):
    """A one-sheet workbook written as XML, its text in a shared-strings part as Excel
    writes it: seconds, where openpyxl takes half a minute for 3.3 million cells."""
    strings = {}
    letters = [column_letter(index) for index in range(66)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f"<worksheet {MAIN}><sheetData>".encode())
            for number, row in enumerate(rows, start=1):
                cells = []
                for letter, value in zip(letters, row, strict=False):
                    if isinstance(value, int):
                        cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
                    elif value:
                        index = strings.setdefault(value, len(strings))
                        cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w") as shared:
            shared.write(f'<sst {MAIN} uniqueCount="{len(strings)}">'.encode())
            for text in strings:
                shared.write(f"<si><t>{escape(text)}</t></si>".encode())
            shared.write(b"</sst>")
    return path


def high_water_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def import_child(path, school_code):
    """In the child: `import_roster --commit`, timed; what it saved and the peak memory."""
    from django.core.management import call_command

    before, out = high_water_mb(), io.StringIO()
    started = time.perf_counter()
    call_command(
        "import_roster", path, "--school", school_code, "--commit", "--format", "json", stdout=out
    )
    seconds = time.perf_counter() - started
    result = json.loads(out.getvalue())
    counts = {key: result[key] for key in ("valid", "created", "updated", "unchanged")}
    saved = RosterImport.objects.filter(school__npsn=school_code).latest("pk")
    return {
        "seconds": seconds,
        "peak_mb": high_water_mb(),
        "start_mb": before,
        "id": saved.pk,
        "same_as": saved.same_as_id,
        **counts,
    }


class CsvStream:
    """Rows as CSV text, written as COPY reads them: the floor holds no copy of the file."""

    def __init__(self, rows):
        self.rows, self.buffer = rows, io.StringIO()
        self.writer = csv.writer(self.buffer)

    def read(self, size=-1):
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerows(itertools.islice(self.rows, 1000))
        return self.buffer.getvalue()


def floor_child(path):
    """In the child: calamine reads the sheet, one COPY writes its data rows; timed."""
    from python_calamine import CalamineWorkbook

    with connection.cursor() as cursor:
        columns = ", ".join(f"c{index} text" for index in range(66))
        cursor.execute(f"DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor ({columns})")
        started = time.perf_counter()
        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows()
        data = CsvStream(itertools.islice(rows, 6, None))  # the rows under the headers
        cursor.copy_expert("COPY bench_floor FROM STDIN (FORMAT csv)", data)
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_floor")
        (written,) = cursor.fetchone()
        cursor.execute("DROP TABLE bench_floor")
    return {"seconds": seconds, "peak_mb": high_water_mb(), "rows": written}


def in_child(task, *args):
    """Run `task` (a function of this module) in a fresh Python on the bench's database."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ktpku.settings",
        "DATABASE_URL": (  # the test database this bench filled
            f"postgres://{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}"
            f"@{database['HOST']}:{database['PORT'] or 5432}/{quote(database['NAME'])}"
        ),
        # A Dapodik export of 50,000 students is some 20 MB, four times the upload limit.
        "UPLOAD_MAX_BYTES": str(64 * 1024 * 1024),
        "UPLOAD_MAX_UNCOMPRESSED_BYTES": str(1024 * 1024 * 1024),
    }
    code = (
        "import json, sys, django; django.setup(); "
        f"from bench.test_import_50k import {task.__name__} as task; "
        "print(json.dumps(task(*sys.argv[1:])))"
    )
    done = subprocess.run(  # noqa: S603 (this Python, this module's own code)
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_import_50k(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("import_50k measures PostgreSQL (DATABASE_URL)")
    if not Region.objects.exists():  # emptied by an earlier transactional test's flush
        regions.load(Region)
    kecamatan = Region.objects.filter(level=Region.Level.KECAMATAN, code__startswith="63.11.")
    school = School.objects.create(
        name="SMA Negeri 1 Bench", kind="SMA", npsn="69950000", kecamatan=kecamatan.first()
    )
    prefixes = sorted(region.nik_prefix for region in kecamatan)
    path, reexport = (
        write_xlsx(
            tmp_path / name,
            itertools.chain(
                title_rows(downloaded),
                header_rows(),
                student_rows(STUDENTS, prefixes, dates.today()),
            ),
        )
        for name, downloaded in [
            ("daftar_peserta_didik.xlsx", "2026-11-02 08:15:44"),
            ("daftar_peserta_didik_unduh_ulang.xlsx", "2026-11-09 10:02:13"),
        ]
    )

    load = os.getloadavg()[0]  # other work on the machine slows every figure alike
    first = in_child(import_child, path, school.npsn)
    again = in_child(import_child, path, school.npsn)
    fresh = in_child(import_child, reexport, school.npsn)
    floor = in_child(floor_child, path)

    assert (first["valid"], first["created"]) == (STUDENTS, STUDENTS), first
    for later in (again, fresh):
        assert (later["created"], later["updated"], later["unchanged"]) == (0, 0, STUDENTS), later
    assert (again["same_as"], fresh["same_as"]) == (first["id"], None)
    assert floor["rows"] == STUDENTS
    assert Student.objects.filter(school=school).count() == STUDENTS
    assert Student.history.count() == STUDENTS
    emit(
        "import_50k",
        rows=STUDENTS,
        file_mb=round(path.stat().st_size / 1e6, 1),
        seconds=round(first["seconds"], 2),
        reimport_seconds=round(again["seconds"], 2),
        reexport_seconds=round(fresh["seconds"], 2),
        floor_seconds=round(floor["seconds"], 2),
        ratio=round(first["seconds"] / floor["seconds"], 2),
        reimport_ratio=round(again["seconds"] / first["seconds"], 2),
        reexport_ratio=round(fresh["seconds"] / first["seconds"], 2),
        peak_rss_mb=round(first["peak_mb"]),
        reexport_peak_rss_mb=round(fresh["peak_mb"]),
        floor_peak_rss_mb=round(floor["peak_mb"]),
        start_rss_mb=round(first["start_mb"]),
        load_1m=round(load, 1),
    )
