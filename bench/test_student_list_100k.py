"""The student and school lists with 100,000 students in 400 schools (not pass/fail).

Run with `make bench` on PostgreSQL (DATABASE_URL); prints, for each list and filter,
the median time of five requests, the number of queries, and PostgreSQL's plan for the
page query, so a missing index shows up as a sequential scan.
"""

import datetime
import statistics
import time

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from schools.models import Region, School
from students import nik as nik_rules
from students.models import Status, Student

STUDENTS = 100_000
SCHOOLS = 400
FIRST = ["Ahmad", "Siti", "Rahmat", "Nur", "Fajar", "Aisyah", "Rizky", "Fitri", "Muhammad"]
SECOND = ["Rahman", "Hidayat", "Hasanah", "Saputra", "Wahyuni", "Maulana", "Lestari"]


def _populate():
    kecamatan = list(Region.objects.filter(code__startswith="63.11.", level="kecamatan"))
    schools = School.objects.bulk_create(
        School(
            name=f"SMA Negeri {n} Contoh",
            kind="SMA",
            npsn=f"40{n:06d}",
            kecamatan=kecamatan[n % len(kecamatan)],
        )
        for n in range(SCHOOLS)
    )
    statuses = Status.values
    start = datetime.date(2008, 1, 1)
    batch = []
    for n in range(STUDENTS):
        born = start + datetime.timedelta(days=n % 1500)
        sex = "L" if n % 2 else "P"
        school = schools[n % SCHOOLS]
        batch.append(
            Student(
                nik=nik_rules.build(school.kecamatan.nik_prefix, born, sex, n // 1500 + 1),
                name=f"{FIRST[n % 9]} {SECOND[n % 7]} {n}",
                sex=sex,
                birth_date=born,
                school=school,
                nisn=f"{n:010d}",
                status=statuses[n % len(statuses)],
            )
        )
        if len(batch) == 5000:
            Student.objects.bulk_create(batch)
            batch = []
    Student.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return schools


def _measure(client, url):
    timings = []
    for _attempt in range(5):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - began)
        assert response.status_code == 200, url
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    return statistics.median(timings), len(queries), slowest["sql"]


@pytest.mark.django_db
def test_lists_at_100k_students():
    if connection.vendor != "postgresql":
        pytest.skip("the 100k benchmark is meaningful on PostgreSQL only")
    began = time.perf_counter()
    schools = _populate()
    print(
        f"\npopulated {STUDENTS} students in {SCHOOLS} schools "
        f"in {time.perf_counter() - began:.1f} s"
    )
    staff = User.objects.create_user("bench_staf")
    staff.groups.add(Group.objects.get(name="staf"))
    client = Client()
    client.force_login(staff)
    cases = {
        "students, first page": "/siswa/",
        "students, page 200": "/siswa/?page=200",
        "students, name search": "/siswa/?q=Rahmat+Hidayat",
        "students, NISN prefix": "/siswa/?q=00000123",
        "students, one school": f"/siswa/?school={schools[7].pk}",
        "students, status": "/siswa/?status=print_ready",
        "students, turns 17 in": "/siswa/?turns_17=2026-03",
        "schools, first page": "/sekolah/",
    }
    for label, url in cases.items():
        median, count, slowest = _measure(client, url)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + slowest)
            plan = " | ".join(row[0].strip() for row in cursor.fetchall()[:3])
        print(f"{label:<26} {median * 1000:7.1f} ms  {count:2d} queries  slowest: {plan}")
