"""Handover batches: printed cards ride along with their school's next visit.

A printed card joins its school's open batch for the next live visit within
CARD_HANDOVER_WITHIN_DAYS, or the school's batch waiting for a visit when there is none
(the nightly job moves it once a visit is planned). Set-based: the loops go over schools,
never over students.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from schools.models import School
from students import dates, lifecycle
from students.models import EventKind, Status, Student

from ..card_models import HandoverBatch, HandoverItem
from ..models import Visit
from . import handover_visits, notify

WAITING = HandoverItem.State.WAITING


def _next_visits(school_ids, today):
    """{school id: the id of its next live visit within reach}."""
    last = today + datetime.timedelta(days=settings.CARD_HANDOVER_WITHIN_DAYS)
    visits = (
        Visit.objects.live()
        .filter(school_id__in=school_ids, date__gte=today, date__lte=last)
        .order_by("school_id", "date", "pk")
        .values_list("school_id", "pk")
    )
    found = {}
    for school_id, pk in visits:
        found.setdefault(school_id, pk)
    return found


def _propose_missing(school_ids, visits, today):
    """A proposed handover-only visit for each school with no visit within reach."""
    schools = School.objects.filter(pk__in=[pk for pk in school_ids if pk not in visits])
    for school in schools:  # schools, not students
        visit = handover_visits.propose(school, cards=0, today=today)
        if visit is not None:
            visits[school.pk] = visit.pk


def _target_batches(school_ids, today):
    """{school id: open batch id} for the schools' next visits, creating missing batches
    (and proposing a handover-only visit where no visit lies within reach)."""
    visits = _next_visits(school_ids, today)
    _propose_missing(school_ids, visits, today)
    HandoverBatch.objects.bulk_create(
        [HandoverBatch(school_id=pk, visit_id=visits.get(pk)) for pk in school_ids],
        ignore_conflicts=True,
    )
    open_batches = HandoverBatch.objects.filter(
        status=HandoverBatch.Status.OPEN, school_id__in=school_ids
    ).values_list("school_id", "visit_id", "pk")
    by_key = {(school_id, visit_id): pk for school_id, visit_id, pk in open_batches}
    return {pk: by_key[(pk, visits.get(pk))] for pk in school_ids}


@transaction.atomic
def attach_printed(*, student_ids=None, today=None):
    """Put printed cards not yet waiting in a batch into their school's batch; move cards
    waiting for a visit to one planned since. Returns the number of cards placed."""
    today = today or dates.today()
    waiting = HandoverItem.objects.filter(student=OuterRef("pk"), state=WAITING)
    cards = Student.objects.filter(status=Status.PRINTED).exclude(Exists(waiting))
    if student_ids is not None:
        cards = cards.filter(pk__in=student_ids)
    school_ids = set(cards.values_list("school_id", flat=True).distinct())
    unplanned = HandoverItem.objects.filter(
        state=WAITING, batch__visit__isnull=True, batch__status=HandoverBatch.Status.OPEN
    )
    if student_ids is None:
        school_ids |= set(unplanned.values_list("batch__school_id", flat=True).distinct())
    if student_ids is None:  # the nightly run: also tell schools whose visit was accepted since
        transaction.on_commit(lambda: notify.batches_ready_notify(None))
    if not school_ids:
        return 0
    targets = _target_batches(sorted(school_ids), today)
    moved = 0
    for school_id, batch_id in targets.items():  # schools, not students
        moved += (
            unplanned.filter(batch__school_id=school_id)
            .exclude(batch_id=batch_id)
            .update(batch_id=batch_id)
        )
    pairs = ", ".join(["(%s, %s)"] * len(targets))
    params = [value for pair in targets.items() for value in pair]
    test, ids = lifecycle.ids_sql_of(student_ids) if student_ids is not None else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {HandoverItem._meta.db_table} "  # noqa: S608 (names from the models)
            "(batch_id, student_id, state, ikd_activated, created_at) "
            f"SELECT t.column2, s.id, %s, false, %s FROM {Student._meta.db_table} s "
            f"JOIN (VALUES {pairs}) AS t ON s.school_id = t.column1 WHERE s.status = %s"
            + (f" AND s.id {test}" if test else "")
            + " ON CONFLICT DO NOTHING",
            [WAITING, timezone.now(), *params, Status.PRINTED, *ids],
        )
        placed = cursor.rowcount
    _count_handover_cards(targets.values())
    if student_ids is not None:
        transaction.on_commit(lambda: notify.batches_ready_notify(sorted(set(targets.values()))))
    return placed + moved


def _count_handover_cards(batch_ids):
    """A handover-only visit expects as many students as its batches have cards waiting."""
    counts = (
        HandoverItem.objects.filter(
            batch_id__in=list(batch_ids), state=WAITING, batch__visit__kind=Visit.Kind.HANDOVER
        )
        .values_list("batch__visit_id")
        .annotate(cards=Count("pk"))
    )
    for visit_id, cards in counts:  # one per school
        Visit.objects.filter(pk=visit_id).update(expected=cards)


@transaction.atomic
def hand_over(batch, *, student_ids, ikd_ids=(), on, by):
    """Hand over the cards of `student_ids` waiting in `batch` on `on`, with the IKD
    activation of `ikd_ids` among them. The batch is locked: a double click or a second
    clerk finds the cards handed over and changes nothing. Returns the ids handed over."""
    HandoverBatch.objects.select_for_update().get(pk=batch.pk)
    waiting = batch.items.filter(state=WAITING, student_id__in=student_ids)
    handed = lifecycle.apply_many(
        list(waiting.values_list("student_id", flat=True)),
        EventKind.HANDED_OVER,
        on=on,
        by=by,
        visit_id=batch.visit_id,
    )
    if not handed:
        return []
    batch.items.filter(state=WAITING, student_id__in=handed).update(
        state=HandoverItem.State.HANDED_OVER, handed_over_on=on
    )
    activated = lifecycle.apply_many(
        [pk for pk in handed if pk in set(ikd_ids)],
        EventKind.IKD_ACTIVATED,
        on=on,
        by=by,
        visit_id=batch.visit_id,
    )
    if activated:
        batch.items.filter(student_id__in=activated).update(ikd_activated=True)
    return handed


@transaction.atomic
def close(batch, *, by):
    """Close the batch after its visit: cards not collected go back, to the next visit."""
    batch = (
        HandoverBatch.objects.select_for_update(of=("self",))
        .select_related("visit")
        .get(pk=batch.pk)
    )
    if batch.status == HandoverBatch.Status.CLOSED:
        return []
    left = list(batch.items.filter(state=WAITING).values_list("student_id", flat=True))
    batch.items.filter(state=WAITING).update(state=HandoverItem.State.NOT_COLLECTED)
    batch.status, batch.closed_at, batch.closed_by = (
        HandoverBatch.Status.CLOSED,
        timezone.now(),
        by,
    )
    batch.save(update_fields=["status", "closed_at", "closed_by"])
    if left:
        after = max(dates.today(), batch.visit.date) if batch.visit else dates.today()
        attach_printed(student_ids=left, today=after + datetime.timedelta(days=1))
    return left
