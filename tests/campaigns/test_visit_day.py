"""The visit day through its pages and JSON endpoints: outcomes as lifecycle events naming
the visit, undo, idempotent resends, conflicts between two officers, the rest marked
absent, closing, and fixed query counts."""

import datetime
import json
import threading
import uuid
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from campaigns.models import Outcome, OutcomeChange, Team, VisitOutcome
from students.models import EventKind, Status, StudentEvent
from tests.factories import StudentFactory, UserFactory, make_nik

from .conftest import WED
from .factories import TeamFactory, VisitFactory

pytestmark = pytest.mark.usefixtures("english")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.fixture(autouse=True)
def visit_day(time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 6, 9, 0, tzinfo=WITA), tick=False)


def send(client, visit, student, outcome, *, version=0, reason="", key=None, note=""):
    body = {
        "key": str(key or uuid.uuid4()),
        "student": student.pk,
        "outcome": outcome,
        "reason": reason,
        "version": version,
        "note": note,
    }
    return client.post(
        reverse("campaigns:outcome", args=[visit.pk]),
        json.dumps(body),
        content_type="application/json",
    )


def officer(client, user):
    client.force_login(user)
    return client


def ahmad(visit):
    return visit.students.get(name="Ahmad Fauzi")


def test_recorded_is_a_lifecycle_event_naming_the_visit(client, visit, petugas):
    student = ahmad(visit)

    answer = send(officer(client, petugas), visit, student, Outcome.RECORDED).json()

    assert answer == {
        "accepted": True,
        "student": student.pk,
        "outcome": "recorded",
        "reason": "",
        "version": 1,
        "message": "",
    }
    student.refresh_from_db()
    assert student.status == Status.RECORDED
    event = StudentEvent.objects.get(student=student)
    assert (event.kind, event.date, event.visit_id, event.recorded_by) == (
        EventKind.RECORDED,
        WED,
        visit.pk,
        petugas,
    )


def test_failed_needs_a_reason_and_keeps_it(client, visit, petugas):
    student = ahmad(visit)
    client = officer(client, petugas)

    refused = send(client, visit, student, Outcome.FAILED)
    failed = send(client, visit, student, Outcome.FAILED, reason="fingerprints")

    assert (refused.status_code, refused.json()["message"]) == (
        400,
        "Choose why the recording failed.",
    )
    assert failed.json()["reason"] == "fingerprints"
    event = StudentEvent.objects.get(student=student)
    assert (event.kind, event.reason) == (EventKind.RECORDING_FAILED, "fingerprints")
    student.refresh_from_db()
    assert student.status == Status.ON_ROSTER


def test_undo_then_another_outcome_leaves_the_history(client, visit, petugas):
    student = ahmad(visit)
    client = officer(client, petugas)

    send(client, visit, student, Outcome.RECORDED)
    undone = send(client, visit, student, "", version=1).json()
    absent = send(client, visit, student, Outcome.ABSENT, version=2).json()

    assert (undone["outcome"], undone["version"]) == ("", 2)
    assert (absent["outcome"], absent["version"]) == ("absent", 3)
    assert list(StudentEvent.objects.filter(student=student).values_list("kind", "visit_id")) == [
        (EventKind.RECORDED, visit.pk),
        (EventKind.UNDONE, visit.pk),
        (EventKind.ABSENT, visit.pk),
    ]
    student.refresh_from_db()
    assert student.status == Status.ON_ROSTER


def test_a_resend_of_the_same_key_changes_nothing_again(client, visit, petugas):
    student = ahmad(visit)
    client = officer(client, petugas)
    key = uuid.uuid4()

    first = send(client, visit, student, Outcome.RECORDED, key=key).json()
    second = send(client, visit, student, Outcome.RECORDED, key=key).json()

    assert first == second
    assert StudentEvent.objects.filter(student=student).count() == 1
    assert OutcomeChange.objects.filter(key=key).count() == 1


