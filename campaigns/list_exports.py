"""The office's lists as workbooks: a campaign's visits and their outcomes, and the cards
(the print queue and the handovers). ktpku.exports does the writing, the job and the
download; students.list_export masks the NIKs and writes the audit rows.

Each sheet is one query read as an iterator, whatever the number of visits or students.
"""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ktpku import xlsx
from ktpku.exports import Export, Sheet
from students.access import can_see_full_nik
from students.list_export import nik_for, record_students_export
from students.models import EventKind, FailureReason, Status, StudentEvent

from . import access
from .card_forms import QueueFilterForm
from .card_models import HandoverBatch, HandoverItem
from .cards.queue import print_queue
from .models import Outcome, Visit, VisitOutcome

CHUNK = 2000


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def _school_code(npsn, nsm, nspp):
    return npsn or nsm or nspp


class VisitExport(Export):
    """params: {"campaign": id}. Two sheets: the visits with their outcome counts, and
    each expected student's outcome."""

    kind = "visits"
    title = gettext_lazy("Visits and outcomes")
    file_stem = "kunjungan-dan-hasil"

    def may_export(self, user):
        return access.can_plan_campaigns(user)

    def may_show_full_nik(self, user):
        return can_see_full_nik(user)

    def _visits(self, params):
        return Visit.objects.filter(campaign_id=params["campaign"])

    def _expected(self, params):
        return Visit.students.through.objects.filter(visit__campaign_id=params["campaign"])

    def count(self, user, params):
        return self._visits(params).count() + self._expected(params).count()

    def sheets(self, user, params, *, full_nik, seen):
        return [self._visit_sheet(params), self._outcome_sheet(user, params, full_nik, seen)]

    def _visit_sheet(self, params):
        outcomes = list(Outcome)
        expected = (
            Visit.students.through.objects.filter(visit=OuterRef("pk"))
            .order_by()
            .values("visit")
            .annotate(n=Count("student"))
            .values("n")
        )
        visits = (
            self._visits(params)
            .annotate(
                on_list=Coalesce(Subquery(expected, output_field=IntegerField()), 0),
                **{
                    f"n_{outcome.value}": Count("outcomes", filter=Q(outcomes__outcome=outcome))
                    for outcome in outcomes
                },
            )
            .order_by("date", "team__name", "pk")
            .values(
                "date",
                "team__name",
                "school__name",
                "school__npsn",
                "school__nsm",
                "school__nspp",
                "school__kecamatan__name",
                "kind",
                "status",
                "part",
                "parts",
                "expected",
                "on_list",
                *[f"n_{outcome.value}" for outcome in outcomes],
                "closed_at",
            )
        )
        columns = [
            xlsx.Column(_("Date"), 12, xlsx.DATE),
            xlsx.Column(_("Day"), 10),
            xlsx.Column(_("Team"), 14),
            xlsx.Column(_("School"), 32),
            xlsx.Column(_("NPSN / NSM / NSPP"), 16, xlsx.IDENTIFIER),
            xlsx.Column(_("Kecamatan"), 18),
            xlsx.Column(_("Kind"), 14),
            xlsx.Column(_("Status"), 12),
            xlsx.Column(_("Part"), 7),
            xlsx.Column(_("Students expected"), 10, xlsx.NUMBER),
            xlsx.Column(_("On the list"), 10, xlsx.NUMBER),
            *[xlsx.Column(str(outcome.label), 12, xlsx.NUMBER) for outcome in outcomes],
            xlsx.Column(_("No outcome yet"), 12, xlsx.NUMBER),
            xlsx.Column(_("Closed on"), 12, xlsx.DATE),
        ]
        kinds, statuses = dict(Visit.Kind.choices), dict(Visit.Status.choices)

        def rows():
            for visit in visits.iterator(chunk_size=CHUNK):
                counts = [visit[f"n_{outcome.value}"] for outcome in outcomes]
                yield [
                    visit["date"],
                    date_format(visit["date"], "l"),
                    visit["team__name"],
                    visit["school__name"],
                    _school_code(
                        visit["school__npsn"], visit["school__nsm"], visit["school__nspp"]
                    ),
                    visit["school__kecamatan__name"],
                    kinds.get(visit["kind"], visit["kind"]),
                    statuses.get(visit["status"], visit["status"]),
                    f"{visit['part']}/{visit['parts']}",
                    visit["expected"],
                    visit["on_list"],
                    *counts,
                    max(0, visit["on_list"] - sum(counts)),
                    _local_date(visit["closed_at"]),
                ]

        return Sheet(_("Visits"), columns, rows())

    def _outcome_sheet(self, user, params, full_nik, seen):
        current = VisitOutcome.objects.filter(
            visit=OuterRef("visit_id"), student=OuterRef("student_id")
        )
        rows_query = (
            self._expected(params)
            .annotate(
                outcome=Subquery(current.values("outcome")[:1]),
                reason=Subquery(current.values("reason")[:1]),
                changed_at=Subquery(current.values("changed_at")[:1]),
            )
            .order_by("visit__date", "visit__school__name", "visit_id", "student__name", "pk")
            .values_list(
                "student_id",
                "student__school_id",
                "visit__date",
                "visit__school__name",
                "visit__team__name",
                "student__name",
                "student__nik",
                "student__nisn",
                "student__class_name",
                "outcome",
                "reason",
                "changed_at",
            )
        )
        columns = [
            xlsx.Column(_("Visit date"), 12, xlsx.DATE),
            xlsx.Column(_("School"), 32),
            xlsx.Column(_("Team"), 14),
            xlsx.Column(_("Name"), 32),
            xlsx.Column(_("NIK"), 19, xlsx.IDENTIFIER),
            xlsx.Column(_("NISN"), 13, xlsx.IDENTIFIER),
            xlsx.Column(_("Class"), 12),
            xlsx.Column(_("Outcome"), 22),
            xlsx.Column(_("Reason"), 28),
            xlsx.Column(_("Outcome entered on"), 12, xlsx.DATE),
        ]
        shown = nik_for(user, full_nik)
        labels, reasons = dict(Outcome.choices), dict(FailureReason.choices)

        def rows():
            for (
                student_id,
                school_id,
                day,
                school,
                team,
                name,
                nik,
                nisn,
                class_name,
                outcome,
                reason,
                changed_at,
            ) in rows_query.iterator(chunk_size=CHUNK):
                seen.append(student_id)
                yield [
                    day,
                    school,
                    team,
                    name,
                    shown(nik, school_id),
                    nisn,
                    class_name,
                    labels.get(outcome, outcome) if outcome else _("no outcome"),
                    reasons.get(reason, reason) if reason else "",
                    _local_date(changed_at),
                ]

        return Sheet(_("Outcomes per student"), columns, rows())

    def record(self, user, student_ids, *, details):
        record_students_export(user, student_ids, details=details)


