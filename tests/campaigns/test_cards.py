"""The card pages: print queue, forward view, handover batches, receipt, coordinators' list."""

import datetime
import io
import json
import threading
import zoneinfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from campaigns.card_models import HandoverBatch, HandoverItem
from campaigns.cards import batches, printing
from campaigns.models import Visit
from students import flagging, lifecycle
from students.models import EventKind, ReprintReason, Status, Student, StudentEvent
from tests.factories import SchoolFactory, StudentFactory

from .factories import VisitFactory
from .pdftext import pdf_to_text

pytestmark = pytest.mark.usefixtures("english", "media")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
D = datetime.date
TODAY = D(2027, 1, 4)  # a Monday; the team comes to school A on Wednesday 6 January
WED = D(2027, 1, 6)


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def visit(campaign, team, school_a):
    return VisitFactory(campaign=campaign, team=team, school=school_a, date=WED)


@pytest.fixture
def coordinator_mail(koordinator_a):
    koordinator_a.email = "guru@sman1paringin.sch.id"
    koordinator_a.save(update_fields=["email"])
    return koordinator_a.email


BORN = D(2009, 11, 20)
HOME_QUERIES = 17  # the coordinator home, cached figures not yet made (summary and details)


def due_student(school, name, born=BORN, **fields):
    """Recorded and print ready on their 16th birthday, flagged due on TODAY."""
    student = StudentFactory(school=school, name=name, birth_date=born, **fields)
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(student, kind, on=born.replace(year=born.year + 16), by=None)
    lifecycle.apply(student, EventKind.DUE_FOR_PRINT, on=TODAY, by=None)
    return student


def post_printed(client, *ids, day=TODAY, one=None):
    data = {"tanggal": day.isoformat(), "siswa": [str(pk) for pk in ids]}
    if one is not None:
        data["satu"] = str(one)
    return client.post(reverse("campaigns:cards_printed"), data)


# The print queue


def test_queue_lists_due_students_with_masked_nik(client, staf, school_a, school_b):
    ani = due_student(school_a, "Ani Rahmawati")
    due_student(school_b, "Budi Santoso")
    StudentFactory(school=school_a, name="Citra Dewi")  # on the roster: not in the queue
    client.force_login(staf)

    page = client.get(reverse("campaigns:cards_queue"), {"sekolah": school_a.pk}).content.decode()

    assert "Ani Rahmawati" in page
    assert ani.masked_nik in page and ani.nik not in page
    assert "Budi Santoso" not in page and "Citra Dewi" not in page


def test_queue_filters_by_due_date(client, staf, school_a):
    early = due_student(school_a, "Ani Rahmawati")
    client.force_login(staf)

    after = client.get(reverse("campaigns:cards_queue"), {"dari": "2027-01-05"}).content.decode()
    on_day = client.get(reverse("campaigns:cards_queue"), {"sampai": "2027-01-04"}).content

    assert early.name not in after and "No card is waiting to be printed." in after
    assert early.name in on_day.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_queue_page_fixed_queries(client, staf, school_a, count, django_assert_num_queries):
    for n in range(count):
        due_student(school_a, f"Siswa {n}")
    client.force_login(staf)
    # session / user / the second-factor device / the user's own permissions / their groups'
    # permissions / the queue rows (with their school and due day) / the schools of the filter's
    # choices
    with django_assert_num_queries(7):
        response = client.get(reverse("campaigns:cards_queue"))
    assert response.content.decode().count('data-testid="queue-row"') == count