def test_the_later_of_two_conflicting_changes_is_refused_with_the_current_value(
    client, visit, petugas
):
    student = ahmad(visit)
    other = UserFactory(username="rina", first_name="Rina", last_name="Wati", role="petugas")
    visit.team.members.add(other)
    petugas.first_name, petugas.last_name = "Hendra", "Saputra"
    petugas.save()

    send(officer(client, petugas), visit, student, Outcome.RECORDED, version=0)
    late = send(officer(Client(), other), visit, student, Outcome.ABSENT, version=0).json()

    assert late["accepted"] is False
    assert late["outcome"] == "recorded"
    assert late["version"] == 1
    assert late["message"] == ("Hendra Saputra changed this first: the outcome is now “Recorded”.")
    assert list(StudentEvent.objects.filter(student=student).values_list("kind", flat=True)) == [
        EventKind.RECORDED
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_at_the_same_moment_one_wins_one_is_refused(english):
    member_a = UserFactory(username="a", role="petugas")
    member_b = UserFactory(username="b", role="petugas")
    student = StudentFactory(name="Ahmad Fauzi", birth_date=datetime.date(2010, 5, 17))
    team = TeamFactory(members=[member_a, member_b])
    visit = VisitFactory(
        campaign=team.campaign, team=team, school=student.school, date=WED, students=[student]
    )
    barrier = threading.Barrier(2)
    answers = {}

    def tap(user, outcome):
        client = Client()
        client.force_login(user)
        barrier.wait()
        answers[outcome] = send(client, visit, student, outcome, version=0).json()
        connection.close()

    threads = [
        threading.Thread(target=tap, args=(member_a, Outcome.RECORDED)),
        threading.Thread(target=tap, args=(member_b, Outcome.ABSENT)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accepted = [o for o, a in answers.items() if a["accepted"]]
    refused = [o for o, a in answers.items() if not a["accepted"]]
    assert len(accepted) == 1 and len(refused) == 1
    assert answers[refused[0]]["outcome"] == accepted[0]
    row = VisitOutcome.objects.get(visit=visit, student=student)
    assert (row.outcome, row.version) == (accepted[0], 1)
    assert list(StudentEvent.objects.filter(student=student).values_list("kind", flat=True)) == [
        {Outcome.RECORDED: EventKind.RECORDED, Outcome.ABSENT: EventKind.ABSENT}[accepted[0]]
    ]


def test_mark_the_rest_absent_leaves_those_with_an_outcome(client, visit, petugas):
    student = ahmad(visit)
    other = visit.students.get(name="Bunga Lestari")
    client = officer(client, petugas)
    send(client, visit, student, Outcome.RECORDED)
    body = {"key": str(uuid.uuid4()), "students": [student.pk, other.pk]}
    url = reverse("campaigns:rest_absent", args=[visit.pk])

    first = client.post(url, json.dumps(body), content_type="application/json").json()
    again = client.post(url, json.dumps(body), content_type="application/json").json()

    assert first["message"] == "1 student marked absent."
    assert first == again
    assert first["rows"] == [
        {"student": student.pk, "outcome": "recorded", "reason": "", "version": 1},
        {"student": other.pk, "outcome": "absent", "reason": "", "version": 1},
    ]
    assert list(StudentEvent.objects.filter(student=other).values_list("kind", "visit_id")) == [
        (EventKind.ABSENT, visit.pk)
    ]


def test_closing_needs_every_outcome_then_only_staff_change_with_a_reason(
    client, visit, petugas, staf
):
    Team.objects.filter(pk=visit.team_id).update(leader=petugas)
    student = ahmad(visit)
    other = visit.students.get(name="Bunga Lestari")
    client = officer(client, petugas)
    close = reverse("campaigns:visit_close", args=[visit.pk])
    send(client, visit, student, Outcome.RECORDED)

    early = client.post(close, follow=True)
    send(client, visit, other, Outcome.ABSENT)
    done = client.post(close, follow=True)
    late = send(client, visit, other, Outcome.RECORDED, version=1).json()
    staff = officer(Client(), staf)
    no_reason = send(staff, visit, other, Outcome.RECORDED, version=1).json()
    fixed = send(staff, visit, other, Outcome.RECORDED, version=1, note="Ikut susulan").json()

    assert (
        "1 student has no outcome yet: set it or mark the rest absent first."
        in early.content.decode()
    )
    assert "The visit is closed." in done.content.decode()
    assert [r.student.name for r in done.context["catch_up"]] == ["Bunga Lestari"]
    assert late["message"] == "The visit is closed: only the office can change an outcome now."
    assert no_reason["message"] == "The visit is closed: write why the outcome changes."
    assert (fixed["accepted"], fixed["outcome"]) == (True, "recorded")
    assert StudentEvent.objects.filter(student=other).last().note == "Ikut susulan"


def test_after_closing_the_team_sees_the_buttons_disabled_and_staff_do_not(
    client, visit, petugas, staf
):
    Team.objects.filter(pk=visit.team_id).update(leader=petugas)
    team = officer(client, petugas)
    page = reverse("campaigns:checklist", args=[visit.pk])
    before = team.get(page).content.decode()
    everyone = {
        "key": str(uuid.uuid4()),
        "students": list(visit.students.values_list("pk", flat=True)),
    }
    rest = reverse("campaigns:rest_absent", args=[visit.pk])
    team.post(rest, json.dumps(everyone), content_type="application/json")
    team.post(reverse("campaigns:visit_close", args=[visit.pk]))
    after = team.get(page).content.decode()
    office = officer(Client(), staf).get(page).content.decode()

    locked = '<fieldset class="checklist-actions" disabled aria-disabled="true">'
    assert (before.count(locked), after.count(locked), office.count(locked)) == (0, 2, 0)
    assert office.count('<fieldset class="checklist-actions">') == 2


def seventeen(visit):
    """A student of the visit who turned 17 on 1 December 2026, not recorded yet."""
    student = StudentFactory(
        school=visit.school, name="Citra Dewi", birth_date=datetime.date(2009, 12, 1)
    )
    visit.students.add(student)
    return student


def kinds_and_dates(student):
    """(kind, date, still in force) of the student's events, in the order they count."""
    events = StudentEvent.objects.filter(student=student).order_by("date", "recorded_at", "pk")
    return [(e.kind, e.date, e.taken_back_by_id is None) for e in events]


def test_absent_then_flagged_overdue_then_corrected_to_recorded(
    client, visit, petugas, staf, time_machine
):
    """The night after the visit the job flags the absent 17-year-old overdue; the next day
    the office corrects the outcome (closed visit, with a reason): the flag, drawn from the
    absence, is taken back with it, and none comes back, the student being recorded."""
    from students import flagging

    Team.objects.filter(pk=visit.team_id).update(leader=petugas)
    citra = seventeen(visit)
    team = officer(client, petugas)
    send(team, visit, citra, Outcome.ABSENT)
    for student in visit.students.exclude(pk=citra.pk):
        send(team, visit, student, Outcome.RECORDED)
    team.post(reverse("campaigns:visit_close", args=[visit.pk]))
    time_machine.move_to(datetime.datetime(2027, 1, 7, 0, 5, tzinfo=WITA), tick=False)
    assert flagging.flag_due_cards()["overdue_recording"] == [citra.nik]
    time_machine.move_to(datetime.datetime(2027, 1, 7, 9, 0, tzinfo=WITA), tick=False)

    office = officer(Client(), staf)
    fixed = send(office, visit, citra, Outcome.RECORDED, version=1, note="Salah tekan").json()
    page = office.get(reverse("students:detail", args=[citra.pk])).content.decode()

    assert (fixed["accepted"], fixed["outcome"], fixed["version"]) == (True, "recorded", 2)
    assert kinds_and_dates(citra) == [
        (EventKind.ABSENT, WED, False),
        (EventKind.OVERDUE, WED, False),
        (EventKind.UNDONE, WED, True),
        (EventKind.UNDONE, WED, True),
        (EventKind.RECORDED, WED, True),
    ]
    assert page.count('data-testid="event-taken-back"') == 2
    citra.refresh_from_db()
    assert (citra.status, citra.status_since) == (Status.RECORDED, WED)
    assert flagging.flag_due_cards()["overdue_recording"] == []


def test_absent_then_flagged_overdue_then_undone_is_flagged_again_at_once(
    client, visit, petugas, time_machine
):
    """Undone on the checklist after the night's flag: the flag goes with the absence and
    comes back at once, the student being still 17 and not recorded, dated the day it
    first held (their 17th birthday: no step of theirs came between)."""
    from students import flagging

    citra = seventeen(visit)
    team = officer(client, petugas)
    send(team, visit, citra, Outcome.ABSENT)
    time_machine.move_to(datetime.datetime(2027, 1, 7, 0, 5, tzinfo=WITA), tick=False)
    flagging.flag_due_cards()
    time_machine.move_to(datetime.datetime(2027, 1, 7, 8, 0, tzinfo=WITA), tick=False)
    team = officer(client, petugas)  # the session of yesterday has ended

    undone = send(team, visit, citra, "", version=1).json()

    assert (undone["accepted"], undone["outcome"], undone["message"]) == (True, "", "")
    assert kinds_and_dates(citra) == [
        (EventKind.OVERDUE, datetime.date(2026, 12, 1), True),
        (EventKind.ABSENT, WED, False),
        (EventKind.OVERDUE, WED, False),
        (EventKind.UNDONE, WED, True),
        (EventKind.UNDONE, WED, True),
    ]
    citra.refresh_from_db()
    assert (citra.status, citra.status_since) == (Status.ON_ROSTER, None)
    assert flagging.flag_due_cards()["overdue_recording"] == []


def test_recorded_then_siak_print_ready_cannot_be_changed_on_the_checklist(
    client, visit, petugas, staf
):
    from campaigns.services.siak import siak_results_apply

    student = ahmad(visit)
    team = officer(client, petugas)
    send(team, visit, student, Outcome.RECORDED)
    siak_results_apply(rows=[[student.nik, "print_ready"]], by=staf)

    refused = send(team, visit, student, Outcome.ABSENT, version=1).json()

    assert refused == {
        "accepted": False,
        "student": student.pk,
        "outcome": "recorded",
        "reason": "",
        "version": 1,
        "message": "“Recorded” of Ahmad Fauzi cannot be undone any more: “Print ready” was "
        "recorded after it, on 6 January 2027, and builds on it. Record what really happened "
        "as a new step on the student's page instead.",
    }
    assert kinds_and_dates(student) == [
        (EventKind.RECORDED, WED, True),
        (EventKind.PRINT_READY, WED, True),
    ]


def test_a_student_of_another_visit_is_refused(client, visit, petugas, school_b):
    stranger = StudentFactory(school=school_b)

    response = send(officer(client, petugas), visit, stranger, Outcome.RECORDED)

    assert response.status_code == 400
    assert response.json()["message"] == "This student is not on the visit's list."
    assert not StudentEvent.objects.filter(student=stranger).exists()


def test_visits_today_lists_the_members_visit(client, visit, petugas):
    response = officer(client, petugas).get(reverse("campaigns:today"))

    assert [v.pk for v in response.context["visits"]] == [visit.pk]


@pytest.mark.parametrize("count", [1, 3])
def test_checklist_query_count(client, visit, petugas, django_assert_num_queries, count):
    for n in range(count - 2):
        visit.students.add(StudentFactory(school=visit.school, name=f"Siswa {n}"))
    visit.students.remove(*list(visit.students.all())[count:])
    client = officer(client, petugas)
    send(client, visit, visit.students.first(), Outcome.RECORDED)
    url = reverse("campaigns:checklist", args=[visit.pk])

    # session, user, the user's own and group permissions (2), the visit with school,
    # team and campaign, the team membership check, the outcomes, the students.
    with django_assert_num_queries(8):
        response = client.get(url)

    assert len(response.context["classes"][0][1]) == count


def test_after_closing_the_absent_go_back_to_the_planner(client, visit, petugas):
    from campaigns.selectors import planning_problem

    Team.objects.filter(pk=visit.team_id).update(leader=petugas)
    client = officer(client, petugas)
    absent = visit.students.get(name="Bunga Lestari")
    send(client, visit, ahmad(visit), Outcome.RECORDED)
    send(client, visit, absent, Outcome.ABSENT)

    before = planning_problem(visit.campaign, today=WED)
    client.post(reverse("campaigns:visit_close", args=[visit.pk]))
    after = planning_problem(visit.campaign, today=WED)

    def waiting(problem):
        return [s.key for school in problem.schools for s in school.students]

    assert absent.pk not in waiting(before)
    assert waiting(after) == [absent.pk]


def test_visit_report_has_counts_outcomes_masked_niks_and_signatures(client, visit, petugas):
    from students.nik import mask

    from .pdftext import pdf_to_text

    Team.objects.filter(pk=visit.team_id).update(leader=petugas)
    client = officer(client, petugas)
    student = ahmad(visit)
    send(client, visit, student, Outcome.FAILED, reason="device")

    response = client.get(reverse("campaigns:visit_report", args=[visit.pk]))
    text = pdf_to_text(response.content)

    assert response["Content-Type"] == "application/pdf"
    assert "Laporan Kunjungan Perekaman" in text
    assert (
        "1 Ahmad Fauzi X IPA 1 " + mask(student.nik) + " Perekaman gagal (Alat bermasalah)" in text
    )
    assert "2 Bunga Lestari X IPA 1 " in text
    assert "belum ada hasil" in text
    assert student.nik not in text
    assert f"Ketua tim Untuk {visit.school.name}" in text
    assert f"({petugas.get_full_name()}) (......" in text


@pytest.mark.parametrize("count", [1, 3])
def test_visit_report_query_count(client, visit, petugas, django_assert_num_queries, count):
    from .pdftext import pdf_to_text

    for n in range(count - 2):
        visit.students.add(StudentFactory(school=visit.school, name=f"Siswa {n}"))
    visit.students.remove(*list(visit.students.all())[count:])
    Team.objects.filter(pk=visit.team_id).update(leader=petugas)
    client = officer(client, petugas)
    url = reverse("campaigns:visit_report", args=[visit.pk])

    # session, user, own and group permissions (2), the visit with school, team and
    # campaign, the team membership check, the outcomes, the students, the team's
    # members, the team leader.
    with django_assert_num_queries(10):
        response = client.get(url)

    text = pdf_to_text(response.content)
    assert f"0 0 0 0 {count} {count}" in text
    assert f"{count} {sorted(visit.students.values_list('name', flat=True))[-1]}" in text


def _student_form(**values):
    return {
        "name": "Fitri Handayani",
        "nik": make_nik(datetime.date(2010, 3, 4), "P"),
        "sex": "P",
        "birth_date": "04-03-2010",
        "nisn": "",
        "class_name": "X IPS 2",
    } | values


def test_a_student_who_turns_up_is_added_with_the_roster_checks(client, visit, petugas):
    client = officer(client, petugas)
    url = reverse("campaigns:student_add", args=[visit.pk])

    response = client.post(url, _student_form())

    assert response.status_code == 302
    student = visit.students.get(name="Fitri Handayani")
    assert (student.school, student.class_name, student.sex) == (visit.school, "X IPS 2", "P")
    visit.refresh_from_db()
    assert visit.expected == 3
    assert send(client, visit, student, Outcome.RECORDED).json()["accepted"] is True


def test_a_wrong_nik_is_refused_with_the_roster_message_and_nothing_saved(client, visit, petugas):
    client = officer(client, petugas)
    url = reverse("campaigns:student_add", args=[visit.pk])

    response = client.post(url, _student_form(nik="6311065403100"))

    assert response.status_code == 400
    assert response.context["form"].errors["nik"] == [
        "The NIK must be exactly 16 digits; “631106*******” has 13. Copy it again from "
        "the family card (KK)."
    ]
    assert visit.students.count() == 2


def test_a_student_of_another_school_is_not_added(client, visit, petugas, school_b):
    other = StudentFactory(school=school_b, birth_date=datetime.date(2010, 3, 4), sex="P")
    client = officer(client, petugas)

    response = client.post(
        reverse("campaigns:student_add", args=[visit.pk]), _student_form(nik=other.nik)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["nik"] == [
        f"This NIK belongs to a student of {school_b.name}: the school must ask for a move."
    ]
    assert visit.students.count() == 2


def test_a_recording_taken_back_is_not_counted_in_the_figures(client, visit, petugas):
    from campaigns import figures
    from schools.models import School

    student = ahmad(visit)
    team = officer(client, petugas)
    send(team, visit, student, Outcome.RECORDED)
    send(team, visit, visit.students.get(name="Bunga Lestari"), Outcome.RECORDED)
    send(team, visit, student, Outcome.ABSENT, version=1)

    assert figures.recordings_per_week(School.objects.all(), visit.campaign) == [
        (datetime.date(2027, 1, 4), 1)
    ]
