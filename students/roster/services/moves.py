"""A student found on another school's roster moves only when staff confirm it."""

from django.db import transaction
from django.utils import timezone

from students.models import SchoolMoveRequest, Student


class MoveAlreadyDecided(Exception):
    pass


class MoveOutdated(Exception):
    """The student is no longer at the school the move starts from."""


@transaction.atomic
def school_move_decide(*, move_id, user, confirm):
    """Confirm (the student moves to the new school) or reject (nothing moves) a move."""
    move = (
        SchoolMoveRequest.objects.select_for_update(of=("self",))
        .select_related("student")
        .get(pk=move_id)
    )
    if move.status != SchoolMoveRequest.Status.PENDING:
        raise MoveAlreadyDecided(move.get_status_display())
    if confirm:
        student = Student.objects.select_for_update().get(pk=move.student_id)
        if student.school_id != move.from_school_id:
            # Moved by another decision since: this request describes a past situation.
            raise MoveOutdated(move.pk)
        student.school_id = move.to_school_id
        update_fields = ["school", "updated_at"]
        if move.class_name:
            student.class_name = move.class_name
            update_fields.append("class_name")
        student._change_reason = "school move"
        student.save(update_fields=update_fields)
        # The student is where the office decided: other pending moves of them are moot.
        (
            SchoolMoveRequest.objects.filter(
                student_id=move.student_id, status=SchoolMoveRequest.Status.PENDING
            )
            .exclude(pk=move.pk)
            .update(
                status=SchoolMoveRequest.Status.REJECTED, decided_by=user, decided_at=timezone.now()
            )
        )
    move.status = (
        SchoolMoveRequest.Status.CONFIRMED if confirm else SchoolMoveRequest.Status.REJECTED
    )
    move.decided_by = user
    move.decided_at = timezone.now()
    move.save(update_fields=["status", "decided_by", "decided_at"])
    return move