def test_mark_printed_in_bulk_puts_cards_in_the_visit_batch(
    client, staf, school_a, visit, coordinator_mail, django_capture_on_commit_callbacks
):
    ani, budi = due_student(school_a, "Ani Rahmawati"), due_student(school_a, "Budi Santoso")
    client.force_login(staf)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_printed(client, ani.pk, budi.pk)

    assert response.status_code == 302
    assert set(Student.objects.values_list("status", flat=True)) == {Status.PRINTED}
    printed = StudentEvent.objects.filter(kind=EventKind.PRINTED).order_by("student__name")
    assert [(e.student_id, e.date, e.recorded_by) for e in printed] == [
        (ani.pk, TODAY, staf),
        (budi.pk, TODAY, staf),
    ]
    batch = HandoverBatch.objects.get()
    assert (batch.school, batch.visit, batch.status) == (school_a, visit, "open")
    assert sorted(batch.items.values_list("student_id", "state")) == sorted(
        [(ani.pk, "waiting"), (budi.pk, "waiting")]
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator_mail]
    assert mail.outbox[0].subject == "KTP-el cards ready for SMA Negeri 1 Paringin"
    assert "2 KTP-el cards" in mail.outbox[0].body
    assert "Wednesday 6 January 2027" in mail.outbox[0].body
    assert batch.__class__.objects.get().notified_at is not None


def test_mark_printed_twice_changes_nothing(client, staf, school_a, visit):
    ani = due_student(school_a, "Ani Rahmawati")
    client.force_login(staf)
    post_printed(client, one=ani.pk)

    response = post_printed(client, one=ani.pk)

    assert StudentEvent.objects.filter(kind=EventKind.PRINTED).count() == 1
    assert HandoverItem.objects.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == "Nothing changed: these cards were already dealt with."


def test_mark_printed_future_date_refused(client, staf, school_a):
    ani = due_student(school_a, "Ani Rahmawati")
    client.force_login(staf)

    response = post_printed(client, ani.pk, day=D(2027, 1, 5))

    assert [str(m) for m in response.wsgi_request._messages] == [
        "The date 5 January 2027 is in the future."
    ]
    assert Student.objects.get(pk=ani.pk).status == Status.DUE_FOR_PRINT


def test_waiting_for_blanko_keeps_the_date_asked_then_printed(client, staf, school_a, visit):
    ani = due_student(school_a, "Ani Rahmawati")
    client.force_login(staf)

    client.post(
        reverse("campaigns:cards_blanko"), {"tanggal": "2027-01-04", "siswa": [str(ani.pk)]}
    )
    ani.refresh_from_db()
    assert (ani.status, ani.status_since) == (Status.WAITING_BLANKO, TODAY)
    page = client.get(reverse("campaigns:cards_queue")).content.decode()
    assert "asked for on 4 Jan 2027" in page

    post_printed(client, one=ani.pk)
    assert Student.objects.get(pk=ani.pk).status == Status.PRINTED


def test_reprint_with_reason_goes_back_to_the_queue(client, staf, school_a, visit):
    ani = due_student(school_a, "Ani Rahmawati")
    client.force_login(staf)
    post_printed(client, one=ani.pk)

    response = client.post(
        reverse("campaigns:card_reprint", args=[ani.pk]),
        {"alasan": ReprintReason.DAMAGED, "tanggal": "2027-01-04", "catatan": "chip rusak"},
    )

    assert response.status_code == 302
    ani.refresh_from_db()
    assert ani.status == Status.DUE_FOR_PRINT
    event = ani.events.get(kind=EventKind.REPRINT)
    assert (event.reason, event.note, event.recorded_by) == ("damaged", "chip rusak", staf)
    assert HandoverItem.objects.get().state == HandoverItem.State.WITHDRAWN
    assert "Ani Rahmawati" in client.get(reverse("campaigns:cards_queue")).content.decode()


def test_reprint_of_a_card_not_printed_refused(client, staf, school_a):
    ani = due_student(school_a, "Ani Rahmawati")
    client.force_login(staf)

    response = client.post(
        reverse("campaigns:card_reprint", args=[ani.pk]),
        {"alasan": ReprintReason.LOST, "tanggal": "2027-01-04"},
    )

    assert response.status_code == 200
    assert "“Reprint asked for” cannot follow the status “Due for print”." in (
        response.content.decode()
    )
    assert not ani.events.filter(kind=EventKind.REPRINT).exists()


# The forward view


