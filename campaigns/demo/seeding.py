"""Build the demo office: schools, students, users. Every step is idempotent."""

import datetime
import random

from django.contrib.auth.models import Group, User
from django.db import transaction

from ktpku import roles
from schools.models import Region, School
from students import dates
from students import nik as nik_rules
from students.models import Student

from ..figure_models import RegencyCoverage
from . import balangan
from .campaigns import seed_campaigns
from .cards import seed_card_pipeline
from .visit_day import seed_visit_day
from .visit_day import summary as visit_summary

DEMO_PASSWORD = "ktpku-demo-2026"  # noqa: S105 - published demo logins, DEBUG machines only
ROLE_USERS = [
    ("demo_admin", roles.ADMIN, "Admin", "Kantor"),
    ("demo_staf", roles.STAF, "Rina", "Operator"),
    ("demo_petugas", roles.PETUGAS, "Hendra", "Perekam"),
    ("demo_koordinator", roles.KOORDINATOR, "Nurul", "Hasanah"),
    ("demo_pimpinan", roles.PIMPINAN, "Kepala", "Dinas"),
]


def seed_schools():
    kecamatan = {
        r.code: r for r in Region.objects.filter(code__in={row[3] for row in balangan.SCHOOLS})
    }
    schools = []
    for name, kind, level, kec, id_field, identifier in balangan.SCHOOLS:
        school, _created = School.objects.update_or_create(
            **{id_field: identifier},
            defaults={
                "name": name,
                "kind": kind,
                "pesantren_level": level,
                "kecamatan": kecamatan[kec],
            },
        )
        schools.append(school)
    return schools


# The regency's figure the programme started from (seed article): in 2018, 4% of the
# 91,117 residents obliged to hold a KTP had none.
COVERAGE_2018 = {"obliged": 91_117, "without_ktp": 3_645}


def seed_coverage():
    RegencyCoverage.objects.get_or_create(year=2018, kecamatan=None, defaults=COVERAGE_2018)


def school_year_start(today):
    """15 July of the school year `today` falls in: the demo's fixed point in time."""
    year = today.year if (today.month, today.day) >= (7, 15) else today.year - 1
    return datetime.date(year, 7, 15)


def _student_rows(schools, anchor):
    """Deterministic students for every school: the same school year, the same rows."""
    rng = random.Random(6311)  # noqa: S311 - demo data, not security
    serials = {}
    rows = []
    for school in schools:
        low, high = balangan.SIZE_BY_KIND[school.kind]
        for _index in range(rng.randint(low, high)):
            sex = rng.choice([nik_rules.MALE, nik_rules.FEMALE])
            male = sex == nik_rules.MALE
            first = rng.choice(balangan.MALE_NAMES if male else balangan.FEMALE_NAMES)
            second = rng.choice(
                balangan.MALE_SECOND_NAMES if male else balangan.FEMALE_SECOND_NAMES
            )
            name = f"{first} {second}"
            # Ages 15 to 18 when the school year starts; birthdays over the whole year.
            birth = anchor - datetime.timedelta(days=rng.randint(15 * 365 + 4, 19 * 365 - 5))
            if (
                rng.random() < 0.03
                and 15 <= dates.age_on(birth.replace(month=7, day=1), anchor) <= 18
            ):
                birth = birth.replace(month=7, day=1)  # an unknown birth date, as registered
            region = (
                rng.choice(balangan.NEIGHBOUR_PREFIXES)
                if rng.random() < 0.08
                else school.kecamatan.nik_prefix
            )
            key = (region, birth, sex)
            serials[key] = serials.get(key, 0) + 1
            nik = nik_rules.build(region, birth, sex, serials[key])
            kk = nik_rules.build(
                region, birth - datetime.timedelta(days=9000), nik_rules.MALE, rng.randint(1, 9999)
            )
            grade = rng.choice(balangan.CLASSES[school.kind])
            stream = rng.choice(balangan.STREAMS[school.kind])
            rows.append(
                Student(
                    nik=nik,
                    kk_number=kk,
                    nisn=f"{rng.randint(0, 99_999_999):010d}",
                    name=name,
                    sex=sex,
                    birth_place=rng.choice(balangan.BIRTH_PLACES),
                    birth_date=birth,
                    school=school,
                    class_name=f"{grade} {stream}".strip(),
                    guardian_name=f"{rng.choice(balangan.MALE_NAMES)} "
                    f"{rng.choice(balangan.MALE_SECOND_NAMES)}",
                )
            )
    return rows


def seed_students(schools, today):
    """Create the demo students that are missing; returns how many were created."""
    rows = _student_rows(schools, school_year_start(today))
    existing = set(
        Student.objects.filter(nik__in=[row.nik for row in rows]).values_list("nik", flat=True)
    )
    missing = [row for row in rows if row.nik not in existing]
    Student.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
    return len(missing)


def _demo_user(username, role, first_name, last_name):
    user, _created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    user.set_password(DEMO_PASSWORD)
    user.is_staff = role == roles.ADMIN
    user.is_active = True
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return {"username": username, "password": DEMO_PASSWORD, "role": role}


def seed_users(schools):
    users = [_demo_user(*row) for row in ROLE_USERS]
    coordinator = User.objects.get(username="demo_koordinator")
    schools[0].coordinators.add(coordinator)
    # A coordinator for most schools (not every school has sent one yet).
    for school in schools:
        if school.code.endswith(("7", "3")) and school.kind != School.Kind.SLB:
            continue
        user = _demo_user(
            f"koord_{school.code}", roles.KOORDINATOR, "Koordinator", school.name[:100]
        )
        school.coordinators.add(User.objects.get(username=user["username"]))
        users.append(user)
    return users


@transaction.atomic
def seed_demo(today=None):
    """The whole Balangan demo. Returns the JSON summary of the command-line contract."""
    today = today or dates.today()
    schools = seed_schools()
    created = seed_students(schools, today)
    users = seed_users(schools)
    campaigns = seed_campaigns(schools, today)
    visit = seed_visit_day(schools, today)
    seed_card_pipeline(schools[0], visit, today)
    seed_coverage()
    return {
        "schools": [
            {"code": s.code, "name": s.name, "kind": s.kind, "kecamatan": s.kecamatan_id}
            for s in schools
        ],
        "campaigns": [
            {"id": c.pk, "year": c.year, "name": c.name, "status": c.status} for c in campaigns
        ],
        "users": users,
        "visit_day": visit_summary(visit),
        "students_created": created,
        "students": Student.objects.filter(school__in=schools).count(),
    }
