"""Card pages: the print queue, the forward view, handover batches and their receipt, and
the cards a coordinator's school is about to receive."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ktpku.access import POST, SAFE, requires
from ktpku.export_views import export_answer
from schools.access import schools_for_user
from students import dates
from students.access import get_student_for_user
from students.lifecycle import TransitionRefused

from . import access
from .card_forms import CardIdsForm, HandoverForm, QueueFilterForm, ReprintForm
from .card_models import HandoverBatch, HandoverItem
from .cards import batches, notify, printing, queue, receipt
from .list_exports import CARD_EXPORT, queue_filters, queue_params

QUEUE_PAGE = 500


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@requires(access.can_manage_cards, methods=SAFE)
def print_queue(request):
    filters = QueueFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    students = queue.print_queue(
        school=chosen.get("sekolah"), due_from=chosen.get("dari"), due_to=chosen.get("sampai")
    )
    rows = list(students[: QUEUE_PAGE + 1])
    context = {
        "filters": filters,
        "export_url": _export_url(queue_params(request.GET)),
        "students": rows[:QUEUE_PAGE],
        "more": len(rows) > QUEUE_PAGE,
        "today": dates.today(),
    }
    return render(request, "campaigns/cards/queue.html", context)


def _export_url(params):
    query = urlencode(params)
    return reverse("campaigns:cards_export") + (f"?{query}" if query else "")


@requires(access.can_manage_cards, methods=POST)
def cards_export(request):
    """The print queue (with its filters) and every card in a handover batch, as a
    workbook; the school filter applies to both."""
    asked = queue_params(request.GET)
    params = queue_filters(asked)
    if params is None:
        messages.error(request, _("The filters are not valid: correct them and try again."))
        return redirect(reverse("campaigns:cards_queue") + f"?{urlencode(asked)}")
    back = reverse("campaigns:cards_queue") + (f"?{urlencode(asked)}" if asked else "")
    return export_answer(request, CARD_EXPORT, params, back=back)


def _queue_action(request, action, done):
    form = CardIdsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("campaigns:cards_queue")
    changed = action(form.cleaned_data["ids"], form.cleaned_data["tanggal"], request.user)
    if changed:
        messages.success(request, done(len(changed)))
    else:
        messages.info(request, _("Nothing changed: these cards were already dealt with."))
    return redirect("campaigns:cards_queue")


@requires(access.can_manage_cards, methods=POST)
def mark_printed(request):
    return _queue_action(
        request,
        lambda ids, day, user: printing.mark_printed(ids, on=day, by=user),
        lambda n: (
            ngettext("%(count)d card marked printed.", "%(count)d cards marked printed.", n)
            % {"count": n}
        ),
    )


@requires(access.can_manage_cards, methods=POST)
def mark_waiting_blanko(request):
    return _queue_action(
        request,
        lambda ids, day, user: printing.mark_waiting_blanko(ids, asked_on=day, by=user),
        lambda n: (
            ngettext("%(count)d card waits for blanko.", "%(count)d cards wait for blanko.", n)
            % {"count": n}
        ),
    )


@requires(access.can_reprint, load=get_student_for_user)
def reprint(request, student):
    form = ReprintForm(request.POST or None, initial={"tanggal": dates.today()})
    if request.method == "POST" and form.is_valid():
        try:
            printing.reprint(
                student,
                reason=form.cleaned_data["alasan"],
                on=form.cleaned_data["tanggal"],
                by=request.user,
                note=form.cleaned_data["catatan"],
            )
        except TransitionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The card is back in the print queue."))
            return redirect("students:detail", pk=student.pk)
    return render(request, "campaigns/cards/reprint.html", {"student": student, "form": form})


@requires(access.can_manage_cards, methods=SAFE)
def forecast(request):
    return render(request, "campaigns/cards/forecast.html", {"view": queue.forward_view()})


@requires(access.can_manage_cards, methods=SAFE)
def batch_list(request):
    open_batches = queue.open_batches()
    return render(
        request,
        "campaigns/cards/batch_list.html",
        {"batches": open_batches, "export_url": _export_url({})},
    )


def _render_batch(request, batch, form=None, status=200):
    items = list(queue.batch_items(batch))
    waiting = sum(1 for item in items if item.state == HandoverItem.State.WAITING)
    context = {
        "batch": batch,
        "items": items,
        "waiting": waiting,
        "form": form or HandoverForm(initial={"tanggal": dates.today()}),
        "whatsapp": notify.whatsapp_link(batch, waiting),
        "is_open": batch.status == HandoverBatch.Status.OPEN,
    }
    return render(request, "campaigns/cards/batch.html", context, status=status)


@requires(access.can_manage_batch, load=access.get_batch_for_user)
def batch_detail(request, batch):
    if request.method != "POST":
        return _render_batch(request, batch)
    form = HandoverForm(request.POST)
    if not form.is_valid():
        return _render_batch(request, batch, form, status=400)
    handed = batches.hand_over(
        batch,
        student_ids=form.cleaned_data["ids"],
        ikd_ids=form.cleaned_data["ikd"],
        on=form.cleaned_data["tanggal"],
        by=request.user,
    )
    if handed:
        count = len(handed)
        messages.success(
            request,
            ngettext("%(count)d card handed over.", "%(count)d cards handed over.", count)
            % {"count": count},
        )
    else:
        messages.info(
            request,
            _(
                "Nothing changed: these cards were already handed over, or the date is before "
                "they were printed."
            ),
        )
    return redirect("campaigns:batch", pk=batch.pk)


@requires(access.can_manage_batch, load=access.get_batch_for_user, methods=SAFE)
def batch_receipt(request, batch):
    url = request.build_absolute_uri(reverse("campaigns:batch", args=[batch.pk]))
    response = HttpResponse(
        receipt.receipt_pdf(batch, page_url=url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{batch.pk}.pdf"'
    return response


@requires(access.can_manage_batch, load=access.get_batch_for_user, methods=POST)
def batch_close(request, batch):
    left = batches.close(batch, by=request.user)
    messages.success(
        request,
        ngettext(
            "Batch closed; %(count)d card not collected goes to the next visit.",
            "Batch closed; %(count)d cards not collected go to the next visit.",
            len(left),
        )
        % {"count": len(left)},
    )
    return redirect("campaigns:batch", pk=batch.pk)


@requires(access.can_view_ready_cards, methods=SAFE)
def cards_ready(request):
    items = queue.cards_ready(schools_for_user(request.user))
    return render(request, "campaigns/cards/ready.html", {"items": items[:QUEUE_PAGE]})
