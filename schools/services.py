"""Writes to the school registry beyond a form's own save: who coordinates a school.

Who may see which school's children is decided by these assignments, and simple-history
does not follow many-to-many changes, so every change is written to the audit log here:
the school page and the admin both come through these functions.
"""

import logging

from django.db import transaction

audit = logging.getLogger("ktpku.audit")


def school_coordinator_add(*, school, user, by):
    """Make `user` a coordinator of `school` (nothing happens if they are one already)."""
    before = set(school.coordinators.values_list("pk", flat=True))
    _change(school, added=sorted({user.pk} - before), removed=[], by=by)


def school_coordinator_remove(*, school, user, by):
    """Take `user` off the coordinators of `school` (nothing happens if they are not one)."""
    before = set(school.coordinators.values_list("pk", flat=True))
    _change(school, added=[], removed=sorted({user.pk} & before), by=by)


def school_coordinators_set(*, school, users, by):
    """Make `users` exactly the coordinators of `school`."""
    before = set(school.coordinators.values_list("pk", flat=True))
    after = {user.pk for user in users}
    _change(school, added=sorted(after - before), removed=sorted(before - after), by=by)


@transaction.atomic
def _change(school, *, added, removed, by):
    if added:
        school.coordinators.add(*added)
    if removed:
        school.coordinators.remove(*removed)
    for user_pk in added:
        audit.info("coordinator_added school=%s user=%s by=%s", school.pk, user_pk, by.pk)
    for user_pk in removed:
        audit.info("coordinator_removed school=%s user=%s by=%s", school.pk, user_pk, by.pk)
