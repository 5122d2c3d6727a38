"""The demo's card pipeline at the first school (demo_koordinator's, also the school of
today's demo visit): ten students of 17 recorded a few weeks ago, print ready and due for
print; four of their cards printed, so they ride to school with today's visit.

A new user then finds cards in the print queue, a handover batch with its receipt, and the
coordinator's list of cards coming, without running the nightly job first.
"""

import datetime

from django.contrib.auth.models import User

from students import dates, lifecycle
from students.models import EventKind, Status, Student

from ..cards import printing

CARDS = 10
PRINTED = 4
PIPELINE = (Status.PRINT_READY, Status.DUE_FOR_PRINT, Status.PRINTED, Status.HANDED_OVER)


def seed_card_pipeline(school, visit, today):
    """Once per school: returns the ids of the students given cards, or [] when done before."""
    if Student.objects.filter(school=school, status__in=PIPELINE).exists():
        return []
    staff = User.objects.get(username="demo_staf")
    petugas = User.objects.get(username="demo_petugas")
    recorded_on = today - datetime.timedelta(days=45)
    # Old enough to be recorded then and to hold the card now; not on today's checklist.
    chosen = list(
        Student.objects.filter(
            school=school,
            status=Status.ON_ROSTER,
            birth_date__lte=dates.latest_birth_date(dates.CARD_AGE, recorded_on),
        )
        .exclude(pk__in=visit.students.values("pk"))
        .order_by("class_name", "name", "pk")
        .values_list("pk", flat=True)[:CARDS]
    )
    steps = [
        (EventKind.RECORDED, recorded_on, petugas),
        (EventKind.PRINT_READY, today - datetime.timedelta(days=30), staff),
        (EventKind.DUE_FOR_PRINT, today - datetime.timedelta(days=29), None),
    ]
    for kind, on, by in steps:
        chosen = lifecycle.apply_many(chosen, kind, on=on, by=by)
    printing.mark_printed(chosen[:PRINTED], on=today - datetime.timedelta(days=2), by=staff)
    return chosen