def test_forward_view_counts_per_month_and_school(client, staf, school_a, school_b):
    def recorded(school, born, **fields):
        student = StudentFactory(school=school, birth_date=born, **fields)
        lifecycle.apply(student, EventKind.RECORDED, on=TODAY, by=None)
        return student

    recorded(school_a, D(2010, 1, 5))  # 17 on 5 January 2027
    recorded(school_a, D(2010, 1, 31))
    recorded(school_b, D(2010, 3, 1))
    recorded(school_b, D(2011, 1, 4))  # 17 in January 2028: beyond twelve months
    recorded(school_a, D(2010, 1, 4))  # 17 today: due tonight, not "coming"
    StudentFactory(school=school_a, birth_date=D(2010, 2, 2))  # not recorded
    client.force_login(staf)

    view = client.get(reverse("campaigns:cards_forecast")).context["view"]

    assert view["months"][0] == D(2027, 1, 5)
    assert view["months"][1:3] == [D(2027, 2, 1), D(2027, 3, 1)]
    assert view["schools"] == [
        ("SMA Negeri 1 Halong", [0, 0, 1] + [0] * 9, 1),
        ("SMA Negeri 1 Paringin", [2] + [0] * 11, 2),
    ]
    assert (view["totals"][:3], view["total"]) == ([2, 0, 1], 3)


# Batches, handover, receipt


def printed_batch(client, staf, school, visit, names):
    students = [due_student(school, name) for name in names]
    client.force_login(staf)
    post_printed(client, *[s.pk for s in students])
    return HandoverBatch.objects.get(school=school, status="open"), students


@pytest.mark.parametrize("count", [1, 3])
def test_batch_page_fixed_queries(client, staf, school_a, visit, count, django_assert_num_queries):
    batch, _students = printed_batch(
        client, staf, school_a, visit, [f"Siswa {n}" for n in range(count)]
    )
    # session / user / the second-factor device / the batch with school, visit and team / the user's
    # own permissions / their groups' permissions / the items with their students
    with django_assert_num_queries(7):
        response = client.get(reverse("campaigns:batch", args=[batch.pk]))
    assert response.content.decode().count('data-testid="batch-item"') == count


def test_handover_ticked_list_with_ikd(client, staf, school_a, visit):
    batch, (ani, budi, citra) = printed_batch(
        client, staf, school_a, visit, ["Ani Rahmawati", "Budi Santoso", "Citra Dewi"]
    )

    client.post(
        reverse("campaigns:batch", args=[batch.pk]),
        {"tanggal": "2027-01-04", "siswa": [ani.pk, budi.pk], "ikd": [budi.pk, citra.pk]},
    )

    statuses = dict(Student.objects.values_list("name", "status"))
    assert statuses == {
        "Ani Rahmawati": Status.HANDED_OVER,
        "Budi Santoso": Status.HANDED_OVER,
        "Citra Dewi": Status.PRINTED,
    }
    items = {i.student_id: (i.state, i.handed_over_on, i.ikd_activated) for i in batch.items.all()}
    assert items == {
        ani.pk: ("handed_over", TODAY, False),
        budi.pk: ("handed_over", TODAY, True),
        citra.pk: ("waiting", None, False),
    }
    handed = StudentEvent.objects.filter(kind=EventKind.HANDED_OVER).order_by("student__name")
    assert [(e.student_id, e.visit_id, e.recorded_by) for e in handed] == [
        (ani.pk, visit.pk, staf),
        (budi.pk, visit.pk, staf),
    ]
    assert list(
        StudentEvent.objects.filter(kind=EventKind.IKD_ACTIVATED).values_list("student_id")
    ) == [(budi.pk,)]


def test_handover_double_click_gives_one_event(client, staf, school_a, visit):
    batch, (ani,) = printed_batch(client, staf, school_a, visit, ["Ani Rahmawati"])
    url = reverse("campaigns:batch", args=[batch.pk])

    client.post(url, {"tanggal": "2027-01-04", "satu": ani.pk})
    second = client.post(url, {"tanggal": "2027-01-04", "satu": ani.pk})

    assert StudentEvent.objects.filter(kind=EventKind.HANDED_OVER).count() == 1
    assert [str(m) for m in second.wsgi_request._messages][-1] == (
        "Nothing changed: these cards were already handed over, or the date is before they "
        "were printed."
    )


