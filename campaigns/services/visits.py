"""One visit at a time: add, move, split, cancel, and the coordinator's answer.

Every change goes through conflicts.Calendar.check, the same check the planner's proposals
pass. A refused change raises VisitRefused (its messages are Indonesian) and leaves the
data as it was; an allowed one returns its warnings (a half day, too many students).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ktpku.tasks import enqueue
from students import dates

from ..card_models import HandoverBatch
from ..cards import batches
from ..conflicts import ERROR, Calendar, Finding, VisitRefused, refuse_errors
from ..models import Visit
from ..notifications import MAIL_NOT_SENT
from ..planning.calendar import open_days
from ..planning.problem import split_parts
from .planning import waiting_students


def _refuse(code, message):
    raise VisitRefused([Finding(ERROR, code, message)])


def _save(visit, fields=()):
    """Save within a savepoint: a visit that raced into the same day is refused, not a 500."""
    try:
        with transaction.atomic():
            if visit.pk is None:
                visit.save()
            else:
                visit.save(update_fields=[*fields, "updated_at"])
    except IntegrityError:
        _refuse("taken", _("Another visit was just planned on that day. Reload and try again."))


def _lock(visit):
    locked = (
        Visit.objects.select_for_update()
        .select_related("campaign", "team", "school")
        .get(pk=visit.pk)
    )
    if locked.status == Visit.Status.CANCELLED:
        _refuse("cancelled", _("This visit has been cancelled."))
    return locked


def renumber(campaign, school):
    """Part n of m for the school's live visits: a run over consecutive open days is one."""
    rows = dict(campaign.days.values_list("date", "kind"))
    days, _half = open_days(
        campaign.first_day, campaign.last_day, rows, fridays_half_day=campaign.fridays_half_day
    )
    visits = list(Visit.objects.filter(campaign=campaign, school=school).live())
    on_open = [v for v in visits if v.date in set(days)]
    parts = split_parts({school.pk: [v.date for v in on_open]}, days)
    for visit in visits:
        part, count = parts.get((school.pk, visit.date), (1, 1))
        if (visit.part, visit.parts) != (part, count):
            Visit.objects.filter(pk=visit.pk).update(part=part, parts=count)


@transaction.atomic
def visit_add(*, campaign, school, team, date, by, kind=Visit.Kind.RECORDING, today=None):
    """A visit entered by staff, accepted at once. Returns (visit, warnings).

    A recording visit takes the school's students who are 16 by that day and not in
    another visit still to come.
    """
    from ..tasks import notify_visits_set

    today = today or dates.today()
    students = []
    if kind == Visit.Kind.RECORDING:
        students = waiting_students(campaign=campaign, school=school, date=date)
    warnings = refuse_errors(
        Calendar(campaign).check(
            school=school, team=team, date=date, expected=len(students), today=today
        )
    )
    visit = Visit(
        campaign=campaign,
        school=school,
        team=team,
        date=date,
        kind=kind,
        expected=len(students),
        status=Visit.Status.ACCEPTED,
        source=Visit.Source.MANUAL,
        created_by=by,
        updated_by=by,
    )
    _save(visit)
    visit.students.set(students)
    renumber(campaign, school)
    transaction.on_commit(
        lambda: enqueue(notify_visits_set, [visit.pk], run_here=True, unavailable=MAIL_NOT_SENT)
    )
    return visit, warnings


