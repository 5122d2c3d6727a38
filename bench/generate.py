"""The benchmarks' data: a seeded generator, set-based on PostgreSQL, never committed to git.

`populate(students)` empties the programme's tables and makes, for the office's day:

- `students // 330` schools (SMA, SMK, MA, SLB, pesantren) over the kecamatan of the
  office's province, from the real region table;
- last year's campaign, closed, and the current one (running since 75 days, 105 to go),
  each with every school, teams of two kits and one recording visit per school: last
  year's all done, this year's done up to yesterday, accepted from today on;
- the students, in one INSERT ... SELECT over generate_series: birth dates spread evenly
  over four years (15 to 19 on the day), names from common Indonesian names, valid NIKs
  (the school's kecamatan, the birth date, 40 added to a girl's day), a status by age and
  by whether their school was visited yet; then, in one more INSERT ... SELECT, the
  recording, printing and handover events of those who went through them. The product's
  triggers keep its tallies (students.tallies) as they would for any other writer.

The nightly flagging has not run on this data (as after moving from another system): the
print-ready students who are 17 are due, those 17 or older never recorded are overdue.
Every value is a function of the row number and the seed, so the same arguments on the
same day give the same rows.
"""

import datetime
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

from campaigns.models import Campaign, RegencyCoverage, Team, Visit
from schools.models import Region, School
from students import dates

PER_SCHOOL = 330
BIRTH_DAYS = 4 * 365 + 1
SEED = 13
KINDS = ["SMA", "SMA", "SMA", "SMK", "SMK", "SMK", "MA", "MA", "PESANTREN", "SLB"]
FIRST = [
    "Ahmad", "Muhammad", "Siti", "Nur", "Rizky", "Aisyah", "Fajar", "Dewi", "Putri", "Rahmat",
    "Fitri", "Agus", "Indah", "Budi", "Nabila", "Dimas", "Ayu", "Hendra", "Lestari", "Yusuf",
]  # fmt: skip
LAST = [
    "Rahman", "Hidayat", "Hasanah", "Saputra", "Wahyuni", "Maulana", "Lestari", "Pratama",
    "Kurniawan", "Sari", "Setiawan", "Ramadhan", "Anggraini", "Firmansyah", "Utami", "Syahputra",
    "Nugroho", "Permata", "Hakim", "Aulia",
]  # fmt: skip
# Tables the generator fills; TRUNCATE ... CASCADE takes the rows that point at them.
TABLES = [
    "students_student",
    "students_historicalstudent",
    "schools_school",
    "schools_historicalschool",
    "campaigns_campaign",
    "campaigns_regencycoverage",
    "audit_auditevent",
]


def wipe():
    name = connection.settings_dict["NAME"]
    if not name.startswith("test_"):  # pytest-django's own database, never a real one
        raise RuntimeError(f"the bench data goes only into a test database, not {name}")
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")


def _working_days(first, last):
    days, day = [], first
    while day <= last:
        if day.isoweekday() != 7:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _schools(count, seed):
    province = settings.OFFICE_REGENCY_CODE[:2]
    kecamatan = list(
        Region.objects.filter(level=Region.Level.KECAMATAN, code__startswith=f"{province}.")
    )
    schools = []
    for index in range(count):
        kind = KINDS[(index * 7 + seed) % len(KINDS)]
        place = kecamatan[(index * 2654435761 + seed) % len(kecamatan)]
        number = index % 9 + 1
        code = {
            "npsn": f"{30_000_000 + index}" if kind in ("SMA", "SMK", "SLB") else "",
            "nsm": f"{131_163_000_000 + index}" if kind == "MA" else "",
            "nspp": f"{510_063_000_000 + index}" if kind == "PESANTREN" else "",
        }
        name = (
            f"Pondok Pesantren Darul Ulum {number} {place.name}"
            if kind == "PESANTREN"
            else f"{kind} Negeri {number} {place.name}"
        )
        schools.append(
            School(
                name=name,
                kind=kind,
                pesantren_level="ulya" if kind == "PESANTREN" else "",
                kecamatan=place,
                **code,
            )
        )
    return School.objects.bulk_create(schools, batch_size=1000)


