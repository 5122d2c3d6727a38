"""The student registry pages: list, search, filters, the student page, create and edit."""

import datetime
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from students import lifecycle
from students.models import EventKind, SchoolMoveRequest, Status, Student, StudentEvent
from tests.factories import SchoolFactory, StudentFactory, UserFactory, make_nik

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
LIST = reverse("students:list")


@pytest.fixture
def office_day(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 29, 10, 0, tzinfo=WITA), tick=False)
    return datetime.date(2026, 11, 29)


def names_on_page(response):
    return [student.name for student in response.context["page_obj"]]


def message_texts(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def valid_student_post(school, **overrides):
    data = {
        "name": "Nur Aisyah",
        "nik": "6311064508100001",
        "kk_number": "",
        "nisn": "0101234567",
        "sex": "P",
        "birth_place": "Paringin",
        "birth_date": "2010-08-05",
        "marital_status": "belum_kawin",
        "school": school.pk,
        "class_name": "XI IPA 2",
        "guardian_name": "",
        "guardian_phone": "",
        "consent_by": "",
        "consent_on": "",
        "consent_method": "",
    }
    data.update(overrides)
    return data


# The list --------------------------------------------------------------------------------


def test_list_masks_every_nik(client, staf, school_a):
    student = StudentFactory(school=school_a, birth_date=datetime.date(2010, 5, 17), sex="L")
    client.force_login(staf)

    response = client.get(LIST)

    body = response.content.decode()
    assert student.nik[:6] + "**********" in body
    assert student.nik not in body


def test_list_orders_by_name(client, staf, school_a):
    for name in ["Citra", "Ahmad", "Budi"]:
        StudentFactory(school=school_a, name=name)
    client.force_login(staf)

    response = client.get(LIST)

    assert names_on_page(response) == ["Ahmad", "Budi", "Citra"]


def test_list_paginates_by_twenty_five(client, staf, school_a):
    for number in range(26):
        StudentFactory(school=school_a, name=f"Siswa {number:02d}")
    client.force_login(staf)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(names_on_page(first)) == 25
    assert names_on_page(second) == ["Siswa 25"]


def test_list_search_by_name_is_case_insensitive(client, staf, school_a):
    StudentFactory(school=school_a, name="Muhammad Rizki")
    StudentFactory(school=school_a, name="Siti Rahmah")
    client.force_login(staf)

    response = client.get(LIST, {"q": "rizki"})

    assert names_on_page(response) == ["Muhammad Rizki"]


def test_list_search_by_nisn_prefix(client, staf, school_a):
    StudentFactory(school=school_a, name="Ahmad", nisn="0098765432")
    StudentFactory(school=school_a, name="Budi", nisn="0012345678")
    client.force_login(staf)

    response = client.get(LIST, {"q": "00987"})

    assert names_on_page(response) == ["Ahmad"]


def test_list_query_with_sixteen_digits_is_refused(client, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.get(LIST, {"q": student.nik})

    errors = response.context["filter"].form.errors.as_data()
    assert [error.code for error in errors["q"]] == ["nik_in_url"]


def test_nik_search_post_redirects_to_the_student(client, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.post(LIST, {"nik": f"'{student.nik[:8]} {student.nik[8:]}"})

    assert response.status_code == 302
    assert response["Location"] == reverse("students:detail", args=[student.pk])


@pytest.mark.parametrize(
    "paste",
    [
        lambda nik: f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}.{nik[6:12]}.{nik[12:]}",
        lambda nik: f"{nik[:6]}-{nik[6:12]}-{nik[12:]}",
        lambda nik: f" {nik[:4]} {nik[4:8]} – {nik[8:]} ",
    ],
    ids=["dots", "dashes", "spaces-and-en-dash"],
)
def test_nik_search_post_pasted_with_dots_dashes_and_spaces_finds_the_student(
    client, staf, school_a, paste
):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.post(LIST, {"nik": paste(student.nik)})

    assert response.status_code == 302
    assert response["Location"] == reverse("students:detail", args=[student.pk])


def test_list_query_with_dashed_nik_is_refused(client, staf, school_a):
    client.force_login(staf)

    response = client.get(LIST, {"q": "631106-450810-0001"})

    assert [error.code for error in response.context["filter"].form.errors.as_data()["q"]] == [
        "nik_in_url"
    ]


def test_nik_search_post_unknown_nik_shows_form_error(client, staf, school_a):
    StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.post(LIST, {"nik": "6311060101100099"})

    assert response.status_code == 200
    assert response.context["nik_form"].errors == {"nik": ["None of your students has this NIK."]}


def test_nik_search_post_other_school_finds_nothing(client, koordinator_b, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(koordinator_b)

    response = client.post(LIST, {"nik": student.nik})

    assert response.status_code == 200
    assert response.context["nik_form"].errors == {"nik": ["None of your students has this NIK."]}
    assert names_on_page(response) == []


def test_list_filter_by_school(client, staf, school_a, school_b):
    StudentFactory(school=school_a, name="Ahmad")
    StudentFactory(school=school_b, name="Budi")
    client.force_login(staf)

    response = client.get(LIST, {"school": school_b.pk})

    assert names_on_page(response) == ["Budi"]


def test_list_filter_by_kecamatan(client, staf):
    from schools.models import Region

    halong = SchoolFactory(kecamatan=Region.objects.get(code="63.11.02"))
    paringin = SchoolFactory(kecamatan=Region.objects.get(code="63.11.06"))
    StudentFactory(school=halong, name="Ahmad")
    StudentFactory(school=paringin, name="Budi")
    client.force_login(staf)

    response = client.get(LIST, {"kecamatan": "63.11.02"})

    assert names_on_page(response) == ["Ahmad"]


def test_list_kecamatan_choices_are_the_office_regency(client, staf):
    client.force_login(staf)

    response = client.get(LIST)

    choices = [
        label for _value, label in response.context["filter"].form.fields["kecamatan"].choices
    ][1:]
    assert choices == [
        "Awayan",
        "Batu Mandi",
        "Halong",
        "Juai",
        "Lampihong",
        "Paringin",
        "Paringin Selatan",
        "Tebing Tinggi",
    ]


def test_list_filter_by_status(client, staf, school_a, office_day):
    recorded = StudentFactory(school=school_a, name="Ahmad")
    StudentFactory(school=school_a, name="Budi")
    lifecycle.apply(recorded, EventKind.RECORDED, on=office_day, by=staf)
    client.force_login(staf)

    response = client.get(LIST, {"status": Status.RECORDED})

    assert names_on_page(response) == ["Ahmad"]


def test_list_filter_turns_17_in_month(client, staf, school_a):
    StudentFactory(school=school_a, name="Awal", birth_date=datetime.date(2010, 3, 1))
    StudentFactory(school=school_a, name="Akhir", birth_date=datetime.date(2010, 3, 31))
    StudentFactory(school=school_a, name="Sebelum", birth_date=datetime.date(2010, 2, 28))
    StudentFactory(school=school_a, name="Sesudah", birth_date=datetime.date(2010, 4, 1))
    client.force_login(staf)

    response = client.get(LIST, {"turns_17": "2027-03"})

    assert names_on_page(response) == ["Akhir", "Awal"]


def test_list_filter_turns_17_leap_day_counts_in_march(client, staf, school_a, settings):
    settings.LEAP_DAY_BIRTHDAY = "03-01"
    StudentFactory(school=school_a, name="Kabisat", birth_date=datetime.date(2008, 2, 29))
    client.force_login(staf)

    february = client.get(LIST, {"turns_17": "2025-02"})
    march = client.get(LIST, {"turns_17": "2025-03"})

    assert names_on_page(february) == []
    assert names_on_page(march) == ["Kabisat"]


def test_list_filter_turns_17_leap_day_counts_in_february_by_setting(
    client, staf, school_a, settings
):
    settings.LEAP_DAY_BIRTHDAY = "02-28"
    StudentFactory(school=school_a, name="Kabisat", birth_date=datetime.date(2008, 2, 29))
    client.force_login(staf)

    february = client.get(LIST, {"turns_17": "2025-02"})
    march = client.get(LIST, {"turns_17": "2025-03"})

    assert names_on_page(february) == ["Kabisat"]
    assert names_on_page(march) == []


def test_list_filter_turns_17_bad_month_is_a_form_error(client, staf, school_a):
    client.force_login(staf)

    response = client.get(LIST, {"turns_17": "2027-13"})

    errors = response.context["filter"].form.errors.as_data()
    assert [error.code for error in errors["turns_17"]] == ["month_invalid"]


# A fixed number of queries whether the page shows one student or three:
#  1. session, 2. user, 3. the user's own permissions, 4. their groups' permissions
#  (has_perm, cached for the request), 5. count for the paginator, 6. the school choices
#  and 7. the kecamatan choices of the filter form, 8. the page of students joined with
#  school and kecamatan.
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_fixed(client, staf, school_a, django_assert_num_queries, count):
    for _number in range(count):
        StudentFactory(school=SchoolFactory())
    client.force_login(staf)

    with django_assert_num_queries(9):
        response = client.get(LIST)

    assert len(names_on_page(response)) == count


# The student page ------------------------------------------------------------------------


# A fixed number of queries whether the timeline shows one event or three:
#  1. session, 2. user, 3. the user's own permissions, 4. their groups' permissions,
#  5. the student joined with school and kecamatan, 6. the "page opened" audit row
#  (LOG-04), 7. the events joined with who recorded them, 8. the confirmed school moves
#  with their schools and who decided them.
@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_is_fixed(client, staf, school_a, django_assert_num_queries, count):
    student = StudentFactory(school=school_a)
    kinds = [EventKind.SCHEDULED, EventKind.ABSENT, EventKind.SCHEDULED][:count]
    for number, kind in enumerate(kinds):
        by = UserFactory(username=f"petugas{number}", role="petugas")
        lifecycle.apply(student, kind, on=datetime.date(2026, 8, 1 + number), by=by)
    client.force_login(staf)

    with django_assert_num_queries(9):
        response = client.get(reverse("students:detail", args=[student.pk]))

    assert len(response.context["timeline"]) == count


def test_detail_staff_sees_the_nik_masked_until_revealed(client, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.get(reverse("students:detail", args=[student.pk]))

    body = response.content.decode()
    assert f'data-testid="student-nik">{student.nik[:6]}**********</dd>' in body
    assert student.nik not in body
    assert 'data-testid="reveal-nik"' in body


def test_detail_coordinator_sees_masked_nik(client, koordinator_a, school_a):
    student = StudentFactory(school=school_a, kk_number="6311060101080001")
    client.force_login(koordinator_a)

    response = client.get(reverse("students:detail", args=[student.pk]))

    body = response.content.decode()
    assert f'data-testid="student-nik">{student.nik[:6]}**********</dd>' in body
    assert student.nik not in body
    assert "6311060101080001" not in body
    assert "631106**********" in body


def test_detail_timeline_lists_events_with_who_reason_and_note(client, staf, school_a, office_day):
    student = StudentFactory(school=school_a)
    staf.first_name, staf.last_name = "Rina", "Operator"
    staf.save()
    lifecycle.apply(
        student,
        EventKind.CLOSED,
        on=datetime.date(2026, 11, 2),
        by=staf,
        reason="has_ktp",
        note="KTP-el dari Tabalong",
    )
    client.force_login(staf)

    response = client.get(reverse("students:detail", args=[student.pk]))

    events = response.context["timeline"]
    assert [
        (e.get_kind_display(), e.date, e.reason_label, e.note, e.recorded_by) for e in events
    ] == [
        ("Closed", datetime.date(2026, 11, 2), "Already has a KTP-el", "KTP-el dari Tabalong", staf)
    ]
    assert "recorded by Rina Operator" in response.content.decode()


def confirmed_move(client, staf, student, to_school):
    """A school move as staff confirm it on the moves page."""
    move = SchoolMoveRequest.objects.create(
        student=student, from_school=student.school, to_school=to_school
    )
    client.force_login(staf)
    client.post(reverse("rosters:move_confirm", args=[move.pk]))
    move.refresh_from_db()
    assert move.status == SchoolMoveRequest.Status.CONFIRMED
    return move


def test_detail_timeline_shows_confirmed_school_move(client, staf, school_a, office_day):
    staf.first_name, staf.last_name = "Rina", "Operator"
    staf.save()
    school_b = SchoolFactory(name="SMA Negeri 2 Paringin")
    student = StudentFactory(school=school_a, birth_date=datetime.date(2010, 5, 17))
    lifecycle.apply(student, EventKind.RECORDED, on=datetime.date(2026, 11, 20), by=staf)
    confirmed_move(client, staf, student, school_b)

    response = client.get(reverse("students:detail", args=[student.pk]))

    timeline = response.context["timeline"]
    assert [(entry.date, getattr(entry, "is_move", False)) for entry in timeline] == [
        (datetime.date(2026, 11, 20), False),
        (datetime.date(2026, 11, 29), True),
    ]
    move = timeline[1]
    assert (move.from_school, move.to_school, move.decided_by) == (
        school_a.name,
        "SMA Negeri 2 Paringin",
        "Rina Operator",
    )
    html = response.content.decode()
    assert 'data-testid="timeline-move"' in html
    assert f"From {school_a.name} to SMA Negeri 2 Paringin" in html
    assert "confirmed by Rina Operator" in html


def test_detail_timeline_with_only_a_move_is_not_empty(client, staf, school_a, office_day):
    student = StudentFactory(school=school_a)
    confirmed_move(client, staf, student, SchoolFactory())

    response = client.get(reverse("students:detail", args=[student.pk]))

    assert "Nothing has happened yet" not in response.content.decode()
    assert len(response.context["timeline"]) == 1


def test_detail_timeline_leaves_out_rejected_and_pending_moves(client, staf, school_a):
    student = StudentFactory(school=school_a)
    SchoolMoveRequest.objects.create(
        student=student, from_school=school_a, to_school=SchoolFactory()
    )
    SchoolMoveRequest.objects.create(
        student=student,
        from_school=school_a,
        to_school=SchoolFactory(),
        status=SchoolMoveRequest.Status.REJECTED,
    )
    client.force_login(staf)

    response = client.get(reverse("students:detail", args=[student.pk]))

    assert response.context["timeline"] == []


# A fixed number of queries whether the timeline holds one entry or three (an event and
# confirmed moves): 1. session, 2. user, 3. the user's own permissions, 4. their groups'
# permissions, 5. the student with school and kecamatan, 6. the "page opened" audit row,
# 7. the events with who recorded them, 8. the confirmed moves with their schools and who
# decided them.
@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_with_moves_is_fixed(
    client, staf, school_a, office_day, django_assert_num_queries, count
):
    student = StudentFactory(school=school_a, birth_date=datetime.date(2010, 5, 17))
    lifecycle.apply(student, EventKind.RECORDED, on=datetime.date(2026, 11, 20), by=staf)
    for _number in range(count - 1):
        confirmed_move(client, staf, student, SchoolFactory())
        student.refresh_from_db()
    client.force_login(staf)

    with django_assert_num_queries(9):
        response = client.get(reverse("students:detail", args=[student.pk]))

    assert len(response.context["timeline"]) == count


def test_detail_event_choices_follow_status(client, staf, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.get(reverse("students:detail", args=[student.pk]))

    kinds = [value for value, _label in response.context["event_form"].fields["kind"].choices]
    assert kinds == [
        "scheduled",
        "absent",
        "recording_failed",
        "refused",
        "not_yet_16",
        "recorded",
        "closed",
    ]


def test_detail_step_not_possible_yet_is_disabled_with_its_date(client, staf, school_a, office_day):
    # 16 since 17 May 2026, 17 on 17 May 2027: print ready, not yet due for print.
    student = StudentFactory(school=school_a, birth_date=datetime.date(2010, 5, 17))
    lifecycle.apply(student, EventKind.RECORDED, on=office_day, by=staf)
    lifecycle.apply(student, EventKind.PRINT_READY, on=office_day, by=staf)
    client.force_login(staf)

    response = client.get(reverse("students:detail", args=[student.pk]))

    assert list(response.context["event_form"].fields["kind"].choices) == [
        ("due_for_print", "Due for print (possible from 17 May 2027)"),
        ("closed", "Closed"),
    ]
    html = response.content.decode()
    assert '<option value="due_for_print" disabled>' in html
    assert '<option value="closed">Closed</option>' in html


def test_detail_coordinator_gets_no_event_form(client, koordinator_a, school_a):
    student = StudentFactory(school=school_a)
    client.force_login(koordinator_a)

    response = client.get(reverse("students:detail", args=[student.pk]))

    assert response.context["event_form"] is None
    assert 'data-testid="event-form"' not in response.content.decode()


# Recording events ------------------------------------------------------------------------


def test_record_event_moves_status_and_adds_event(client, staf, school_a, office_day):
    student = StudentFactory(school=school_a, birth_date=datetime.date(2010, 5, 17))
    client.force_login(staf)

    response = client.post(
        reverse("students:record_event", args=[student.pk]),
        {"kind": "recorded", "date": "2026-11-28", "note": "Aula"},
    )

    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.status, student.status_since) == ("recorded", datetime.date(2026, 11, 28))
    assert list(student.events.values_list("kind", "date", "note", "recorded_by")) == [
        ("recorded", datetime.date(2026, 11, 28), "Aula", staf.pk)
    ]


def test_record_event_refused_transition_is_a_form_error(client, staf, school_a, office_day):
    student = StudentFactory(school=school_a, name="Ahmad", birth_date=datetime.date(2011, 1, 10))
    client.force_login(staf)

    response = client.post(
        reverse("students:record_event", args=[student.pk]),
        {"kind": "recorded", "date": "2026-11-28"},
    )

    assert response.status_code == 400
    assert response.context["event_form"].non_field_errors() == [
        "Ahmad is not yet 16 on 28 November 2026: recording is possible from 10 January 2027."
    ]
    student.refresh_from_db()
    assert student.status == "on_roster"
    assert StudentEvent.objects.count() == 0


def test_record_event_scheduled_before_the_student_was_16_is_refused(
    client, staf, school_a, office_day
):
    student = StudentFactory(school=school_a, name="Ahmad", birth_date=datetime.date(2008, 3, 12))
    client.force_login(staf)

    response = client.post(
        reverse("students:record_event", args=[student.pk]),
        {"kind": "scheduled", "date": "2005-01-01"},
    )

    assert response.status_code == 400
    assert response.context["event_form"].non_field_errors() == [
        "Ahmad is not yet 16 on 1 January 2005: “Scheduled for a visit” is possible from "
        "12 March 2024."
    ]
    student.refresh_from_db()
    assert (student.status, student.status_since) == ("on_roster", None)
    assert StudentEvent.objects.count() == 0


def test_record_event_closing_without_reason_is_refused(client, staf, school_a, office_day):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    response = client.post(
        reverse("students:record_event", args=[student.pk]),
        {"kind": "closed", "date": "2026-11-28"},
    )

    assert response.status_code == 400
    assert response.context["event_form"].non_field_errors() == ["Choose a reason for “Closed”."]
    assert StudentEvent.objects.count() == 0


def test_record_event_double_submit_records_once(client, staf, school_a, office_day):
    student = StudentFactory(school=school_a, birth_date=datetime.date(2010, 5, 17))
    client.force_login(staf)
    url = reverse("students:record_event", args=[student.pk])
    data = {"kind": "recorded", "date": "2026-11-28"}

    first = client.post(url, data)
    second = client.post(url, data)

    assert (first.status_code, second.status_code) == (302, 400)
    assert StudentEvent.objects.filter(student=student).count() == 1


def test_record_event_status_field_in_post_is_ignored(client, staf, school_a, office_day):
    student = StudentFactory(school=school_a)
    client.force_login(staf)

    client.post(
        reverse("students:record_event", args=[student.pk]),
        {"kind": "scheduled", "date": "2026-11-28", "status": "handed_over"},
    )

    student.refresh_from_db()
    assert student.status == "scheduled"


# Create and edit -------------------------------------------------------------------------


def test_create_saves_student_on_roster(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("students:create"), valid_student_post(school_a, nik="6311 0645 0810 0001")
    )

    student = Student.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("students:detail", args=[student.pk])
    assert (student.nik, student.name, student.status, student.school) == (
        "6311064508100001",
        "Nur Aisyah",
        "on_roster",
        school_a,
    )


def test_create_page_preselects_school_from_query(client, staf, school_a, school_b):
    client.force_login(staf)

    response = client.get(reverse("students:create"), {"school": school_b.pk})

    assert response.context["form"]["school"].value() == str(school_b.pk)


def test_create_status_in_post_is_ignored(client, staf, school_a):
    client.force_login(staf)

    client.post(reverse("students:create"), valid_student_post(school_a, status="printed"))

    assert Student.objects.get().status == "on_roster"


def test_create_nik_mismatch_is_a_warning_after_saving(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("students:create"), valid_student_post(school_a, birth_date="2010-08-06", sex="L")
    )

    assert Student.objects.count() == 1
    assert message_texts(response) == [
        ("success", "Nur Aisyah was added."),
        (
            "warning",
            "The NIK gives a birth date of 05-08-2010 but the birth date column says 06-08-2010.",
        ),
        ("warning", "The NIK is that of a woman but the sex column says man."),
    ]


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("631106450810", "nik_format"),
        ("6311063208100001", "nik_date_invalid"),
        ("6311064508100000", "nik_serial_zero"),
        ("6.31106E+15", "nik_precision_lost"),
    ],
)
def test_create_bad_nik_blocks(client, staf, school_a, nik, code):
    client.force_login(staf)

    response = client.post(reverse("students:create"), valid_student_post(school_a, nik=nik))

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["nik"]] == [code]
    assert Student.objects.count() == 0


def test_create_nik_equal_to_kk_blocks(client, staf, school_a):
    client.force_login(staf)

    response = client.post(
        reverse("students:create"), valid_student_post(school_a, kk_number="6311064508100001")
    )

    assert [e.code for e in response.context["form"].errors.as_data()["nik"]] == ["nik_equals_kk"]
    assert Student.objects.count() == 0


def test_create_duplicate_nik_blocks(client, staf, school_a):
    StudentFactory(school=school_a, nik="6311064508100001")
    client.force_login(staf)

    response = client.post(reverse("students:create"), valid_student_post(school_a))

    assert [e.code for e in response.context["form"].errors.as_data()["nik"]] == ["unique"]
    assert Student.objects.count() == 1


@pytest.mark.parametrize("birth_date", ["2016-11-30", "2000-11-28"])
def test_create_implausible_birth_date_blocks(client, staf, school_a, office_day, birth_date):
    client.force_login(staf)

    response = client.post(
        reverse("students:create"), valid_student_post(school_a, birth_date=birth_date)
    )

    assert [e.code for e in response.context["form"].errors.as_data()["birth_date"]] == [
        "birthdate_implausible"
    ]
    assert Student.objects.count() == 0


def test_create_bad_nisn_blocks(client, staf, school_a):
    client.force_login(staf)

    response = client.post(reverse("students:create"), valid_student_post(school_a, nisn="12345"))

    assert response.context["form"].errors == {
        "nisn": ["NISN must be exactly 10 digits, leading zeros included."]
    }


def test_edit_saves_changes_and_keeps_status(client, staf, school_a, school_b, office_day):
    student = StudentFactory(
        school=school_a, name="Ahmad", sex="L", birth_date=datetime.date(2010, 5, 17)
    )
    student.nik = make_nik(student.birth_date, "L")
    student.save()
    lifecycle.apply(student, EventKind.SCHEDULED, on=office_day, by=staf)
    client.force_login(staf)
    data = valid_student_post(
        school_b,
        name="Ahmad Fauzi",
        nik=student.nik,
        sex="L",
        birth_date="2010-05-17",
        status="on_roster",
    )
    data.update(is_staff="1", is_superuser="1", anonymised_at="2026-01-01")  # AC-02: ignored

    response = client.post(reverse("students:edit", args=[student.pk]), data)

    assert response.status_code == 302
    student.refresh_from_db()
    staf.refresh_from_db()
    assert (student.name, student.school, student.status) == ("Ahmad Fauzi", school_b, "scheduled")
    assert (student.anonymised_at, staf.is_superuser) == (None, False)
    assert message_texts(response) == [("success", "The changes to Ahmad Fauzi were saved.")]


def test_edit_student_past_25_keeps_working_when_birth_date_unchanged(client, staf, school_a):
    import datetime

    from students.models import Student
    from tests.factories import StudentFactory

    student = StudentFactory(
        school=school_a, birth_date=datetime.date(1998, 1, 5), name="Alumni Lama"
    )
    client.force_login(staf)
    data = {
        "name": "Alumni Lama Sekali",
        "nik": student.nik,
        "kk_number": "",
        "nisn": "",
        "sex": student.sex,
        "birth_place": "Paringin",
        "birth_date": "1998-01-05",
        "marital_status": "belum_kawin",
        "school": school_a.pk,
        "class_name": "XII",
        "guardian_name": "",
        "guardian_phone": "",
        "consent_by": "",
        "consent_on": "",
        "consent_method": "",
    }

    response = client.post(f"/siswa/{student.pk}/ubah/", data)

    assert response.status_code == 302
    assert Student.objects.get(pk=student.pk).name == "Alumni Lama Sekali"
