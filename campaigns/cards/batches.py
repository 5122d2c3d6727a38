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


def _next_visits(school_ids, today, exclude=()):
    """{school id: the id of its next live visit within reach} (not one of `exclude`)."""
    last = today + datetime.timedelta(days=settings.CARD_HANDOVER_WITHIN_DAYS)
    visits = (
        Visit.objects.live()
        .filter(school_id__in=school_ids, date__gte=today, date__lte=last)
        .exclude(pk__in=list(exclude))
        .order_by("school_id", "date", "pk")
        .values_list("school_id", "pk")
    )
    found = {}
    for school_id, pk in visits:
        found.setdefault(school_id, pk)
    return found


def _propose_missing(school_ids, visits, today, avoid=None):
    """A handover-only visit the planner proposes for each school with no visit within
    reach (one solve for all of them), not on the days of `avoid` ({school id: dates})."""
    missing = [pk for pk in school_ids if pk not in visits]
    if not missing:
        return
    proposed = handover_visits.propose(
        list(School.objects.filter(pk__in=missing).order_by("pk")), today=today, avoid=avoid
    )
    visits.update({school_id: visit.pk for school_id, visit in proposed.items()})


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


def _move(batch, visit_id, *, because, from_date, by, now):
    """Put `batch`'s cards on `visit_id` (None: waiting for a visit). The school's open batch
    for that visit, if there is one, takes the cards, and `batch` closes pointing to it;
    else `batch` itself changes visit. Returns the batch the cards are in now."""
    moved = {"moved_because": because, "moved_from_date": from_date, "moved_at": now}
    into = (
        HandoverBatch.objects.select_for_update()
        .filter(status=HandoverBatch.Status.OPEN, school_id=batch.school_id, visit_id=visit_id)
        .exclude(pk=batch.pk)
        .first()
    )
    if into is None:
        # The school was told the old day: it is told the new one once that is accepted.
        HandoverBatch.objects.filter(pk=batch.pk).update(
            visit_id=visit_id, notified_at=None, **moved
        )
        return batch.pk
    batch.items.filter(state=WAITING).update(batch_id=into.pk)
    HandoverBatch.objects.filter(pk=into.pk).update(notified_at=None, **moved)
    HandoverBatch.objects.filter(pk=batch.pk).update(
        status=HandoverBatch.Status.CLOSED, closed_at=now, closed_by=by, moved_to=into, **moved
    )
    return into.pk


@transaction.atomic
def follow(batch_ids, *, because, by=None, today=None, exclude=(), detach=False, left_on=None):
    """Open batches whose visit was cancelled, moved or is being planned again: the cards go
    with the school's next live visit within reach (which may still be their own, moved),
    else with a handover-only visit the planner proposes, else they wait for a visit.

    `exclude`: visits the cards may not go with (proposals about to be deleted). With
    `detach`, the cards only leave their visit and wait (the planner runs next, and
    follow() is called again after it). `left_on`: the day the visit had before it was
    moved. A handover-only visit is never proposed on the day just cancelled or left.
    Each move is recorded on the batch: why, the day of the visit left and when, for its
    page. Loops over batches (a school's one per visit), never over cards. Returns
    {batch id: the batch its cards are in now}.
    """
    today = today or dates.today()
    now = timezone.now()
    chosen = list(
        HandoverBatch.objects.select_for_update(of=("self",))
        .filter(pk__in=list(batch_ids), status=HandoverBatch.Status.OPEN)
        .select_related("visit")
        .order_by("pk")
    )
    if not chosen:
        return {}
    left = {}
    for batch in chosen:
        day = left_on or (batch.visit.date if batch.visit else batch.moved_from_date)
        left[batch.pk] = day
    school_ids = sorted({batch.school_id for batch in chosen})
    targets = {} if detach else _next_visits(school_ids, today, exclude)
    if not detach:
        avoid = {}
        for batch in chosen:
            if left[batch.pk] is not None and because != HandoverBatch.Moved.REPLANNED:
                avoid.setdefault(batch.school_id, set()).add(left[batch.pk])
        _propose_missing(school_ids, targets, today, avoid)
    result = {}
    for batch in chosen:  # batches, not cards
        target = targets.get(batch.school_id)
        from_date = left[batch.pk]
        if target == batch.visit_id:
            if target is not None and because == HandoverBatch.Moved.MOVED:  # another day
                HandoverBatch.objects.filter(pk=batch.pk).update(
                    notified_at=None, moved_because=because, moved_from_date=from_date, moved_at=now
                )
            result[batch.pk] = batch.pk
            continue
        result[batch.pk] = _move(
            batch, target, because=because, from_date=from_date, by=by, now=now
        )
    landed = sorted(set(result.values()))
    _count_handover_cards(landed)
    transaction.on_commit(lambda: notify.batches_ready_notify(landed))
    return result


def follow_visit(visit, *, because, by=None, today=None, left_on=None):
    """After `visit` was cancelled or moved: its open batch follows (see follow())."""
    ids = list(
        HandoverBatch.objects.filter(visit=visit, status=HandoverBatch.Status.OPEN).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return {}
    return follow(ids, because=because, by=by, today=today, left_on=left_on)
