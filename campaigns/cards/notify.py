"""Telling a school its cards are coming: e-mail to its coordinators, a WhatsApp link for staff."""

from urllib.parse import quote

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..card_models import HandoverBatch, HandoverItem
from ..models import Visit
from ..notifications import _coordinator_emails, whatsapp_number


def _message(batch, count):
    return _(
        "%(count)d KTP-el cards of students of %(school)s are printed and will be handed over "
        "at the school on %(day)s, when the office's team (%(team)s) comes. The students "
        "collect their card in person and sign the list."
    ) % {
        "count": count,
        "school": batch.school.name,
        "day": date_format(batch.visit.date, "l j F Y"),
        "team": batch.visit.team.name,
    }


def batches_ready_notify(batch_ids):
    """E-mail the coordinators of each batch (of `batch_ids`, or all with None) riding on an
    accepted visit that they were not told of yet. Returns the mails sent; each batch is
    told once."""
    ready = (
        HandoverBatch.objects.all()
        if batch_ids is None
        else HandoverBatch.objects.filter(pk__in=batch_ids)
    )
    ready = (
        ready.filter(
            status=HandoverBatch.Status.OPEN,
            visit__status=Visit.Status.ACCEPTED,
            notified_at__isnull=True,
        )
        .annotate(waiting=Count("items", filter=Q(items__state=HandoverItem.State.WAITING)))
        .filter(waiting__gt=0)
        .select_related("school", "visit__team")
        .prefetch_related("school__coordinators")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for batch in ready:
            recipients = _coordinator_emails(batch.school)
            if recipients:
                subject = _("KTP-el cards ready for %(school)s") % {"school": batch.school.name}
                sent += send_mail(subject, _message(batch, batch.waiting), None, recipients)
            HandoverBatch.objects.filter(pk=batch.pk).update(notified_at=timezone.now())
    return sent


def whatsapp_link(batch, count):
    """A wa.me link to the school's phone with the message filled in, or ""."""
    number = whatsapp_number(batch.school.phone)
    if not number or batch.visit is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        text = _message(batch, count)
    return f"https://wa.me/{number}?text={quote(text)}"
