"""Telling people about visits: e-mail to coordinators and team members, WhatsApp links.

Coordinators are reached at their user account's e-mail address. Users have no phone
number in KTPku, so the WhatsApp link goes to the school's phone (School.phone), the
number the office already calls; with no school phone there is no link.
"""

import datetime
import re
from urllib.parse import quote

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from students import dates

from .models import Visit

REMINDER_DAYS = {7: "reminder_week_sent_at", 1: "reminder_day_sent_at"}
# The e-mails go through the worker, or from the page itself when the broker is down
# (ktpku.tasks.enqueue, run_here); this is said only when neither could send them.
MAIL_NOT_SENT = gettext_lazy(
    "The change was saved, but the school's coordinators could not be e-mailed now. "
    "Tell the school another way, for example by WhatsApp."
)


def _coordinator_emails(school):
    return sorted(user.email for user in school.coordinators.all() if user.is_active and user.email)


def _team_emails(team):
    return sorted(user.email for user in team.members.all() if user.is_active and user.email)


def _day(visit):
    return date_format(visit.date, "l j F Y")


def visits_set_notify(visit_ids):
    """E-mail each school's coordinators the visits set for their school. Returns mails sent."""
    visits = (
        Visit.objects.filter(pk__in=visit_ids, status=Visit.Status.ACCEPTED)
        .select_related("school", "team")
        .prefetch_related("school__coordinators")
        .order_by("school__name", "date")
    )
    by_school = {}
    for visit in visits:
        by_school.setdefault(visit.school, []).append(visit)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for school, planned in by_school.items():
            recipients = _coordinator_emails(school)
            if not recipients:
                continue
            lines = [
                _("%(day)s: %(team)s, %(count)d students expected.")
                % {"day": _day(v), "team": v.team.name, "count": v.expected}
                for v in planned
            ]
            body = "\n".join(
                [
                    _("The KTP-el recording team will visit %(school)s:") % {"school": school.name},
                    "",
                    *lines,
                    "",
                    _("Please confirm the day in KTPku, or ask for another one."),
                ]
            )
            subject = _("KTP-el recording visit to %(school)s") % {"school": school.name}
            sent += send_mail(subject, body, None, recipients)
    return sent


def visit_moved_notify(visit_id, previous_date):
    """E-mail the coordinators that a visit moved from `previous_date`. Returns mails sent."""
    visit = Visit.objects.select_related("school", "team").filter(pk=visit_id).first()
    if visit is None or visit.status != Visit.Status.ACCEPTED:
        return 0
    recipients = _coordinator_emails(visit.school)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        previous = date_format(datetime.date.fromisoformat(previous_date), "l j F Y")
        subject = _("KTP-el recording visit moved: %(school)s") % {"school": visit.school.name}
        body = _(
            "The visit of the KTP-el recording team to %(school)s has moved from %(old)s "
            "to %(new)s (%(team)s). Please confirm the new day in KTPku."
        ) % {
            "school": visit.school.name,
            "old": previous,
            "new": _day(visit),
            "team": visit.team.name,
        }
        return send_mail(subject, body, None, recipients)


def whatsapp_number(phone):
    """The school's phone as wa.me wants it (62..., digits only), or "" if it is not one."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if digits.startswith("62") and 10 <= len(digits) <= 15 else ""


def whatsapp_link(visit):
    """A wa.me link to the school's phone with the visit message filled in, or ""."""
    number = whatsapp_number(visit.school.phone)
    if not number:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Good day. The KTP-el recording team (%(team)s) of the population office will "
            "visit %(school)s on %(day)s for %(count)d students. Please reply to confirm."
        ) % {
            "team": visit.team.name,
            "school": visit.school.name,
            "day": _day(visit),
            "count": visit.expected,
        }
    return f"https://wa.me/{number}?text={quote(text)}"


def visit_reminders_send(today=None):
    """Remind coordinators and team members 7 days and 1 day before each accepted visit.

    Each reminder is claimed with a conditional update before it is sent, so a second run
    (or a second worker) sends nothing twice. Returns [(visit id, days before)] sent.
    """
    today = today or dates.today()
    sent = []
    for days_before, field in REMINDER_DAYS.items():
        due = Visit.objects.filter(
            status=Visit.Status.ACCEPTED,
            date=today + datetime.timedelta(days=days_before),
            **{f"{field}__isnull": True},
        ).order_by("pk")
        for pk in due.values_list("pk", flat=True):
            claimed = Visit.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(
                **{field: timezone.now()}
            )
            if claimed:
                _remind(pk, days_before)
                sent.append((pk, days_before))
    return sent


def _remind(visit_id, days_before):
    visit = (
        Visit.objects.select_related("school", "team")
        .prefetch_related("school__coordinators", "team__members")
        .get(pk=visit_id)
    )
    recipients = sorted(set(_coordinator_emails(visit.school) + _team_emails(visit.team)))
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        when = _("tomorrow") if days_before == 1 else _("in a week")
        subject = _("Reminder: KTP-el recording at %(school)s %(when)s") % {
            "school": visit.school.name,
            "when": when,
        }
        body = _(
            "Reminder: the KTP-el recording team (%(team)s) visits %(school)s on %(day)s. "
            "%(count)d students are expected. Students bring their family card (KK)."
        ) % {
            "team": visit.team.name,
            "school": visit.school.name,
            "day": _day(visit),
            "count": visit.expected,
        }
        return send_mail(subject, body, None, recipients)
