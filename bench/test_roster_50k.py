"""Time and memory of reading and checking a 50,000-row roster (not a pass/fail test).

Run with `make bench`; prints the seconds taken and the peak resident memory. Reading
streams the rows (calamine's iter_rows, the csv reader), so the cells are held once.
"""

import datetime
import io
import resource
import time
from collections import Counter

import pytest

from schools.regions import read_rows
from students import nik as nik_rules
from students.roster import reading, validation

ROWS = 50_000
HEADER = ["Nama", "NIK", "JK", "Tanggal Lahir", "NISN", "Kelas", "No KK", "Tempat Lahir"]


def build_xlsx():
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Daftar")
    sheet.append(HEADER)
    regions = [f"6311{k:02d}" for k in range(1, 9)]
    for n in range(1, ROWS + 1):
        sex = "L" if n % 2 else "P"
        born = datetime.date(2009, 1, 1) + datetime.timedelta(days=n // 5000)
        nik = nik_rules.build(regions[n % 8], born, sex, (n % 5000) // 8 + 1)
        sheet.append(
            [
                f"Siswa Nomor {n} Paringin",
                nik,
                sex,
                born.strftime("%d-%m-%Y"),
                f"{n:010d}",
                f"X IPA {n % 9}",
                f"631106{n:010d}",
                "Paringin",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.filterwarnings("ignore")
def test_read_and_validate_50k_rows(settings, capsys):
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    data = build_xlsx()
    regions = frozenset(
        code.replace(".", "") for code, _name, level, _parent in read_rows() if level == "kecamatan"
    )
    before = peak_rss_mb()
    started = time.perf_counter()

    sheet = reading.read_roster(io.BytesIO(data), "roster.xlsx")
    read_at = time.perf_counter()
    results = validation.validate_rows(
        sheet.rows, sheet.columns, known_regions=regions, reference=datetime.date(2026, 11, 29)
    )
    done = time.perf_counter()

    invalid = sum(1 for result in results if not result.is_valid)
    codes = Counter(issue["code"] for result in results for issue in result.issues)
    report = (
        f"\n{ROWS} rows, {len(data) / 1e6:.1f} MB xlsx: read {read_at - started:.2f} s, "
        f"checked {done - read_at:.2f} s; {invalid} refused; "
        f"peak RSS {before:.0f} MB before, {peak_rss_mb():.0f} MB after; issues {dict(codes)}"
    )
    with capsys.disabled():  # `make bench` runs quietly; the figures must still show
        print(report)
    assert len(results) == ROWS