QUEUE_KEYS = ("sekolah", "dari", "sampai")


def queue_params(data):
    """The print queue's filters as its address carries them, without empty values."""
    return {key: value for key in QUEUE_KEYS if (value := str(data.get(key, "")).strip())}


def queue_filters(data):
    """The print queue's filters checked by its form (card_forms.QueueFilterForm), as an
    export's params: the school's id and ISO dates; None when they are not valid."""
    form = QueueFilterForm(queue_params(data))
    if not form.is_valid():
        return None
    chosen = form.cleaned_data
    params = {
        "sekolah": chosen["sekolah"].pk if chosen["sekolah"] else None,
        "dari": chosen["dari"].isoformat() if chosen["dari"] else None,
        "sampai": chosen["sampai"].isoformat() if chosen["sampai"] else None,
    }
    return {key: value for key, value in params.items() if value is not None}


def _queue_kwargs(params):
    """cards.queue.print_queue's arguments from checked params (no query needed)."""
    day = datetime.date.fromisoformat
    return {
        "school": params.get("sekolah"),
        "due_from": day(params["dari"]) if params.get("dari") else None,
        "due_to": day(params["sampai"]) if params.get("sampai") else None,
    }


class CardExport(Export):
    """params: the print queue's filters as queue_filters checked them (school, due from,
    due to; the school filter applies to the handovers too). Two sheets: the print queue,
    and every card in a handover batch with what became of it."""

    kind = "cards"
    title = gettext_lazy("Cards and handovers")
    file_stem = "kartu-dan-serah-terima"

    def may_export(self, user):
        return access.can_manage_cards(user)

    def may_show_full_nik(self, user):
        return can_see_full_nik(user)

    def _queue(self, filters):
        return print_queue(**filters)

    def _items(self, filters):
        items = HandoverItem.objects.all()
        if filters["school"] is not None:
            items = items.filter(batch__school=filters["school"])
        return items

    def count(self, user, params):
        filters = _queue_kwargs(params)
        return self._queue(filters).count() + self._items(filters).count()

    def sheets(self, user, params, *, full_nik, seen):
        filters = _queue_kwargs(params)
        shown = nik_for(user, full_nik)
        return [
            self._queue_sheet(filters, shown, seen),
            self._handover_sheet(filters, shown, seen),
        ]

    def _queue_sheet(self, filters, shown, seen):
        students = self._queue(filters).values_list(
            "pk",
            "school_id",
            "name",
            "nik",
            "nisn",
            "school__name",
            "class_name",
            "due_on",
            "status",
            "status_since",
        )
        columns = [
            xlsx.Column(_("Name"), 32),
            xlsx.Column(_("NIK"), 19, xlsx.IDENTIFIER),
            xlsx.Column(_("NISN"), 13, xlsx.IDENTIFIER),
            xlsx.Column(_("School"), 32),
            xlsx.Column(_("Class"), 12),
            xlsx.Column(_("Due since"), 12, xlsx.DATE),
            xlsx.Column(_("Status"), 18),
            xlsx.Column(_("Blanko asked for on"), 12, xlsx.DATE),
        ]
        statuses = dict(Status.choices)

        def rows():
            for (
                pk,
                school_id,
                name,
                nik,
                nisn,
                school,
                class_name,
                due_on,
                status,
                since,
            ) in students.iterator(chunk_size=CHUNK):
                seen.append(pk)
                yield [
                    name,
                    shown(nik, school_id),
                    nisn,
                    school,
                    class_name,
                    due_on,
                    statuses.get(status, status),
                    since if status == Status.WAITING_BLANKO else None,
                ]

        return Sheet(_("Print queue"), columns, rows())

    def _handover_sheet(self, filters, shown, seen):
        printed = (
            StudentEvent.objects.filter(student=OuterRef("student_id"), kind=EventKind.PRINTED)
            .order_by("-date", "-pk")
            .values("date")[:1]
        )
        items = (
            self._items(filters)
            .annotate(printed_on=Subquery(printed))
            .order_by("batch__school__name", "batch_id", "student__name", "pk")
            .values_list(
                "student_id",
                "student__school_id",
                "batch_id",
                "batch__school__name",
                "batch__visit__date",
                "batch__visit__team__name",
                "batch__status",
                "student__name",
                "student__nik",
                "student__class_name",
                "printed_on",
                "state",
                "handed_over_on",
                "ikd_activated",
            )
        )
        columns = [
            xlsx.Column(_("Batch"), 8, xlsx.NUMBER),
            xlsx.Column(_("School"), 32),
            xlsx.Column(_("Handover day"), 12, xlsx.DATE),
            xlsx.Column(_("Team"), 14),
            xlsx.Column(_("Batch status"), 12),
            xlsx.Column(_("Name"), 32),
            xlsx.Column(_("NIK"), 19, xlsx.IDENTIFIER),
            xlsx.Column(_("Class"), 12),
            xlsx.Column(_("Printed on"), 12, xlsx.DATE),
            xlsx.Column(_("State"), 20),
            xlsx.Column(_("Handed over on"), 12, xlsx.DATE),
            xlsx.Column(_("IKD activated"), 10),
        ]
        states = dict(HandoverItem.State.choices)
        batch_statuses = dict(HandoverBatch.Status.choices)

        def rows():
            for (
                student_id,
                school_id,
                batch,
                school,
                handover_day,
                team,
                batch_status,
                name,
                nik,
                class_name,
                printed_on,
                state,
                handed_over_on,
                ikd,
            ) in items.iterator(chunk_size=CHUNK):
                seen.append(student_id)
                yield [
                    batch,
                    school,
                    handover_day,
                    team or "",
                    batch_statuses.get(batch_status, batch_status),
                    name,
                    shown(nik, school_id),
                    class_name,
                    printed_on,
                    states.get(state, state),
                    handed_over_on,
                    _("Yes") if ikd else _("No"),
                ]

        return Sheet(_("Handovers"), columns, rows())

    def record(self, user, student_ids, *, details):
        record_students_export(user, student_ids, details=details)


VISIT_EXPORT = VisitExport()
CARD_EXPORT = CardExport()