@transaction.atomic
def visit_move(*, visit, date, by, team=None, today=None):
    """Move a visit to another day (and team). Returns the warnings; [] when nothing changed.

    The coordinator's earlier answer and the reminders sent are reset: they were about
    the old day. Students not yet 16 on the new day are taken off the visit.
    """
    from ..tasks import notify_visit_moved

    today = today or dates.today()
    visit = _lock(visit)
    team = team or visit.team
    if (visit.date, visit.team_id) == (date, team.pk):
        return []
    if visit.date < today:
        _refuse("in_the_past", _("This visit's day has passed: it can no longer be moved."))
    keep = [s for s in visit.students.all() if dates.may_be_recorded(s.birth_date, date)]
    warnings = refuse_errors(
        Calendar(visit.campaign, exclude=[visit.pk]).check(
            school=visit.school, team=team, date=date, expected=len(keep), today=today
        )
    )
    previous = visit.date
    visit.date, visit.team = date, team
    visit.expected = len(keep)
    visit.coordinator_answer, visit.coordinator_note = Visit.Answer.NONE, ""
    visit.answered_by = visit.answered_at = None
    visit.reminder_week_sent_at = visit.reminder_day_sent_at = None
    visit.updated_by = by
    _save(
        visit,
        [
            "date",
            "team",
            "expected",
            "coordinator_answer",
            "coordinator_note",
            "answered_by",
            "answered_at",
            "reminder_week_sent_at",
            "reminder_day_sent_at",
            "updated_by",
        ],
    )
    visit.students.set(keep)
    renumber(visit.campaign, visit.school)
    if previous != date:
        # Cards riding with it go with the school's next visit within reach (still this
        # one, if it is), or a handover-only visit the planner proposes.
        batches.follow_visit(
            visit, because=HandoverBatch.Moved.MOVED, by=by, today=today, left_on=previous
        )
    if previous != date and visit.status == Visit.Status.ACCEPTED:
        transaction.on_commit(
            lambda: enqueue(
                notify_visit_moved,
                visit.pk,
                previous.isoformat(),
                run_here=True,
                unavailable=MAIL_NOT_SENT,
            )
        )
    return warnings


@transaction.atomic
def visit_split(*, visit, date, by, team=None, today=None):
    """Move the younger half of a visit's students to a new visit. Returns (visit, warnings)."""
    today = today or dates.today()
    visit = _lock(visit)
    team = team or visit.team
    students = sorted(visit.students.all(), key=lambda s: (s.birth_date, s.pk))
    if len(students) < 2:
        _refuse("too_small", _("A visit needs at least two students to be split."))
    moving = [
        s for s in students[len(students) // 2 :] if dates.may_be_recorded(s.birth_date, date)
    ]
    if not moving:
        _refuse("nobody_16", _("None of these students is 16 yet on that day."))
    warnings = refuse_errors(
        Calendar(visit.campaign).check(
            school=visit.school, team=team, date=date, expected=len(moving), today=today
        )
    )
    new = Visit(
        campaign=visit.campaign,
        school=visit.school,
        team=team,
        date=date,
        kind=visit.kind,
        expected=len(moving),
        status=visit.status,
        source=Visit.Source.MANUAL,
        created_by=by,
        updated_by=by,
    )
    _save(new)
    new.students.set(moving)
    visit.students.remove(*moving)
    visit.expected -= len(moving)
    visit.updated_by = by
    visit.save(update_fields=["expected", "updated_by", "updated_at"])
    renumber(visit.campaign, visit.school)
    return new, warnings


@transaction.atomic
def visit_cancel(*, visit, by, reason):
    """Cancel a visit; its day and team are free again, its students wait for another."""
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason_missing", _("Say why the visit is cancelled."))
    visit = _lock(visit)
    visit.status = Visit.Status.CANCELLED
    visit.cancel_reason = reason[:300]
    visit.updated_by = by
    visit.save(update_fields=["status", "cancel_reason", "updated_by", "updated_at"])
    visit.students.clear()
    renumber(visit.campaign, visit.school)
    # Cards that were to be handed over at it go with the school's next visit within
    # reach, or a handover-only visit the planner proposes (never on this same day).
    batches.follow_visit(visit, because=HandoverBatch.Moved.CANCELLED, by=by)
    return visit


@transaction.atomic
def visit_answer(*, visit, by, answer, note=""):
    """The coordinator confirms the day, or asks for another one (saying why)."""
    note = (note or "").strip()
    if answer not in (Visit.Answer.CONFIRMED, Visit.Answer.CHANGE_ASKED):
        _refuse("answer_invalid", _("Choose whether the day suits the school."))
    if answer == Visit.Answer.CHANGE_ASKED and not note:
        _refuse("note_missing", _("Say which days would suit the school, and why."))
    visit = _lock(visit)
    if visit.status != Visit.Status.ACCEPTED:
        _refuse("not_accepted", _("This visit is not fixed yet: there is nothing to confirm."))
    visit.coordinator_answer = answer
    visit.coordinator_note = note[:500]
    visit.answered_by = by
    visit.answered_at = timezone.now()
    visit.save(
        update_fields=[
            "coordinator_answer",
            "coordinator_note",
            "answered_by",
            "answered_at",
            "updated_at",
        ]
    )
    return visit
