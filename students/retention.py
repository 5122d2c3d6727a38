"""Erasing personal data past its retention period (UU 27/2022 Pasal 43-44).

A student whose card was handed over, or whose record was closed (moved away, left school,
already had a KTP-el...), more than PERSONAL_DATA_RETENTION_MONTHS ago is anonymised in
place, in a few set-based statements:

- the row stays, with its school, sex, status, status date and lifecycle events, so every
  count and report still adds up; the birth date keeps only its year (age cohorts);
- name becomes "Anonim"; KK, NISN, birth place, guardian and consent names are blanked;
- the NIK becomes the row's id padded to 16 digits with zeros. It still satisfies the
  table's CHECK (16 digits) and stays unique, yet can never be a real NIK: province code
  00 does not exist. `anonymised_at` marks the row;
- the same fields are blanked in every saved version (simple-history), which the
  append-only trigger allows only under `SET LOCAL ktpku.purge = 'on'`;
- each anonymised student gets an audit row ("personal data erased").
"""

import calendar
import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, LPad, TruncYear
from django.utils import timezone

from audit.models import Action
from audit.services import STUDENT, audit_record_query

from . import dates
from .models import Status, Student

ANONYMOUS_NAME = "Anonim"
# Fields blanked in the student and in every saved version of them.
BLANKED = ["kk_number", "nisn", "birth_place", "guardian_name", "guardian_phone", "consent_by"]


def months_before(day, months):
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def students_past_retention(today=None):
    cutoff = months_before(today or dates.today(), settings.PERSONAL_DATA_RETENTION_MONTHS)
    return Student.objects.filter(
        status__in=[Status.HANDED_OVER, Status.CLOSED],
        status_since__lt=cutoff,
        anonymised_at__isnull=True,
    )


@transaction.atomic
def personal_data_purge(*, today=None, by=None):
    """Anonymise every student past retention; returns their ids. Safe to run again."""
    due = students_past_retention(today)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return []
    chosen = Student.objects.filter(pk__in=ids)
    audit_record_query(
        actor=by,
        action=Action.ANONYMISED,
        object_type=STUDENT,
        ids=chosen.values("pk"),
        details={"retention_months": settings.PERSONAL_DATA_RETENTION_MONTHS},
    )
    chosen.update(
        nik=LPad(Cast("id", CharField()), 16, Value("0")),
        name=ANONYMOUS_NAME,
        birth_date=TruncYear("birth_date"),
        anonymised_at=timezone.now(),
        **{name: "" for name in BLANKED},
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL ktpku.purge = 'on'")
    Student.history.filter(id__in=ids).update(
        nik=LPad(Cast("id", CharField()), 16, Value("0")),
        name=ANONYMOUS_NAME,
        birth_date=TruncYear("birth_date"),
        **{name: "" for name in BLANKED},
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL ktpku.purge = 'off'")
    return ids
