"""The staff home, the dashboard, the regency coverage page and the yearly report PDF."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.models import RegencyCoverage
from students import lifecycle
from students.models import EventKind, Status
from tests.campaigns.factories import CampaignFactory, VisitFactory
from tests.campaigns.pdftext import pdf_to_text
from tests.factories import SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db

OLD = datetime.date(2000, 1, 10)  # long past 17: overdue while not recorded
YOUNG = datetime.date(2011, 6, 1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _schools(count):
    schools = SchoolFactory.create_batch(count)
    for school in schools:
        StudentFactory(school=school, birth_date=OLD, name=f"Siswa Terlambat {school.pk}")
        StudentFactory(school=school, birth_date=YOUNG)
    CampaignFactory(
        year=2026,
        first_day=datetime.date(2026, 1, 5),
        last_day=datetime.date(2026, 12, 31),
        schools=schools,
    )
    return schools


def _warm(client, url):
    """A first request moves the tallies' age bands to today's birth dates (students.tallies),
    once a day; the next one, with the figures' cache emptied, is the one counted."""
    client.get(url)
    cache.clear()


# The staff home, whatever the number of schools: 1 session, 2 user, 3 the second-factor
# device, 4 groups (role label), 5-6 permissions (user's, groups'), then the figures:
# 7 campaigns, 8 tallied counts by school, 9 the schools' names; then the to-do list:
# 10 visits today and tomorrow, 11 student counts, 12 roster uploads, 13 school moves,
# 14 batches ready for handover, 15 unvisited schools.
@pytest.mark.parametrize("count", [1, 3])
def test_staff_home_query_count_is_fixed(client, staf, django_assert_num_queries, count):
    _schools(count)
    client.force_login(staf)
    _warm(client, reverse("home"))

    with django_assert_num_queries(15):
        response = client.get(reverse("home"))

    todo = {item.key: item.count for item in response.context["todo"]}
    assert todo["overdue"] == count
    assert todo["unvisited"] == count
    assert response.context["figures"]["progress"]["on_roster"] == 2 * count


# The dashboard: 1 session, 2 user, 3 the second-factor device, 4-5 permissions (user's,
# groups'), then the summary: 6 campaigns, 7 tallied counts by school, 8 the schools' names;
# the details: 9 campaigns, 10 per week, 11 coming due, 12 next visits, 13 visit rows of
# every year, 14 regency figures.
@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_is_fixed(client, staf, django_assert_num_queries, count):
    _schools(count)
    client.force_login(staf)
    _warm(client, reverse("campaigns:dashboard"))

    with django_assert_num_queries(14):
        response = client.get(reverse("campaigns:dashboard"))

    assert len(response.context["schools"]) == count
    assert response.context["figures"]["progress"]["overdue"] == count


def test_dashboard_is_cached_per_scope(client, staf, django_assert_num_queries):
    _schools(1)
    client.force_login(staf)
    client.get(reverse("campaigns:dashboard"))
    # Cached: only the session, the user, the second-factor device and the permissions
    # are read again.
    with django_assert_num_queries(5):
        client.get(reverse("campaigns:dashboard"))


def test_staff_home_lists_todays_visits_and_links_the_work(client, staf, school_a):
    from students import dates

    today = dates.today()
    campaign = CampaignFactory(
        year=today.year,
        first_day=today - datetime.timedelta(days=3),
        last_day=today + datetime.timedelta(days=30),
        schools=[school_a],
    )
    visit = VisitFactory(campaign=campaign, school=school_a, date=today)
    StudentFactory(school=school_a, birth_date=OLD)
    client.force_login(staf)

    body = client.get(reverse("home")).content.decode()

    assert reverse("campaigns:visit", args=[visit.pk]) in body
    assert f"{reverse('students:list')}?overdue=1" in body
    overdue = client.get(f"{reverse('students:list')}?overdue=1")
    assert overdue.status_code == 200
    assert overdue.context["page_obj"].paginator.count == 1