def _campaign(schools, *, first_day, today):
    """A campaign of 180 days with every school, its teams and one visit per school."""
    last_day = first_day + datetime.timedelta(days=180)
    campaign = Campaign.objects.create(
        name=f"Perekaman KTP-el di Sekolah {first_day.year}/{first_day.year + 1}",
        year=first_day.year,
        school_year=f"{first_day.year}/{first_day.year + 1}",
        first_day=first_day,
        last_day=last_day,
        status=Campaign.Status.CLOSED if last_day < today else Campaign.Status.PLANNED,
        legal_basis="UU 24/2013; instruksi bupati",
    )
    campaign.schools.add(*schools)
    days = _working_days(first_day, last_day)
    team_count = -(-len(schools) // 120)
    teams = Team.objects.bulk_create(
        Team(campaign=campaign, name=f"Tim {n + 1:02d}", kits=2) for n in range(team_count)
    )
    visits = []
    for index, school in enumerate(schools):
        day = days[index // team_count]
        visits.append(
            Visit(
                campaign=campaign,
                school=school,
                team=teams[index % team_count],
                date=day,
                expected=PER_SCHOOL // 3,
                status=Visit.Status.ACCEPTED,
                closed_at=None if day >= today else _afternoon(day),
            )
        )
    Visit.objects.bulk_create(visits, batch_size=2000)
    return campaign, [visit.date for visit in visits]


def _afternoon(day):
    return datetime.datetime.combine(day, datetime.time(7), datetime.UTC)


STUDENTS_SQL = """
WITH school AS (
    SELECT * FROM unnest(%(school_ids)s::bigint[], %(prefixes)s::text[],
                         %(visits_now)s::date[], %(visits_then)s::date[])
        WITH ORDINALITY AS s(id, prefix, visit_now, visit_then, k)
), drawn AS MATERIALIZED (
    SELECT n, h, (h / 8000) %% 100 AS r, %(born0)s::date + n %% %(days)s AS born,
        n / %(days)s + 1 AS serial, CASE WHEN (h / 7) %% 2 = 0 THEN 'L' ELSE 'P' END AS sex,
        school.id AS school_id, prefix, visit_now, visit_then
    FROM (
        SELECT n, (n * 2654435761 + %(seed)s * 40503) %% 4294967291 AS h
        FROM generate_series(1, %(students)s) AS n
    ) hashed JOIN school ON school.k = 1 + h %% %(schools)s
    ORDER BY school.k, n  -- a school's students side by side, as their rosters came in
), placed AS MATERIALIZED (
    SELECT *,
        CASE
            WHEN born <= %(c17)s THEN (CASE
                WHEN r < 3 THEN 'on_roster' WHEN r < 4 THEN 'scheduled'
                WHEN r < 5 THEN 'recorded' WHEN r < 6 THEN 'siak_problem'
                WHEN r < 11 THEN 'print_ready' WHEN r < 15 THEN 'due_for_print'
                WHEN r < 18 THEN 'waiting_blanko' WHEN r < 28 THEN 'printed'
                WHEN r < 96 THEN 'handed_over' ELSE 'closed' END)
            WHEN born <= %(c16)s AND visit_now < %(today)s THEN (CASE
                WHEN r < 8 THEN 'on_roster' WHEN r < 14 THEN 'recorded'
                WHEN r < 16 THEN 'siak_problem' WHEN r < 97 THEN 'print_ready'
                ELSE 'closed' END)
            WHEN born <= %(c16)s THEN (CASE
                WHEN r < 40 THEN 'on_roster' WHEN r < 98 THEN 'scheduled' ELSE 'closed' END)
            ELSE (CASE WHEN r < 98 THEN 'on_roster' ELSE 'closed' END)
        END AS status
    FROM drawn
)
INSERT INTO students_student (
    nik, kk_number, nisn, name, sex, birth_place, birth_date, marital_status, school_id,
    class_name, guardian_name, guardian_phone, consent_by, consent_on, consent_method,
    status, status_since, created_at, updated_at)
SELECT
    prefix
        || lpad((extract(day FROM born)::int + CASE sex WHEN 'P' THEN 40 ELSE 0 END)::text, 2, '0')
        || to_char(born, 'MMYY') || lpad(serial::text, 4, '0'),
    '', lpad(n::text, 10, '0'),
    (%(first)s::text[])[1 + h %% 20] || ' ' || (%(last)s::text[])[1 + (h / 20) %% 20]
        || CASE WHEN h %% 3 = 0 THEN ' ' || (%(last)s::text[])[1 + (h / 400) %% 20] ELSE '' END,
    sex, '', born, CASE WHEN h %% 400 = 7 THEN 'kawin' ELSE 'belum_kawin' END, school_id,
    CASE WHEN born <= %(c17)s THEN 'XII' ELSE 'XI' END
        || ' ' || (ARRAY['IPA', 'IPS', 'Bahasa'])[1 + h %% 3],
    '', '', '', NULL, '', status,
    CASE status
        WHEN 'on_roster' THEN NULL
        WHEN 'scheduled' THEN visit_now
        WHEN 'closed' THEN %(today)s - (h %% 300)::int
        ELSE least(%(today)s - 1, CASE WHEN born <= %(c17)s THEN visit_then + 30 + (h %% 200)::int
                                       ELSE visit_now + (h %% 20)::int END)
    END,
    now(), now()
FROM placed
"""

# The recording of everyone recorded, at their school's visit (last year's for those 17 or
# older, this year's for the others), and the printing and handover of the cards that went
# that far: one INSERT ... SELECT (the tallies' trigger then runs once).
EVENTS_SQL = """
INSERT INTO students_studentevent (student_id, kind, date, reason, note, recorded_at)
SELECT s.id, 'recorded', v.date, '', '', now()
FROM students_student s JOIN campaigns_visit v ON v.school_id = s.school_id
    AND v.campaign_id = CASE WHEN s.birth_date <= %(c17)s THEN %(then)s ELSE %(now)s END
WHERE s.status IN ('recorded', 'siak_problem', 'print_ready', 'due_for_print', 'waiting_blanko',
                   'printed', 'handed_over')
UNION ALL
SELECT id, 'printed', status_since - 20, '', '', now() FROM students_student
WHERE status IN ('printed', 'handed_over')
UNION ALL
SELECT id, 'handed_over', status_since, '', '', now() FROM students_student
WHERE status = 'handed_over'
"""


@contextmanager
def _indexes_built_after(*tables):
    """Drop the tables' indexes, unique and foreign keys (not the primary key) and make them
    again from their own definitions once the rows are in, as pg_restore does: building an
    index once is many times faster than a million inserts into it."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no checks pending on these tables
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')",
            [list(tables)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield cursor
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def populate(students, *, seed=SEED, today=None):
    """Empty the tables and make `students` students for the day `today` (WITA today).

    Returns {"students", "schools", "seconds"}.
    """
    started = time.perf_counter()
    today = today or dates.today()
    with transaction.atomic():
        _populate(students, seed, today)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table that has been in use: visibility map set, statistics.
        cursor.execute("VACUUM ANALYZE students_student, students_studentevent")
        cursor.execute("ANALYZE")
    return {
        "students": students,
        "schools": School.objects.count(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _reference_data():
    """The regions and roles the migrations load, again if a scenario before this one
    flushed the database (a transactional test empties every table when it ends)."""
    from django.apps import apps

    from ktpku.roles import sync_roles
    from schools import regions

    if not Region.objects.exists():
        regions.load(Region)
    sync_roles(apps)


def _populate(students, seed, today):
    wipe()
    _reference_data()
    schools = _schools(max(4, students // PER_SCHOOL), seed)
    then, then_visits = _campaign(
        schools, first_day=today - datetime.timedelta(days=365 + 75), today=today
    )
    now, now_visits = _campaign(schools, first_day=today - datetime.timedelta(days=75), today=today)
    RegencyCoverage.objects.bulk_create(
        RegencyCoverage(year=year, obliged=40 * students, without_ktp=2 * students)
        for year in {then.year, now.year}
    )
    c17 = dates.latest_birth_date(dates.CARD_AGE, today)
    params = {
        "students": students,
        "seed": seed,
        "today": today,
        "c17": c17,
        "c16": dates.latest_birth_date(dates.RECORDING_AGE, today),
        "born0": dates.latest_birth_date(19, today) + datetime.timedelta(days=1),
        "days": BIRTH_DAYS,
        "schools": len(schools),
        "school_ids": [school.pk for school in schools],
        "prefixes": [school.kecamatan.nik_prefix for school in schools],
        "visits_now": now_visits,
        "visits_then": then_visits,
        "first": FIRST,
        "last": LAST,
    }
    with _indexes_built_after("students_student", "students_studentevent") as cursor:
        cursor.execute(STUDENTS_SQL, params)
        cursor.execute(EVENTS_SQL, {"c17": c17, "then": then.pk, "now": now.pk})


class Data:
    """The generated data in the database: `ensure(students)` makes it unless it is there."""

    def __init__(self):
        self.made = None

    def ensure(self, students):
        """{"students", "schools", "seconds"}: "seconds" 0 when the data was there already."""
        if self.made is None or self.made["students"] != students:
            self.made = populate(students)
            return self.made
        return {**self.made, "seconds": 0}

    def wipe(self):
        wipe()
        self.made = None
