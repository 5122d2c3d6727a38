import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from campaigns.demo import campaigns as campaigns_demo
from campaigns.demo.seeding import school_year_start
from schools.models import School
from schools.regions import kecamatan_prefixes
from students import nik as nik_rules
from students.dates import age_on, today
from students.models import Student

pytestmark = pytest.mark.django_db

BALANGAN_KECAMATAN = {f"63.11.0{n}" for n in range(1, 9)}


def _seed():
    out = StringIO()
    call_command("seed_demo", "--format", "json", "--force", stdout=out)
    return json.loads(out.getvalue())


def test_seed_demo_json_lists_schools_users_and_campaigns():
    summary = _seed()
    assert len(summary["schools"]) == 25
    assert {s["kind"] for s in summary["schools"]} == {"SMA", "SMK", "MA", "SLB", "PESANTREN"}
    assert {s["kecamatan"] for s in summary["schools"]} == BALANGAN_KECAMATAN
    assert [(c["year"], c["status"]) for c in summary["campaigns"]] == [
        (2023, "closed"),
        (2024, "closed"),
        (campaigns_demo.next_campaign_start(today()).year, "draft"),
    ]
    roles = {user["role"] for user in summary["users"]}
    assert roles == {"admin", "staf", "petugas", "koordinator", "pimpinan"}
    first = summary["schools"][0]
    assert first == {
        "code": "30304501",
        "name": "SMA Negeri 1 Paringin",
        "kind": "SMA",
        "kecamatan": "63.11.06",
    }


def test_seed_demo_refuses_without_debug_or_force():
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", stdout=StringIO())
    assert "--force" in str(refused.value)
    assert School.objects.count() == 0
    assert not User.objects.filter(username="demo_admin").exists()


def test_seed_demo_twice_changes_nothing():
    first = _seed()
    students = Student.objects.count()
    second = _seed()
    assert second["students_created"] == 0
    assert Student.objects.count() == students == first["students"]
    assert School.objects.count() == 25


def test_seed_demo_students_have_consistent_niks_and_ages():
    _seed()
    known = kecamatan_prefixes()
    on = school_year_start(today())
    for student in Student.objects.all():
        issues = nik_rules.check(
            student.nik,
            birth_date=student.birth_date,
            sex=student.sex,
            kk_number=student.kk_number,
            known_regions=known,
            reference=on,
        )
        assert issues == [], (student.nik, issues)
        assert 15 <= age_on(student.birth_date, on) <= 18


def test_seed_demo_logins_work_for_every_role(rf):
    summary = _seed()
    for user in summary["users"][:5]:
        request = rf.post("/masuk/")
        assert (
            authenticate(request, username=user["username"], password=user["password"]) is not None
        )


def test_seed_demo_gives_most_schools_a_coordinator():
    _seed()
    with_coordinator = School.objects.filter(coordinators__isnull=False).distinct().count()
    assert with_coordinator == 20


def test_seed_demo_gives_demo_petugas_a_visit_with_students_on_the_visit_day():
    from campaigns.demo.visit_day import visit_day
    from campaigns.models import Visit

    first = _seed()
    second = _seed()

    visit = Visit.objects.get(pk=first["visit_day"]["id"])
    assert second["visit_day"] == first["visit_day"]
    assert visit.date == visit_day(today())
    assert visit.team.leader.username == "demo_petugas"
    assert visit.team.members.filter(username="demo_petugas").exists()
    assert visit.students.count() == visit.expected == 12
    assert all(age_on(s.birth_date, visit.date) >= 16 for s in visit.students.all())


def test_seed_demo_puts_cards_in_the_print_queue_and_a_batch_on_the_visit(client):
    from campaigns.card_models import HandoverBatch, HandoverItem
    from campaigns.models import Visit

    first = _seed()
    _seed()

    visit = Visit.objects.get(pk=first["visit_day"]["id"])
    statuses = Student.objects.filter(school=visit.school).values_list("status", flat=True)
    batch = HandoverBatch.objects.get(school=visit.school)
    assert sorted(s for s in statuses if s in ("due_for_print", "printed")) == (
        ["due_for_print"] * 6 + ["printed"] * 4
    )
    assert batch.visit_id == visit.pk
    assert HandoverItem.objects.filter(batch=batch, state="waiting").count() == 4
    client.force_login(User.objects.get(username="demo_koordinator"))
    page = client.get("/kartu/siap/").content.decode()
    assert page.count("*" * 10) == 4


def test_seed_demo_enters_the_2018_regency_coverage_once():
    from campaigns.figure_models import RegencyCoverage

    _seed()
    _seed()

    entry = RegencyCoverage.objects.get()
    assert (entry.year, entry.kecamatan_id, entry.obliged, entry.without_ktp) == (
        2018,
        None,
        91117,
        3645,
    )
    assert entry.without_percent == 4.0