def test_every_todo_item_links_a_page_staff_can_open(client, staf, school_a, media):
    from campaigns.card_models import HandoverBatch, HandoverItem
    from students import dates

    today = dates.today()
    campaign = CampaignFactory(
        year=today.year,
        first_day=today - datetime.timedelta(days=3),
        last_day=today + datetime.timedelta(days=30),
        schools=[school_a],
    )
    visit = VisitFactory(campaign=campaign, school=school_a, date=today)
    waiting = HandoverBatch.objects.create(school=school_a, visit=visit)
    HandoverItem.objects.create(batch=waiting, student=StudentFactory(school=school_a))
    emptied = HandoverBatch.objects.create(school=SchoolFactory())  # nothing left to hand over
    HandoverItem.objects.create(
        batch=emptied, student=StudentFactory(), state=HandoverItem.State.HANDED_OVER
    )
    client.force_login(staf)

    response = client.get(reverse("home"))

    todo = {item.key: item for item in response.context["todo"]}
    assert list(todo) == [
        "uploads",
        "moves",
        "unvisited",
        "due_for_print",
        "waiting_blanko",
        "batches",
        "print_ready",
        "overdue",
    ]
    assert (todo["batches"].count, todo["batches"].url) == (1, reverse("campaigns:batches"))
    assert todo["due_for_print"].url == reverse("campaigns:cards_queue")
    body = response.content.decode()
    assert 'data-testid="todo-batches"' in body
    for item in todo.values():
        assert f'href="{item.url}"' in body
        assert client.get(item.url).status_code == 200, item.key