def test_handover_without_a_token_or_from_another_site_is_refused(client, staf, school_a, visit):
    batch, (ani,) = printed_batch(client, staf, school_a, visit, ["Ani Rahmawati"])
    url = reverse("campaigns:batch", args=[batch.pk])
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(staf)
    guarded.get(url)
    data = {"tanggal": "2027-01-04", "satu": ani.pk}
    token = {"csrfmiddlewaretoken": guarded.cookies["csrftoken"].value}

    without_token = guarded.post(url, data)
    foreign = guarded.post(url, data | token, HTTP_ORIGIN="https://evil.example")

    assert (without_token.status_code, foreign.status_code) == (403, 403)
    assert not StudentEvent.objects.filter(kind=EventKind.HANDED_OVER).exists()
    own = guarded.post(url, data | token, HTTP_ORIGIN="http://testserver")
    assert own.status_code == 302
    assert StudentEvent.objects.filter(kind=EventKind.HANDED_OVER).count() == 1


def test_handover_without_ticks_says_so(client, staf, school_a, visit):
    batch, _ = printed_batch(client, staf, school_a, visit, ["Ani Rahmawati"])

    response = client.post(reverse("campaigns:batch", args=[batch.pk]), {"tanggal": "2027-01-04"})

    assert response.status_code == 400
    assert "Tick at least one student." in response.content.decode()
    assert not StudentEvent.objects.filter(kind=EventKind.HANDED_OVER).exists()


