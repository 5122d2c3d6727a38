"""Cards on their way to a school when their visit is cancelled, moved or planned again:
they go with the school's next visit within reach, or a handover-only visit the planner
proposes (a team-day the calendar, the school and a team allow), and the batch page says
so."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.card_models import HandoverBatch, HandoverItem
from campaigns.cards import batches
from campaigns.models import Visit
from campaigns.services.planning import campaign_plan
from students import lifecycle
from students.models import EventKind, Student
from tests.factories import BlackoutPeriodFactory, SchoolFactory, StudentFactory

from .factories import CalendarDayFactory, TeamFactory, VisitFactory

pytestmark = pytest.mark.usefixtures("english", "media")

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
D = datetime.date
TODAY = D(2027, 1, 4)  # a Monday
WED = D(2027, 1, 6)
BORN = D(2009, 11, 20)


@pytest.fixture(autouse=True)
def office_now(time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def visit(campaign, team, school_a):
    return VisitFactory(campaign=campaign, team=team, school=school_a, date=WED)


@pytest.fixture
def coordinator(koordinator_a):
    koordinator_a.email = "guru@sman1paringin.sch.id"
    koordinator_a.save(update_fields=["email"])
    return koordinator_a


def printed(school, *names):
    """Students of `school` whose cards were printed today, placed in their batches."""
    students = []
    for name in names:
        student = StudentFactory(school=school, name=name, birth_date=BORN)
        for kind in (EventKind.RECORDED, EventKind.PRINT_READY):
            lifecycle.apply(student, kind, on=D(2025, 11, 20), by=None)
        for kind in (EventKind.DUE_FOR_PRINT, EventKind.PRINTED):
            lifecycle.apply(student, kind, on=TODAY, by=None)
        students.append(student)
    batches.attach_printed(student_ids=[s.pk for s in students], today=TODAY)
    return students


def cancel(client, staf, visit, reason="Sekolah mengadakan ujian"):
    client.force_login(staf)
    return client.post(reverse("campaigns:visit_cancel", args=[visit.pk]), {"reason": reason})


def waiting_in(batch):
    return sorted(
        batch.items.filter(state=HandoverItem.State.WAITING).values_list("student__name", flat=True)
    )


def test_cancelled_visit_cards_go_with_the_next_visit_within_reach(
    client, staf, campaign, team, school_a, visit
):
    printed(school_a, "Ani Rahmawati", "Budi Santoso")
    batch = HandoverBatch.objects.get(visit=visit)
    HandoverBatch.objects.filter(pk=batch.pk).update(notified_at=datetime.datetime.now(WITA))
    later = VisitFactory(campaign=campaign, team=team, school=school_a, date=D(2027, 1, 20))

    cancel(client, staf, visit)

    batch.refresh_from_db()
    assert (batch.status, batch.visit, batch.notified_at) == ("open", later, None)
    assert (batch.moved_because, batch.moved_from_date) == ("cancelled", WED)
    assert waiting_in(batch) == ["Ani Rahmawati", "Budi Santoso"]
    page = client.get(reverse("campaigns:batch", args=[batch.pk])).content.decode()
    assert "With the visit on Wednesday, 20 January 2027 (Tim Paringin)." in page
    assert "The visit of Wednesday, 6 January 2027 these cards were to go with was cancelled." in (
        page
    )
    assert "On 4 January 2027, 09.00 WITA the cards moved to the visit above." in page


def test_cancelled_visit_without_another_gets_a_handover_visit_the_planner_proposes(
    client, staf, campaign, team, school_a, school_b, visit, settings
):
    """Tuesday the office is closed, Wednesday was just cancelled, Thursday the school has
    exams, Friday the team is at another school, and it does not work weekends: Monday."""
    settings.CARD_HANDOVER_WITHIN_DAYS = 10
    printed(school_a, "Ani Rahmawati", "Budi Santoso", "Citra Dewi")
    CalendarDayFactory(campaign=campaign, date=D(2027, 1, 5), name="Rapat kantor")
    BlackoutPeriodFactory(school=school_a, start=D(2027, 1, 7), end=D(2027, 1, 7))
    VisitFactory(campaign=campaign, team=team, school=school_b, date=D(2027, 1, 8))
    batch = HandoverBatch.objects.get(visit=visit)

    cancel(client, staf, visit)

    batch.refresh_from_db()
    proposed = batch.visit
    assert (proposed.kind, proposed.status, proposed.source) == ("handover", "proposed", "planner")
    assert (proposed.school, proposed.team, proposed.date, proposed.expected) == (
        school_a,
        team,
        D(2027, 1, 11),
        3,
    )
    assert (batch.moved_because, batch.moved_from_date) == ("cancelled", WED)
    page = client.get(reverse("campaigns:batch", args=[batch.pk])).content.decode()
    assert "With the visit on Monday, 11 January 2027 (Tim Paringin)." in page
    assert "A handover-only visit the planner proposes: the school is told once staff " in page
    assert mail.outbox == []  # a proposal is not a day to tell the school


def test_the_planner_picks_a_free_team_for_the_handover(
    client, staf, campaign, team, school_a, school_b, visit, settings
):
    settings.CARD_HANDOVER_WITHIN_DAYS = 10
    printed(school_a, "Ani Rahmawati")
    other = TeamFactory(campaign=campaign, name="Tim Awayan", weekdays="12345")
    VisitFactory(campaign=campaign, team=team, school=school_b, date=D(2027, 1, 5))

    cancel(client, staf, visit)

    proposed = HandoverBatch.objects.get(status="open").visit
    assert (proposed.date, proposed.team) == (D(2027, 1, 5), other)


def test_no_day_within_reach_the_cards_wait_for_a_visit(
    client, staf, campaign, team, school_a, visit, settings
):
    settings.CARD_HANDOVER_WITHIN_DAYS = 3  # 5 to 7 January: closed, cancelled, exams
    printed(school_a, "Ani Rahmawati")
    CalendarDayFactory(campaign=campaign, date=D(2027, 1, 5), name="Rapat kantor")
    BlackoutPeriodFactory(school=school_a, start=D(2027, 1, 7), end=D(2027, 1, 7))
    batch = HandoverBatch.objects.get(visit=visit)

    cancel(client, staf, visit)

    batch.refresh_from_db()
    assert (batch.status, batch.visit, batch.moved_because) == ("open", None, "cancelled")
    assert not Visit.objects.filter(kind=Visit.Kind.HANDOVER).exists()
    page = client.get(reverse("campaigns:batch", args=[batch.pk])).content.decode()
    assert "no other visit was within reach: the cards wait for the next one." in page


def test_cancelled_cards_join_the_batch_already_on_the_next_visit(
    client, staf, campaign, team, school_a
):
    later = VisitFactory(campaign=campaign, team=team, school=school_a, date=D(2027, 1, 20))
    printed(school_a, "Ani Rahmawati")  # into the batch for 20 January
    sooner = VisitFactory(campaign=campaign, team=team, school=school_a, date=WED)
    printed(school_a, "Budi Santoso")  # into the batch for 6 January
    left = HandoverBatch.objects.get(visit=sooner)
    kept = HandoverBatch.objects.get(visit=later)

    cancel(client, staf, sooner)

    left.refresh_from_db()
    kept.refresh_from_db()
    assert (left.status, left.moved_to, left.closed_by) == ("closed", kept, staf)
    assert (kept.status, kept.moved_because, kept.moved_from_date) == ("open", "cancelled", WED)
    assert waiting_in(kept) == ["Ani Rahmawati", "Budi Santoso"]
    page = client.get(reverse("campaigns:batch", args=[left.pk])).content.decode()
    assert reverse("campaigns:batch", args=[kept.pk]) in page
    assert "its cards joined the school's batch for the next visit" in page


def test_visit_moved_within_reach_keeps_its_cards_and_the_school_is_told_again(
    client, staf, school_a, visit, coordinator, django_capture_on_commit_callbacks
):
    printed(school_a, "Ani Rahmawati")
    batch = HandoverBatch.objects.get(visit=visit)
    with django_capture_on_commit_callbacks(execute=True):
        batches.attach_printed()  # the nightly run tells the school
    client.force_login(staf)

    client.post(
        reverse("campaigns:visit_move", args=[visit.pk]),
        {"date": "2027-01-13", "team": visit.team_id},
    )
    with django_capture_on_commit_callbacks(execute=True):
        batches.attach_printed()

    batch.refresh_from_db()
    assert (batch.visit, batch.moved_because, batch.moved_from_date) == (visit, "moved", WED)
    cards_mail = [m for m in mail.outbox if m.subject.startswith("KTP-el cards ready")]
    assert len(cards_mail) == 2
    assert "Wednesday 6 January 2027" in cards_mail[0].body
    assert "Wednesday 13 January 2027" in cards_mail[1].body


def test_visit_moved_out_of_reach_gets_a_handover_visit_not_on_the_day_left(
    client, staf, campaign, team, school_a, visit, settings
):
    settings.CARD_HANDOVER_WITHIN_DAYS = 10
    printed(school_a, "Ani Rahmawati")
    batch = HandoverBatch.objects.get(visit=visit)
    client.force_login(staf)

    client.post(
        reverse("campaigns:visit_move", args=[visit.pk]),
        {"date": "2027-02-03", "team": visit.team_id},
    )

    batch.refresh_from_db()
    assert (batch.visit.kind, batch.visit.status, batch.visit.date) == (
        "handover",
        "proposed",
        D(2027, 1, 5),
    )
    assert (batch.moved_because, batch.moved_from_date) == ("moved", WED)


def test_replanning_keeps_handover_proposals_and_moves_cards_off_old_proposals(
    staf, campaign, team, school_a, school_b, settings
):
    settings.CARD_HANDOVER_WITHIN_DAYS = 10
    old = VisitFactory(
        campaign=campaign, team=team, school=school_a, date=WED, status=Visit.Status.PROPOSED
    )
    printed(school_a, "Ani Rahmawati")
    printed(school_b, "Budi Santoso")  # no visit within reach: a handover-only proposal
    handover = HandoverBatch.objects.get(school=school_b).visit
    riding = HandoverBatch.objects.get(school=school_a)
    assert riding.visit == old

    campaign_plan(campaign=campaign, by=staf, today=TODAY, effort=0.5)

    assert not Visit.objects.filter(pk=old.pk).exists()
    assert HandoverBatch.objects.get(school=school_b).visit == handover
    riding.refresh_from_db()
    assert riding.moved_because == "replanned"
    assert riding.moved_from_date == WED
    assert riding.visit.status == "proposed"
    assert riding.visit.date <= TODAY + datetime.timedelta(days=10)
    assert Student.objects.get(name="Ani Rahmawati").handover_items.get().batch == riding


@pytest.mark.parametrize("count", [1, 3])
def test_batch_list_with_moved_batches_fixed_queries(
    client, staf, campaign, team, count, django_assert_num_queries
):
    client.force_login(staf)
    for n in range(count):
        school = SchoolFactory(name=f"SMA Negeri {n + 5} Contoh")
        campaign.schools.add(school)
        gone = VisitFactory(
            campaign=campaign, team=team, school=school, date=WED + D.resolution * n
        )
        VisitFactory(
            campaign=campaign, team=team, school=school, date=D(2027, 1, 20) + D.resolution * n
        )
        printed(school, f"Siswa {n}")
        client.post(reverse("campaigns:visit_cancel", args=[gone.pk]), {"reason": "Banjir"})
    # session / user / the second-factor device / the user's own permissions / their groups'
    # permissions / the open batches with their school, visit, team and count of cards waiting
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:batches"))
    page = response.content.decode()
    assert page.count('data-testid="batch-row"') == page.count('data-testid="batch-row-moved"')
    assert page.count('data-testid="batch-row"') == count


def test_two_schools_one_team_the_planner_gives_each_its_own_day(
    campaign, team, school_a, school_b
):
    from campaigns.cards import handover_visits

    proposed = handover_visits.propose([school_a, school_b], today=TODAY)

    assert sorted(v.date for v in proposed.values()) == [D(2027, 1, 5), D(2027, 1, 6)]
    assert {(v.team, v.kind, v.status, v.source) for v in proposed.values()} == {
        (team, "handover", "proposed", "planner")
    }
    assert set(proposed) == {school_a.pk, school_b.pk}


def test_a_school_in_no_running_campaign_gets_no_proposal(team, school_a):
    from campaigns.cards import handover_visits

    outside = SchoolFactory(name="MA Darussalam")

    assert handover_visits.propose([outside], today=TODAY) == {}