def test_pimpinan_dashboard_holds_no_student_name_or_nik(client, pimpinan, school_a):
    student = StudentFactory(school=school_a, name="Rahmat Hidayat", birth_date=OLD)
    CampaignFactory(
        year=2026,
        schools=[school_a],
        first_day=datetime.date(2026, 1, 5),
        last_day=datetime.date(2026, 12, 31),
    )
    client.force_login(pimpinan)

    response = client.get(reverse("campaigns:dashboard"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Rahmat Hidayat" not in body
    assert student.nik not in body and student.nik[:6] + "*" not in body
    assert response.context["figures"]["progress"]["overdue"] == 1
    assert school_a.name in body


def test_dashboard_sorts_schools_by_overdue(client, staf):
    schools = _schools(2)
    StudentFactory(school=schools[1], birth_date=OLD)
    client.force_login(staf)

    response = client.get(reverse("campaigns:dashboard"), {"sort": "-overdue"})

    assert [row["pk"] for row in response.context["schools"]] == [schools[1].pk, schools[0].pk]
    assert response.context["sort"] == "-overdue"


def test_coordinator_home_shows_own_school_figures_only(client, koordinator_a, school_a, school_b):
    campaign = CampaignFactory(
        year=2026,
        schools=[school_a, school_b],
        first_day=datetime.date(2026, 1, 5),
        last_day=datetime.date(2026, 12, 31),
    )
    StudentFactory(school=school_a, birth_date=OLD)
    StudentFactory.create_batch(3, school=school_b, birth_date=OLD)
    assert campaign.pk
    client.force_login(koordinator_a)

    response = client.get(reverse("home"))

    assert response.context["figures"]["progress"]["overdue"] == 1
    assert "years" not in response.context["figures"]
    assert school_b.name not in response.content.decode()


def test_coverage_is_entered_corrected_and_refused_when_impossible(client, staf):
    client.force_login(staf)
    url = reverse("campaigns:coverage")

    client.post(url, {"year": 2018, "obliged": 91117, "without_ktp": 3645})
    client.post(url, {"year": 2018, "obliged": 91117, "without_ktp": 3640})
    refused = client.post(url, {"year": 2018, "obliged": 100, "without_ktp": 101})

    entry = RegencyCoverage.objects.get()
    assert (entry.year, entry.obliged, entry.without_ktp) == (2018, 91117, 3640)
    assert entry.without_percent == 4.0
    assert refused.status_code == 200
    assert "Tidak boleh lebih dari" in refused.content.decode()
    dashboard = client.get(reverse("campaigns:dashboard"))
    assert dashboard.context["figures"]["coverage"][0]["without_ktp"] == 3640


def _two_recorded_in_2025(kecamatan, staf):
    """Two students recorded at a 2025 visit of a school in `kecamatan`."""
    campaign = CampaignFactory(
        year=2025, first_day=datetime.date(2025, 8, 1), last_day=datetime.date(2025, 11, 28)
    )
    school = SchoolFactory(name="SMA Negeri 2 Paringin", kecamatan=kecamatan)
    day = datetime.date(2025, 8, 5)
    VisitFactory(campaign=campaign, school=school, date=day)
    for student in StudentFactory.create_batch(
        2, school=school, birth_date=datetime.date(2008, 3, 1)
    ):
        lifecycle.apply(student, EventKind.RECORDED, on=day, by=staf)


def test_coverage_per_kecamatan_shows_the_trend_and_the_programmes_share(client, staf, pimpinan):
    from schools.models import Region

    paringin, juai = (Region.objects.get(code=code) for code in ("63.11.06", "63.11.01"))
    client.force_login(staf)
    url = reverse("campaigns:coverage")
    client.post(url, {"year": 2024, "obliged": 90000, "without_ktp": 4000})
    client.post(url, {"year": 2025, "kecamatan": paringin.pk, "obliged": 20000, "without_ktp": 800})
    client.post(url, {"year": 2025, "kecamatan": juai.pk, "obliged": 10000, "without_ktp": 200})
    _two_recorded_in_2025(paringin, staf)
    assert RegencyCoverage.objects.count() == 3
    client.force_login(pimpinan)

    response = client.get(reverse("campaigns:dashboard"))

    figures = response.context["figures"]
    assert figures["coverage"] == [
        {
            "year": 2024,
            "obliged": 90000,
            "without_ktp": 4000,
            "without_percent": 4.4,
            "recorded": 0,
            "share": 0,
            "summed": False,
        },
        {
            "year": 2025,
            "obliged": 30000,
            "without_ktp": 1000,
            "without_percent": 3.3,
            "recorded": 2,
            "share": 0.2,
            "summed": True,
        },
    ]
    assert figures["coverage_kecamatan"] == [
        {
            "name": "Juai",
            "rows": [
                {
                    "year": 2025,
                    "obliged": 10000,
                    "without_ktp": 200,
                    "without_percent": 2.0,
                    "recorded": 0,
                    "share": 0,
                }
            ],
        },
        {
            "name": "Paringin",
            "rows": [
                {
                    "year": 2025,
                    "obliged": 20000,
                    "without_ktp": 800,
                    "without_percent": 4.0,
                    "recorded": 2,
                    "share": 0.2,
                }
            ],
        },
    ]
    body = response.content.decode()
    assert body.count('data-testid="coverage-kecamatan-row"') == 2
    assert 'id="coverage-chart"' in body
    assert response.context["charts"]["coverage"]["without_ktp"] == [4000, 1000]


def test_yearly_report_pdf_text(client, pimpinan, staf):
    campaign = CampaignFactory(
        year=2025,
        name="Perekaman 2025",
        first_day=datetime.date(2025, 8, 1),
        last_day=datetime.date(2025, 11, 28),
    )
    school = SchoolFactory(name="SMA Negeri 2 Paringin")
    day = datetime.date(2025, 8, 5)
    VisitFactory(campaign=campaign, school=school, date=day)
    student = StudentFactory(
        school=school, birth_date=datetime.date(2008, 3, 1), name="Rahmat Hidayat"
    )
    lifecycle.apply(student, EventKind.RECORDED, on=day, by=staf)
    assert student.status == Status.RECORDED
    client.force_login(pimpinan)

    response = client.get(reverse("campaigns:report_pdf", args=[2025]))

    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_to_text(response.content)
    assert "Laporan" in text and "2025" in text
    assert "SMA Negeri 2 Paringin 1 0 0" in text
    assert "Rahmat Hidayat" not in text


def test_yearly_report_pdf_has_the_coverage_per_kecamatan(client, staf, pimpinan):
    from schools.models import Region

    paringin, juai = (Region.objects.get(code=code) for code in ("63.11.06", "63.11.01"))
    client.force_login(staf)
    url = reverse("campaigns:coverage")
    client.post(url, {"year": 2025, "kecamatan": paringin.pk, "obliged": 20000, "without_ktp": 800})
    client.post(url, {"year": 2025, "kecamatan": juai.pk, "obliged": 10000, "without_ktp": 200})
    client.post(url, {"year": 2024, "kecamatan": juai.pk, "obliged": 9000, "without_ktp": 300})
    _two_recorded_in_2025(paringin, staf)
    client.force_login(pimpinan)

    text = pdf_to_text(client.get(reverse("campaigns:report_pdf", args=[2025])).content)

    # The regency row is the sum of the kecamatan entered: 30,000 obliged, 1,000 without.
    assert "Penduduk wajib KTP (jumlah dari kecamatan) 30.000" in text
    assert "Cakupan per kecamatan" in text
    assert "Juai 10.000 200 (2,0%) 0 0,0%" in text
    assert "Paringin 20.000 800 (4,0%) 2 0,2%" in text
    assert "9.000" not in text  # 2024's entry is not this year's


def test_coverage_form_offers_only_the_offices_kecamatan_by_name(client, staf):
    from schools.models import Region

    client.force_login(staf)
    url = reverse("campaigns:coverage")

    choices = [
        label for _value, label in client.get(url).context["form"].fields["kecamatan"].choices
    ]
    elsewhere = Region.objects.get(code="13.05.04")  # in West Sumatra
    refused = client.post(
        url, {"year": 2025, "kecamatan": elsewhere.pk, "obliged": 5, "without_ktp": 1}
    )

    assert choices == [
        "Seluruh kabupaten", "Awayan", "Batu Mandi", "Halong", "Juai", "Lampihong", "Paringin",
        "Paringin Selatan", "Tebing Tinggi",
    ]  # fmt: skip
    assert refused.status_code == 200 and "kecamatan" in refused.context["form"].errors
    assert RegencyCoverage.objects.count() == 0


# The yearly PDF for the head of office (no second factor), whatever the number of schools
# and kecamatan: 1 session, 2 user, 3-4 permissions (user's, groups'), then 5 the campaign
# years, 6 the campaigns' names, 7 the visit rows, 8 the coverage entries with their
# kecamatan.
@pytest.mark.parametrize("count", [1, 3])
def test_yearly_report_pdf_query_count_is_fixed(
    client, staf, pimpinan, django_assert_num_queries, count
):
    from schools.models import Region

    kecamatan = list(Region.objects.filter(code__startswith="63.11.").order_by("code")[:count])
    campaign = CampaignFactory(
        year=2025, first_day=datetime.date(2025, 8, 1), last_day=datetime.date(2025, 11, 28)
    )
    day = datetime.date(2025, 8, 5)
    for place in kecamatan:
        RegencyCoverage.objects.create(year=2025, kecamatan=place, obliged=1000, without_ktp=50)
        school = SchoolFactory(kecamatan=place)
        VisitFactory(campaign=campaign, school=school, date=day)
        student = StudentFactory(school=school, birth_date=datetime.date(2008, 3, 1))
        lifecycle.apply(student, EventKind.RECORDED, on=day, by=staf)
    client.force_login(pimpinan)

    with django_assert_num_queries(8):
        response = client.get(reverse("campaigns:report_pdf", args=[2025]))

    text = pdf_to_text(response.content)
    assert text.count("1.000 50 (5,0%) 1 2,0%") == count