@pytest.mark.parametrize("count", [1, 3])
def test_receipt_pdf_text_and_fixed_queries(
    client, staf, school_a, visit, count, django_assert_num_queries
):
    names = ["Ani Rahmawati", "Budi Santoso", "Citra Dewi"][:count]
    batch, students = printed_batch(client, staf, school_a, visit, names)
    for student in students:
        Student.objects.filter(pk=student.pk).update(class_name="XII IPA 1")
    # session / user / the second-factor device / the batch with school, visit and team / the user's
    # own permissions / their groups' permissions / the items with their students
    with django_assert_num_queries(7):
        response = client.get(reverse("campaigns:batch_receipt", args=[batch.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_to_text(response.content)
    assert "Tanda Terima Kartu KTP-el" in text
    assert "SMA Negeri 1 Paringin" in text
    assert "Rabu, 6 Januari 2027" in text
    assert visit.team.name in text
    for student in students:
        assert f"{student.name} XII IPA 1 {student.masked_nik} 20 November 2009" in text
        assert student.nik not in text


def test_close_batch_sends_cards_not_collected_to_the_next_visit(
    client, staf, school_a, visit, campaign, team
):
    batch, (ani, budi) = printed_batch(
        client, staf, school_a, visit, ["Ani Rahmawati", "Budi Santoso"]
    )
    client.post(
        reverse("campaigns:batch", args=[batch.pk]), {"tanggal": "2027-01-04", "satu": ani.pk}
    )
    later = VisitFactory(campaign=campaign, team=team, school=school_a, date=D(2027, 1, 20))

    client.post(reverse("campaigns:batch_close", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == "closed"
    assert dict(batch.items.values_list("student_id", "state")) == {
        ani.pk: "handed_over",
        budi.pk: "not_collected",
    }
    following = HandoverBatch.objects.get(status="open")
    assert (following.visit, list(following.items.values_list("student_id", "state"))) == (
        later,
        [(budi.pk, "waiting")],
    )


def test_no_visit_within_reach_proposes_a_handover_visit(
    client, staf, school_a, campaign, team, settings
):
    settings.CARD_HANDOVER_WITHIN_DAYS = 10
    VisitFactory(campaign=campaign, team=team, school=school_a, date=D(2027, 1, 20))  # too far

    batch, _students = printed_batch(
        client, staf, school_a, None, ["Ani Rahmawati", "Budi Santoso"]
    )

    proposed = batch.visit
    assert (proposed.kind, proposed.status, proposed.source) == ("handover", "proposed", "planner")
    assert (proposed.date, proposed.team, proposed.school, proposed.expected) == (
        D(2027, 1, 5),
        team,
        school_a,
        2,
    )


def test_card_without_visit_waits_then_rides_the_next_planned_one(
    client, staf, campaign, team, settings
):
    settings.CARD_HANDOVER_WITHIN_DAYS = 10
    outside = SchoolFactory(name="MA Darussalam")  # in no campaign: no visit can be proposed
    batch, (ani,) = printed_batch(client, staf, outside, None, ["Ani Rahmawati"])
    assert batch.visit is None

    campaign.schools.add(outside)
    soon = VisitFactory(campaign=campaign, team=team, school=outside, date=D(2027, 1, 8))
    assert batches.attach_printed() == 1

    assert HandoverItem.objects.get(state="waiting").batch.visit == soon


# The coordinator's list


def test_coordinator_sees_own_school_cards_masked(
    client, staf, school_a, school_b, visit, koordinator_a, koordinator_b
):
    _batch, (ani,) = printed_batch(client, staf, school_a, visit, ["Ani Rahmawati"])

    client.force_login(koordinator_a)
    page = client.get(reverse("campaigns:cards_ready")).content.decode()
    client.force_login(koordinator_b)
    other = client.get(reverse("campaigns:cards_ready")).content.decode()

    assert "Ani Rahmawati" in page and ani.masked_nik in page and ani.nik not in page
    assert "Wednesday, 6 January 2027" in page
    assert "Ani Rahmawati" not in other and "No card is waiting for your school." in other


def test_nightly_flag_then_print_shows_on_the_student_timeline(client, staf, school_a, visit):
    student = StudentFactory(school=school_a, name="Dewi Lestari", birth_date=D(2010, 1, 4))
    for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
        lifecycle.apply(student, kind, on=D(2026, 10, 1), by=staf)
    assert flagging.flag_due_cards(TODAY)["due_for_print"] == [student.nik]
    client.force_login(staf)
    post_printed(client, one=student.pk)

    page = client.get(reverse("students:detail", args=[student.pk])).content.decode()

    for label in ("Recorded", "Print ready", "Due for print", "Printed"):
        assert f'<span class="fw-semibold">{label}</span>' in page
    assert "recorded by the system" in page  # the nightly job's flag


def test_attach_command_reports_cards_placed(client, staf, school_a, campaign, team, settings):
    settings.CARD_HANDOVER_WITHIN_DAYS = 10
    outside = SchoolFactory(name="MA Darussalam")  # in no campaign: no visit can be proposed
    printed_batch(client, staf, outside, None, ["Ani Rahmawati"])
    campaign.schools.add(outside)
    VisitFactory(campaign=campaign, team=team, school=outside, date=D(2027, 1, 8))
    out = io.StringIO()

    call_command("attach_printed_cards", "--format", "json", stdout=out)
    again = io.StringIO()
    call_command("attach_printed_cards", "--format", "json", stdout=again)

    assert json.loads(out.getvalue()) == {"placed": 1}
    assert json.loads(again.getvalue()) == {"placed": 0}
    assert settings.CELERY_BEAT_SCHEDULE["attach-printed-cards"]["task"] == (
        "campaigns.attach_printed_cards"
    )


@pytest.mark.parametrize("count", [1, 3])
def test_batch_list_fixed_queries(client, staf, campaign, team, count, django_assert_num_queries):
    for n in range(count):
        school = SchoolFactory(name=f"SMA Negeri {n + 5} Contoh")
        day = WED + datetime.timedelta(days=n)
        VisitFactory(campaign=campaign, team=team, school=school, date=day)
        due_student(school, f"Siswa {n}")
    client.force_login(staf)
    post_printed(client, *Student.objects.values_list("pk", flat=True))
    # session / user / the second-factor device / the user's own permissions / their groups'
    # permissions / the open batches with their school, visit, team and count of cards waiting
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:batches"))
    assert response.content.decode().count('data-testid="batch-row"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_cards_ready_fixed_queries(
    client, staf, school_a, visit, koordinator_a, count, django_assert_num_queries
):
    printed_batch(client, staf, school_a, visit, [f"Siswa {n}" for n in range(count)])
    client.force_login(koordinator_a)
    # session / user / the user's own permissions / their groups' permissions / the cards
    # waiting at the user's schools, with student, batch, school and visit
    with django_assert_num_queries(5):
        response = client.get(reverse("campaigns:cards_ready"))
    assert response.content.decode().count('data-testid="card-ready"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_forecast_fixed_queries(client, staf, count, django_assert_num_queries):
    for n in range(count):
        student = StudentFactory(school=SchoolFactory(), birth_date=D(2010, 2, 1 + n))
        lifecycle.apply(student, EventKind.RECORDED, on=TODAY, by=None)
    client.force_login(staf)
    # session / user / the second-factor device / the user's own permissions / their groups'
    # permissions / the counts per school and month
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:cards_forecast"))
    assert response.content.decode().count('data-testid="forecast-school"') == count


def test_proposed_handover_visit_told_once_accepted(
    client, staf, school_a, campaign, team, coordinator_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch, _students = printed_batch(client, staf, school_a, None, ["Ani Rahmawati"])
    assert batch.visit.status == Visit.Status.PROPOSED
    assert mail.outbox == []  # a proposal is not a date to tell the school
    Visit.objects.filter(pk=batch.visit_id).update(status=Visit.Status.ACCEPTED)

    with django_capture_on_commit_callbacks(execute=True):
        batches.attach_printed()
    with django_capture_on_commit_callbacks(execute=True):
        batches.attach_printed()

    assert [m.subject for m in mail.outbox] == ["KTP-el cards ready for SMA Negeri 1 Paringin"]
    assert "Tuesday 5 January 2027" in mail.outbox[0].body


def test_batch_page_whatsapp_link_to_the_school(client, staf, school_a, visit):
    school_a.phone = "0526 2021234"
    school_a.save(update_fields=["phone"])
    batch, _students = printed_batch(client, staf, school_a, visit, ["Ani Rahmawati"])

    link = client.get(reverse("campaigns:batch", args=[batch.pk])).context["whatsapp"]

    assert link.startswith("https://wa.me/625262021234?text=1%20KTP-el%20cards%20of%20students")
    assert "Wednesday%206%20January%202027" in link


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_hand_over_at_once_one_event(staf, school_a, visit):
    """DB-03: the second clerk waits for the first one's lock, then changes nothing."""
    ani = due_student(school_a, "Ani Rahmawati")
    printing.mark_printed([ani.pk], on=TODAY, by=staf)
    batch = HandoverBatch.objects.get()
    started, release, results = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = batches.hand_over(batch, student_ids=[ani.pk], on=TODAY, by=staf)
                started.set()
                release.wait(10)
        finally:
            connection.close()

    def second():
        try:
            results["second"] = batches.hand_over(batch, student_ids=[ani.pk], on=TODAY, by=staf)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert started.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(1)
    waited = two.is_alive()
    release.set()
    one.join(10)
    two.join(10)

    assert waited is True
    assert results == {"first": [ani.pk], "second": []}
    assert StudentEvent.objects.filter(kind=EventKind.HANDED_OVER).count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_coordinator_home_shows_the_cards_coming_with_their_day(
    client, staf, koordinator_a, school_a, school_b, visit, count, django_assert_num_queries
):
    printed_batch(client, staf, school_a, visit, [f"Siswa {n}" for n in range(count)])
    printed_batch(client, staf, school_b, None, ["Budi Santoso"])
    client.force_login(koordinator_a)
    client.get(reverse("home"))  # the tallies' age bands moved to today (students.tallies)
    cache.clear()

    # The coordinator's home with its figures (see test_dashboard) and one query more:
    # the open batches of their schools with the count of cards waiting.
    with django_assert_num_queries(HOME_QUERIES):
        page = client.get(reverse("home")).content.decode()

    rows = page.split('data-testid="home-batch"')[1:]
    assert len(rows) == 1
    assert school_a.name in rows[0] and school_b.name not in page
    assert "Wednesday, 6 January 2027" in rows[0]
    assert f"{count} card" in rows[0]
