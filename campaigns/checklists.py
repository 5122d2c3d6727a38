"""Reads for the visit day: today's visits of a person, a visit's checklist and its counts,
and the students of a closed visit who go back to the school's catch-up list."""

from itertools import groupby

from django.db.models import Count

from students import dates
from students.models import FailureReason

from . import access
from .models import Outcome, Visit, VisitOutcome

# The outcomes the summary counts on their own; the rest are "others".
SUMMARY = (Outcome.RECORDED, Outcome.ABSENT, Outcome.FAILED)
# Outcomes after which the student waits for another visit.
CATCH_UP = (Outcome.ABSENT, Outcome.FAILED)


def visits_today(user):
    """The live recording visits of today that `user` may record at (their teams')."""
    visits = access.visits_for_user(user).live().for_list()
    if access.can_plan_campaigns(user):
        visits = visits.filter(team__members=user)
    return visits.filter(date=dates.today(), kind=Visit.Kind.RECORDING).order_by("pk")


def checklist(visit):
    """The expected students grouped by class: [(class name, [row])], each row a dict with
    the student's outcome, reason and version (0 when nothing was set yet). Two queries."""
    outcomes = {
        row.student_id: row
        for row in VisitOutcome.objects.filter(visit=visit).only(
            "student_id", "outcome", "reason", "version"
        )
    }
    students = visit.students.order_by("class_name", "name", "pk").values(
        "pk", "name", "nisn", "class_name"
    )
    rows = []
    for student in students:
        current = outcomes.get(student["pk"])
        rows.append(
            {
                "id": student["pk"],
                "name": student["name"],
                "nisn": student["nisn"],
                "class_name": student["class_name"],
                "outcome": current.outcome if current else "",
                "reason": current.reason if current else "",
                "version": current.version if current else 0,
            }
        )
    return [(name, list(group)) for name, group in groupby(rows, key=lambda r: r["class_name"])]


def counts(visit):
    """{"recorded", "absent", "failed", "others", "waiting", "total"} of a visit (two queries)."""
    by_outcome = dict(
        VisitOutcome.objects.filter(visit=visit)
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("pk"))
    )
    return counts_from(by_outcome, visit.students.count())


def counts_of(classes):
    """The same counts, from a checklist already read (no query)."""
    by_outcome, total = {}, 0
    for _name, rows in classes:
        for row in rows:
            total += 1
            if row["outcome"]:
                by_outcome[row["outcome"]] = by_outcome.get(row["outcome"], 0) + 1
    return counts_from(by_outcome, total)


def counts_from(by_outcome, total):
    done = sum(by_outcome.values())
    result = {outcome.value: by_outcome.get(outcome.value, 0) for outcome in SUMMARY}
    result["others"] = done - sum(result.values())
    result["waiting"] = total - done
    result["total"] = total
    return result


def catch_up(visit):
    """The students of the visit who were absent or whose recording failed (one query)."""
    return (
        VisitOutcome.objects.filter(visit=visit, outcome__in=CATCH_UP)
        .select_related("student")
        .order_by("student__class_name", "student__name", "pk")
    )


def outcome_choices():
    """The choices the page offers, for the template and the script."""
    return {
        "outcomes": [(value, str(label)) for value, label in Outcome.choices],
        "reasons": [(value, str(label)) for value, label in FailureReason.choices],
    }


def report_rows(visit):
    """The visit's students with their outcome, for the report: name, class, masked NIK
    and the outcome in words (two queries)."""
    from students.nik import mask

    from .services.visit_day import outcome_label

    outcomes = {
        student: (outcome, reason)
        for student, outcome, reason in VisitOutcome.objects.filter(visit=visit).values_list(
            "student_id", "outcome", "reason"
        )
    }
    rows = []
    students = visit.students.order_by("class_name", "name", "pk").values_list(
        "pk", "name", "class_name", "nik", "nisn"
    )
    for pk, name, class_name, nik, nisn in students:
        outcome, reason = outcomes.get(pk, ("", ""))
        rows.append(
            {
                "id": pk,
                "name": name,
                "class_name": class_name,
                "nik": mask(nik),
                "nisn": nisn,
                "outcome": outcome_label(outcome, reason),
                "code": outcome,
                "reason": reason,
            }
        )
    return rows
