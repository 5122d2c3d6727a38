"""The visit day: today's visits of a team member, a visit's checklist, the JSON endpoint
the checklist sends its outcomes to (online or later, from its queue), and closing."""

import json
import uuid

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ktpku.access import POST, SAFE, requires

from . import access, checklists
from .checklist_forms import StudentOnTheSpotForm
from .services import visit_day
from .services.visit_day import OutcomeRefused


@requires(access.can_record_outcomes, methods=SAFE)
def visits_today(request):
    visits = checklists.visits_today(request.user)
    return render(request, "campaigns/visits_today.html", {"visits": visits})


@requires(access.can_use_checklist, load=access.get_visit_for_user, methods=SAFE)
def checklist(request, visit):
    classes = checklists.checklist(visit)
    context = {
        "visit": visit,
        "classes": classes,
        "counts": checklists.counts_of(classes),
        "choices": checklists.outcome_choices(),
        "can_add_student": access.may_add_students_at(request.user, visit),
        "can_close": visit.closed_at is None and access.can_close_visit(request.user, visit),
        "staff_after_close": visit.closed_at is not None
        and access.can_change_closed_outcomes(request.user, visit),
        "catch_up": checklists.catch_up(visit) if visit.closed_at else None,
    }
    return render(request, "campaigns/checklist.html", context)


def _refused(message, status=400):
    return JsonResponse({"accepted": False, "message": message}, status=status)


def _posted(request):
    """The JSON body as a dict with a valid key, or None."""
    try:
        data = json.loads(request.body or b"{}")
        data["key"] = uuid.UUID(str(data.get("key")))
    except (ValueError, TypeError, AttributeError):
        return None
    return data if isinstance(data, dict) else None


@requires(access.can_use_checklist, load=access.get_visit_for_user, methods=POST)
def outcome(request, visit):
    """One change: {key, student, outcome, reason, version[, note]}. 200 with the answer
    (accepted or refused with the current value); 400 for a request that is no change."""
    data = _posted(request)
    if data is None:
        return _refused(_("The change could not be read."))
    try:
        answer = visit_day.record_outcome(
            visit=visit,
            student_id=int(data.get("student")),
            outcome=str(data.get("outcome") or ""),
            reason=str(data.get("reason") or ""),
            version=int(data.get("version") or 0),
            key=data["key"],
            by=request.user,
            staff=access.can_change_closed_outcomes(request.user, visit),
            note=str(data.get("note") or "")[:300],
        )
    except (TypeError, ValueError):
        return _refused(_("The change could not be read."))
    except OutcomeRefused as refusal:
        return _refused(str(refusal))
    return JsonResponse(answer.as_json())


@requires(access.can_close_visit, load=access.get_visit_for_user, methods=POST)
def close(request, visit):
    try:
        visit_day.close_visit(visit=visit, by=request.user)
    except OutcomeRefused as refusal:
        messages.warning(request, str(refusal))
    else:
        messages.success(request, _("The visit is closed."))
    return redirect("campaigns:checklist", pk=visit.pk)


@requires(access.can_use_checklist, load=access.get_visit_for_user, methods=POST)
def rest_absent(request, visit):
    """{key, students: [ids]}: those of them still without an outcome are marked absent."""
    data = _posted(request)
    try:
        students = [int(pk) for pk in data["students"]] if data else None
    except (KeyError, TypeError, ValueError):
        students = None
    if not students:
        return _refused(_("The change could not be read."))
    accepted, message, rows = visit_day.mark_rest_absent(
        visit=visit, students=students, key=data["key"], by=request.user
    )
    return JsonResponse({"accepted": accepted, "message": message, "rows": rows})


@requires(access.can_add_students_at_visit, load=access.get_visit_for_user)
def student_add(request, visit):
    """A student who turned up but is not on the list, checked as a roster row."""
    posted = request.method == "POST"
    form = StudentOnTheSpotForm(request.POST if posted else None, visit=visit)
    if posted and form.is_valid():
        try:
            student = visit_day.add_student(
                visit=visit, values=form.values, student=form.student, by=request.user
            )
        except OutcomeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            for warning in form.warnings:
                messages.warning(request, warning)
            messages.success(request, _("%(name)s was added to the list.") % {"name": student.name})
            return redirect("campaigns:checklist", pk=visit.pk)
    status = 400 if form.errors else 200
    return render(
        request, "campaigns/student_add.html", {"visit": visit, "form": form}, status=status
    )
