"""Writing the audit trail: one row per object touched, plus the audit log line."""

import logging

from django.db import connection
from django.utils import timezone

from .models import AuditEvent

log = logging.getLogger("ktpku.audit")

STUDENT = "students.student"


def audit_record(*, actor, action, object_type, object_ids, details=None, via=None):
    """Record that `actor` did `action` to each object in `object_ids`, in one INSERT.

    An export of many students writes one row per student, so "which children did user
    U export" is a plain indexed query. Returns the number of rows written.
    """
    object_ids = list(dict.fromkeys(object_ids))
    if not object_ids:
        return 0
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    details = dict(details or {})
    if via:
        details["via"] = via
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            at=now,
            details=details,
        )
        for object_id in object_ids
    )
    shown = ",".join(str(pk) for pk in object_ids[:20])
    more = f" more={len(object_ids) - 20}" if len(object_ids) > 20 else ""
    log.info(
        "%s user=%s %s=%s%s%s",
        action,
        actor_id,
        object_type.rsplit(".", 1)[-1],
        shown,
        more,
        f" via={via}" if via else "",
    )
    return len(object_ids)


def audit_record_query(*, actor, action, object_type, ids, details=None):
    """Like audit_record for the objects whose ids `ids` (a queryset of them, e.g.
    `visit.students.values("pk")`) selects: one INSERT ... SELECT, however many there are.
    Returns the number of rows written."""
    import json

    if connection.vendor != "postgresql":
        # SQLite (the embedded demo) knows no column list on a derived table: read the ids.
        object_ids = [next(iter(row.values())) if isinstance(row, dict) else row for row in ids]
        return audit_record(
            actor=actor,
            action=action,
            object_type=object_type,
            object_ids=object_ids,
            details=details,
        )
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    sql, params = ids.query.sql_with_params()
    cast, actor_cast = "::jsonb", "::integer"
    # Interpolated: the model's own table name and the ORM's compiled SQL, whose values
    # stay in `params`; nothing typed by a user reaches the string.
    statement = (
        f"INSERT INTO {AuditEvent._meta.db_table} "  # noqa: S608
        "(actor_id, action, object_type, object_id, at, details) "
        f"SELECT DISTINCT %s{actor_cast}, %s, %s, picked.object_id, %s, %s{cast} "
        f"FROM (SELECT chosen.* FROM ({sql}) chosen) picked(object_id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            [actor_id, action, object_type, timezone.now(), json.dumps(details or {}), *params],
        )
        written = cursor.rowcount
    log.info(
        "%s user=%s %s_count=%s%s",
        action,
        actor_id,
        object_type.rsplit(".", 1)[-1],
        written,
        "".join(f" {key}={value}" for key, value in sorted((details or {}).items())),
    )
    return written
