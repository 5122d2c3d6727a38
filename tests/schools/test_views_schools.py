"""The school registry pages: list and filters, a school's page, create, edit, blackouts,
coordinators."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from schools.models import BlackoutPeriod, Region, School
from students import lifecycle
from students.models import EventKind
from tests.campaigns.factories import VisitFactory
from tests.factories import BlackoutPeriodFactory, SchoolFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("schools:list")
WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def school_post(**overrides):
    data = {
        "name": "MA Negeri 1 Balangan",
        "kind": "MA",
        "pesantren_level": "",
        "npsn": "",
        "nsm": "131163110001",
        "nspp": "",
        "kecamatan": "63.11.06",
        "address": "",
        "head_name": "",
        "phone": "",
        "latitude": "",
        "longitude": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def names_on_page(response):
    return [school.name for school, _total, _counts in response.context["rows"]]


# The list --------------------------------------------------------------------------------


def test_list_counts_students_per_status(client, staf, school_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 29, 10, tzinfo=WITA), tick=False)
    recorded = StudentFactory(school=school_a)
    StudentFactory.create_batch(2, school=school_a)
    lifecycle.apply(recorded, EventKind.RECORDED, on=datetime.date(2026, 11, 20), by=staf)
    client.force_login(staf)

    response = client.get(LIST)

    school, total, counts = response.context["rows"][0]
    assert (school, total) == (school_a, 3)
    assert dict(
        zip([value for value, _label in response.context["statuses"]], counts, strict=True)
    ) == {
        "on_roster": 2,
        "scheduled": 0,
        "recorded": 1,
        "siak_problem": 0,
        "print_ready": 0,
        "due_for_print": 0,
        "waiting_blanko": 0,
        "printed": 0,
        "handed_over": 0,
        "closed": 0,
    }


def test_list_filters_by_kind(client, staf):
    SchoolFactory(name="SMK Negeri 1 Paringin", kind="SMK")
    SchoolFactory(name="SMA Negeri 2 Paringin", kind="SMA")
    client.force_login(staf)

    response = client.get(LIST, {"kind": "SMK"})

    assert names_on_page(response) == ["SMK Negeri 1 Paringin"]


def test_list_filters_by_kecamatan(client, staf):
    SchoolFactory(name="SMA Negeri 1 Halong", kecamatan=Region.objects.get(code="63.11.02"))
    SchoolFactory(name="SMA Negeri 1 Paringin", kecamatan=Region.objects.get(code="63.11.06"))
    client.force_login(staf)

    response = client.get(LIST, {"kecamatan": "63.11.02"})

    assert names_on_page(response) == ["SMA Negeri 1 Halong"]


@pytest.mark.parametrize("query", ["paringin", "3030 4567"])
def test_list_search_by_name_or_code(client, staf, school_a, school_b, query):
    client.force_login(staf)

    response = client.get(LIST, {"q": query})

    assert names_on_page(response) == ["SMA Negeri 1 Paringin"]


def test_list_kecamatan_outside_regency_is_not_a_choice(client, staf):
    client.force_login(staf)

    response = client.get(LIST, {"kecamatan": "63.08.01"})

    assert [e.code for e in response.context["filter"].form.errors.as_data()["kecamatan"]] == [
        "invalid_choice"
    ]


def test_list_paginates_by_twenty_five(client, staf):
    for number in range(26):
        SchoolFactory(name=f"Sekolah {number:02d}")
    client.force_login(staf)

    second = client.get(LIST, {"page": 2})

    assert names_on_page(second) == ["Sekolah 25"]


def test_list_coordinator_sees_only_own_school(client, koordinator_a, school_a, school_b):
    client.force_login(koordinator_a)

    response = client.get(LIST)

    assert names_on_page(response) == ["SMA Negeri 1 Paringin"]
    assert "SMA Negeri 1 Halong" not in response.content.decode()


# A fixed number of queries whether the page shows one school or three:
#  1. session, 2. user, 3. the user's own permissions, 4. their groups' permissions,
#  5. count for the paginator, 6. the page of schools joined with kecamatan, 7. the
#  student counts per status of the schools on the page (one GROUP BY), 8. the kecamatan
#  filter choices.
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_fixed(client, staf, django_assert_num_queries, count):
    for _number in range(count):
        StudentFactory.create_batch(2, school=SchoolFactory())
    client.force_login(staf)

    with django_assert_num_queries(9):
        response = client.get(LIST)

    assert len(response.context["rows"]) == count


# The school page -------------------------------------------------------------------------


# A fixed number of queries whether the page lists one or three coordinators, blackout
# periods and students:
#  1. session, 2. user, 3. the user's own permissions, 4. their groups' permissions,
#  5. the school joined with kecamatan, 6. its students counted by status (one GROUP BY),
#  7. the coordinators, 8. the teachers the coordinator form offers, 9. the blackout periods,
#  10. the school's visits with their teams (the visits section).
@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_is_fixed(client, staf, school_a, django_assert_num_queries, count):
    for number in range(count):
        school_a.coordinators.add(UserFactory(username=f"guru{number}", role="koordinator"))
        BlackoutPeriodFactory(
            school=school_a,
            start=datetime.date(2026, 12, 1 + 7 * number),
            end=datetime.date(2026, 12, 3 + 7 * number),
        )
    StudentFactory.create_batch(count, school=school_a)
    for number in range(count):
        VisitFactory(school=school_a, date=datetime.date(2027, 1, 4 + number))
    client.force_login(staf)

    with django_assert_num_queries(11):
        response = client.get(reverse("schools:detail", args=[school_a.pk]))

    assert len(response.context["coordinators"]) == count
    assert len(response.context["blackouts"]) == count
    assert response.context["n_students"] == count
    assert response.content.decode().count('data-testid="school-visit"') == count


def test_detail_shows_coordinators_blackouts_and_student_link(
    client, staf, school_a, koordinator_a
):
    BlackoutPeriodFactory(
        school=school_a,
        start=datetime.date(2026, 12, 1),
        end=datetime.date(2026, 12, 12),
        reason="Ujian semester ganjil",
    )
    StudentFactory.create_batch(2, school=school_a)
    client.force_login(staf)

    response = client.get(reverse("schools:detail", args=[school_a.pk]))

    body = response.content.decode()
    assert list(response.context["coordinators"]) == [koordinator_a]
    assert [(b.start, b.end, b.reason) for b in response.context["blackouts"]] == [
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 12), "Ujian semester ganjil")
    ]
    assert response.context["n_students"] == 2
    assert f'href="/siswa/?school={school_a.pk}"' in body


# Create and edit -------------------------------------------------------------------------


def test_create_saves_school(client, staf):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(nsm="131 1631 10001"))

    school = School.objects.get()
    assert response["Location"] == reverse("schools:detail", args=[school.pk])
    assert (school.name, school.kind, school.nsm, school.npsn, school.kecamatan_id) == (
        "MA Negeri 1 Balangan",
        "MA",
        "131163110001",
        "",
        "63.11.06",
    )


def test_create_without_identifier_asks_for_the_one_of_its_kind(client, staf):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(nsm=""))

    assert response.status_code == 200
    assert response.context["form"].errors == {"nsm": ["A school of kind MA needs its NSM."]}
    assert School.objects.count() == 0


def test_create_without_kind_or_identifier_asks_for_one_identifier(client, staf):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(kind="", nsm=""))

    assert response.context["form"].errors == {
        "kind": ["This field is required."],
        "npsn": ["Fill in at least one identifier: NPSN, NSM or NSPP."],
    }
    assert School.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("npsn", "3030456", "An NPSN has exactly 8 letters or digits."),
        ("npsn", "30304567X", "An NPSN has exactly 8 letters or digits."),
        ("nsm", "121163110001", "An NSM has exactly 12 digits and starts with 131."),
        ("nsm", "13116311000", "An NSM has exactly 12 digits and starts with 131."),
        ("nspp", "51016311000A", "An NSPP has exactly 12 digits."),
    ],
)
def test_create_bad_identifier_is_a_form_error(client, staf, field, value, message):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(**{field: value}))

    assert response.context["form"].errors == {field: [message]}
    assert School.objects.count() == 0


def test_create_duplicate_npsn_is_a_form_error(client, staf, school_a):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(npsn="30304567"))

    assert response.context["form"].errors == {
        "npsn": ["SMA Negeri 1 Paringin already has this NPSN."]
    }
    assert School.objects.count() == 1


def test_edit_keeping_own_identifier_is_accepted(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:edit", args=[school_a.pk]),
        school_post(kind="SMA", npsn="30304567", nsm=""),
    )

    assert response.status_code == 302


def test_create_kecamatan_outside_regency_is_refused(client, staf):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(kecamatan="63.08.01"))

    assert [e.code for e in response.context["form"].errors.as_data()["kecamatan"]] == [
        "invalid_choice"
    ]


def test_edit_school_of_another_regency_keeps_its_kecamatan(client, staf):
    from schools.models import Region
    from tests.factories import SchoolFactory

    tabalong = SchoolFactory(
        name="SMA Negeri 1 Tanjung", npsn="30300001", kecamatan=Region.objects.get(code="63.09.01")
    )
    client.force_login(staf)

    response = client.post(
        reverse("schools:edit", args=[tabalong.pk]),
        school_post(
            name="SMAN 1 Tanjung", kind="SMA", npsn="30300001", nsm="", kecamatan="63.09.01"
        ),
    )

    assert response.status_code == 302
    tabalong.refresh_from_db()
    assert (tabalong.name, tabalong.kecamatan_id) == ("SMAN 1 Tanjung", "63.09.01")


def test_edit_saves_changes(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:edit", args=[school_a.pk]),
        school_post(
            name="SMAN 1 Paringin", kind="SMA", npsn="30304567", nsm="", head_name="Drs. H. Ahmad"
        ),
    )

    assert response.status_code == 302
    school_a.refresh_from_db()
    assert (school_a.name, school_a.npsn, school_a.head_name) == (
        "SMAN 1 Paringin",
        "30304567",
        "Drs. H. Ahmad",
    )


def test_edit_pesantren_level_only_for_pesantren(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:edit", args=[school_a.pk]),
        school_post(kind="SMA", npsn="30304567", pesantren_level="ulya"),
    )

    assert response.context["form"].errors == {
        "pesantren_level": ["Only a pesantren has a pesantren level."]
    }


# Coordinates, phone and what a kind needs (issue 14) -------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("latitude", "115.6", "latitude_range"),
        ("latitude", "-90.5", "latitude_range"),
        ("longitude", "180.000001", "longitude_range"),
        ("longitude", "-200", "longitude_range"),
    ],
)
def test_create_coordinate_out_of_range_is_refused(client, staf, field, value, code):
    client.force_login(staf)
    data = school_post(latitude="-2.3", longitude="115.6") | {field: value}

    response = client.post(reverse("schools:create"), data)

    assert [e.code for e in response.context["form"].errors.as_data()[field]] == [code]
    assert School.objects.count() == 0


def test_create_one_coordinate_alone_is_refused(client, staf):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(latitude="-2.3"))

    assert [e.code for e in response.context["form"].errors.as_data()["longitude"]] == [
        "coordinates_incomplete"
    ]


def test_create_coordinates_in_the_regency_saved_without_warning(client, staf):
    client.force_login(staf)

    response = client.post(
        reverse("schools:create"), school_post(latitude="-2.325", longitude="115.472")
    )

    school = School.objects.get()
    assert (school.latitude, school.longitude) == (Decimal("-2.325000"), Decimal("115.472000"))
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_create_coordinates_far_outside_the_regency_saved_with_warning(client, staf):
    client.force_login(staf)

    # Latitude and longitude of Paringin, swapped in sign: north of the equator.
    response = client.post(
        reverse("schools:create"), school_post(latitude="2.325", longitude="115.472")
    )

    assert School.objects.count() == 1
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "The coordinates 2.325, 115.472 lie 514 km from Kabupaten Balangan: check them "
        "(were latitude and longitude swapped?)."
    ]


def test_create_far_outside_is_measured_from_the_configured_regency(client, staf, settings):
    settings.OFFICE_AREA_CENTRE = (-3.3, 114.6)  # another regency's office
    settings.OFFICE_AREA_RADIUS_KM = 40
    settings.OFFICE_REGENCY_NAME = "Kota Banjarmasin"
    client.force_login(staf)

    response = client.post(
        reverse("schools:create"), school_post(latitude="-2.325", longitude="115.472")
    )

    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "The coordinates -2.325, 115.472 lie 145 km from Kota Banjarmasin: check them "
        "(were latitude and longitude swapped?)."
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0526 2028123", "05262028123"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("(0526) 2028.123", "05262028123"),
        ("", ""),
    ],
)
def test_create_phone_digits_with_optional_prefix_saved(client, staf, typed, stored):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(phone=typed))

    assert response.status_code == 302
    assert School.objects.get().phone == stored


@pytest.mark.parametrize(
    "typed", ["0812-ABC-123", "++62812345678", "62+812345678", "0123", "0812 3456 7890 1234"]
)
def test_create_phone_not_a_number_is_refused(client, staf, typed):
    client.force_login(staf)

    response = client.post(reverse("schools:create"), school_post(phone=typed))

    assert [e.code for e in response.context["form"].errors.as_data()["phone"]] == ["phone_format"]


def test_edit_kind_to_pesantren_asks_for_nspp_and_level(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:edit", args=[school_a.pk]),
        school_post(kind="PESANTREN", npsn="30304567", nsm=""),
    )

    assert {
        field: [e.code for e in errors]
        for field, errors in response.context["form"].errors.as_data().items()
    } == {"nspp": ["identifier_for_kind"], "pesantren_level": ["pesantren_level_missing"]}
    school_a.refresh_from_db()
    assert school_a.kind == "SMA"


def test_edit_kind_to_pesantren_with_nspp_and_level_saved(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:edit", args=[school_a.pk]),
        school_post(
            kind="PESANTREN", npsn="30304567", nsm="", nspp="510063110001", pesantren_level="ulya"
        ),
    )

    assert response.status_code == 302
    school_a.refresh_from_db()
    assert (school_a.kind, school_a.nspp, school_a.pesantren_level) == (
        "PESANTREN",
        "510063110001",
        "ulya",
    )


def test_edit_kind_to_ma_asks_for_nsm(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:edit", args=[school_a.pk]),
        school_post(kind="MA", npsn="30304567", nsm=""),
    )

    assert [e.code for e in response.context["form"].errors.as_data()["nsm"]] == [
        "identifier_for_kind"
    ]


def test_edit_other_fields_of_imported_pesantren_without_level_saved(client, staf):
    pesantren = SchoolFactory(name="Ponpes Darussalam", kind="PESANTREN", npsn="69912345")
    client.force_login(staf)

    response = client.post(
        reverse("schools:edit", args=[pesantren.pk]),
        school_post(name="Pondok Pesantren Darussalam", kind="PESANTREN", npsn="69912345", nsm=""),
    )

    assert response.status_code == 302
    pesantren.refresh_from_db()
    assert pesantren.name == "Pondok Pesantren Darussalam"


def test_detail_shows_coordinates(client, staf, school_a):
    school_a.latitude, school_a.longitude = Decimal("-2.325000"), Decimal("115.470000")
    school_a.save()
    client.force_login(staf)

    response = client.get(reverse("schools:detail", args=[school_a.pk]))

    assert response.context["coordinates"] == "-2.325, 115.47"
    assert "-2.325, 115.47</a>" in response.content.decode()


def test_detail_without_coordinates_shows_a_dash(client, staf, school_a):
    client.force_login(staf)

    response = client.get(reverse("schools:detail", args=[school_a.pk]))

    assert response.context["coordinates"] == ""
    assert 'data-testid="school-coordinates">—</dd>' in response.content.decode()


# Blackout periods ------------------------------------------------------------------------


def test_blackout_add_saves_period(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:blackout_add", args=[school_a.pk]),
        {"start": "2027-06-07", "end": "2027-06-18", "reason": "Ujian akhir semester"},
    )

    assert response["Location"] == reverse("schools:detail", args=[school_a.pk]) + "#blackouts"
    assert list(school_a.blackouts.values_list("start", "end", "reason")) == [
        (datetime.date(2027, 6, 7), datetime.date(2027, 6, 18), "Ujian akhir semester")
    ]


def test_blackout_add_end_before_start_is_refused(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:blackout_add", args=[school_a.pk]),
        {"start": "2027-06-18", "end": "2027-06-07", "reason": "Ujian"},
    )

    assert response.status_code == 400
    assert response.context["blackout_form"].errors == {
        "end": ["The last day cannot be before the first day."]
    }
    assert BlackoutPeriod.objects.count() == 0


def test_blackout_add_without_reason_is_refused(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:blackout_add", args=[school_a.pk]),
        {"start": "2027-06-07", "end": "2027-06-07", "reason": ""},
    )

    assert list(response.context["blackout_form"].errors) == ["reason"]
    assert BlackoutPeriod.objects.count() == 0


def test_blackout_delete_removes_period(client, staf, school_a):
    blackout = BlackoutPeriodFactory(school=school_a)
    client.force_login(staf)

    response = client.post(reverse("schools:blackout_delete", args=[school_a.pk, blackout.pk]))

    assert response.status_code == 302
    assert BlackoutPeriod.objects.count() == 0


def test_blackout_delete_through_another_school_is_404(client, staf, school_a, school_b):
    blackout = BlackoutPeriodFactory(school=school_b)
    client.force_login(staf)

    response = client.post(reverse("schools:blackout_delete", args=[school_a.pk, blackout.pk]))

    assert response.status_code == 404
    assert BlackoutPeriod.objects.count() == 1


# Coordinators ----------------------------------------------------------------------------


def test_coordinator_add_assigns_user(client, staf, school_a):
    teacher = UserFactory(username="guru_paringin", role="koordinator")
    client.force_login(staf)

    response = client.post(
        reverse("schools:coordinator_add", args=[school_a.pk]), {"user": teacher.pk}
    )

    assert response.status_code == 302
    assert list(school_a.coordinators.all()) == [teacher]


def test_coordinator_changes_are_audit_logged(client, staf, school_a, caplog):
    teacher = UserFactory(username="guru_paringin", role="koordinator")
    client.force_login(staf)

    with caplog.at_level("INFO", logger="ktpku.audit"):
        client.post(reverse("schools:coordinator_add", args=[school_a.pk]), {"user": teacher.pk})
        client.post(reverse("schools:coordinator_remove", args=[school_a.pk, teacher.pk]))

    assert [r.getMessage() for r in caplog.records if r.name == "ktpku.audit"] == [
        f"coordinator_added school={school_a.pk} user={teacher.pk} by={staf.pk}",
        f"coordinator_removed school={school_a.pk} user={teacher.pk} by={staf.pk}",
    ]


def test_coordinator_add_refuses_user_without_coordinator_role(client, staf, school_a, petugas):
    client.force_login(staf)

    response = client.post(
        reverse("schools:coordinator_add", args=[school_a.pk]), {"user": petugas.pk}
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["coordinator_form"].errors.as_data()["user"]] == [
        "invalid_choice"
    ]
    assert list(school_a.coordinators.all()) == []


def test_coordinator_remove_unassigns_user(client, staf, school_a, koordinator_a):
    client.force_login(staf)

    response = client.post(
        reverse("schools:coordinator_remove", args=[school_a.pk, koordinator_a.pk])
    )

    assert response.status_code == 302
    assert list(school_a.coordinators.all()) == []
    assert koordinator_a.is_active is True


def test_coordinator_remove_of_non_coordinator_is_404(client, staf, school_a, koordinator_b):
    client.force_login(staf)

    response = client.post(
        reverse("schools:coordinator_remove", args=[school_a.pk, koordinator_b.pk])
    )

    assert response.status_code == 404
    assert list(koordinator_b.coordinated_schools.all()) == [
        koordinator_b.coordinated_schools.get()
    ]


def test_coordinator_picker_offers_unassigned_accounts_only(
    client, staf, school_a, koordinator_a, koordinator_b
):
    UserFactory(username="guru_baru", role="koordinator")
    UserFactory(username="guru_pensiun", role="koordinator", is_active=False)
    client.force_login(staf)

    response = client.get(reverse("schools:detail", args=[school_a.pk]))

    picker = response.context["coordinator_form"].fields["user"]
    # Not koord_a (already listed above, with "remove"), not koord_b (school B's).
    assert [user.username for user in picker.queryset] == ["guru_baru"]


def test_coordinator_add_other_schools_coordinator_refused(
    client, staf, school_a, koordinator_b, school_b
):
    client.force_login(staf)

    response = client.post(
        reverse("schools:coordinator_add", args=[school_a.pk]), {"user": koordinator_b.pk}
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["coordinator_form"].errors.as_data()["user"]] == [
        "invalid_choice"
    ]
    assert list(koordinator_b.coordinated_schools.all()) == [school_b]
